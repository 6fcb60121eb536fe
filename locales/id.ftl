# Bahasa Indonesia — the default language. Texts are Telegram HTML: only <b>, <i>, <code>; no bare < > &.
# Every key here must also be in en.ftl (a test checks).

test-greeting = Halo { $name }, { $count } anak

## Errors and general answers
error-too-long = Pesan terlalu panjang (lebih dari 4096 karakter). Mohon kirim yang lebih singkat.
error-unknown-command = Perintah tidak dikenal. Lihat { $help } untuk daftar perintah.
error-not-allowed = Perintah ini bukan untuk peran Anda.
error-stale-button = Tombol ini sudah tidak berlaku.
error-not-in-scope = Itu di luar wilayah tugas Anda.
error-programme-wide = Ini pengaturan seluruh program: hanya koordinator seluruh program yang dapat mengubahnya.
error-not-yours = Ini bukan milik Anda.
error-internal = Maaf, terjadi kesalahan di sistem kami. Silakan coba lagi sebentar lagi.
use-buttons = Silakan pilih dengan tombol.
idle-text = Saya belum mengerti. Lihat { $help } untuk apa yang bisa saya bantu.
idle-unsupported = Saya tidak bisa memakai kiriman ini di sini.
done = Selesai
page-previous = ◀ Sebelumnya
page-next = Berikutnya ▶
list-more = …dan { $count } lainnya

## Start and roles
welcome =
    Selamat datang, <b>{ $name }</b>! 👋
    Ini bot program <b>Bapak/Bunda Asuh Anak Stunting</b>.

    Anda ingin bergabung sebagai apa?
welcome-back = Selamat datang kembali, <b>{ $name }</b>. Lihat { $help } untuk perintah Anda.
role-sponsor = 🤝 Bapak/Bunda Asuh
role-volunteer = 🧺 Relawan / Kader
role-neither = 👀 Hanya melihat
volunteer-needs-invite = Relawan bergabung lewat tautan undangan dari koordinator wilayah Anda. Mintalah tautan itu kepada koordinator.
role-neither-ok = Baik. Anda bisa mendaftar kapan saja. Lihat { $help }.
role-name-sponsor = Bapak/Bunda Asuh
role-name-volunteer = Relawan
role-name-coordinator = Koordinator

## Volunteer invites
invite-unknown = Kode undangan ini tidak dikenal. Periksa tautannya atau minta yang baru kepada koordinator.
invite-expired = Undangan ini sudah kedaluwarsa. Mintalah tautan baru kepada koordinator.
invite-used-up = Undangan ini sudah habis dipakai. Mintalah tautan baru kepada koordinator.
invite-revoked = Undangan ini sudah dibatalkan. Mintalah tautan baru kepada koordinator.
volunteer-welcome = ✅ Anda terdaftar sebagai <b>relawan</b> untuk wilayah <b>{ $area }</b>. Lihat { $help }.
coordinator-volunteer-joined = 🧺 Relawan baru: <b>{ $name }</b> (<code>{ $id }</code>) untuk { $area }.

## Help
help-intro = <b>Perintah yang bisa Anda pakai</b>
help-section-everyone = Umum
help-section-sponsor = Bapak/Bunda Asuh
help-section-volunteer = Relawan
help-section-coordinator = Koordinator

## /me
language-name = Bahasa Indonesia
me-header = <b>{ $name }</b> · ID <code>{ $id }</code> · { $language }
me-coordinator = 🗂 Koordinator: { $area }
scope-all = semua wilayah
community-member = Masyarakat umum
status-pending = menunggu persetujuan
status-approved = disetujui
status-rejected = ditolak
status-revoked = dicabut
me-sponsor =
    🤝 Bapak/Bunda Asuh ({ $status })
    Nama: { $name }
    Telepon: { $phone }
    Instansi: { $office }
    Wilayah: { $area }
    Jumlah anak: { $capacity }
me-volunteer = 🧺 Relawan: { $area }
me-no-role = Anda belum punya peran. Daftar sebagai Bapak/Bunda Asuh dengan { $register }.

## /language, /cancel
language-choose = Pilih bahasa / Choose a language:
language-set = ✅ Bahasa diubah ke Bahasa Indonesia.
cancel-nothing = Tidak ada yang perlu dibatalkan.
cancel-done = Dibatalkan. Data yang belum dikirim tidak disimpan.

## Sponsor registration
register-pending-already = Pendaftaran Anda sedang menunggu persetujuan koordinator.
register-approved-already = Anda sudah terdaftar sebagai Bapak/Bunda Asuh.
ask-name = Pendaftaran Bapak/Bunda Asuh (1/5). Siapa <b>nama lengkap</b> Anda? Ketik { $cancel } untuk berhenti.
name-invalid = Nama harus 3–100 huruf (boleh memakai titik, koma, tanda petik dan tanda hubung). Coba lagi.
expect-name = Mohon ketik nama lengkap Anda.
ask-phone = (2/5) Bagikan <b>nomor telepon</b> Anda dengan tombol di bawah.
share-contact-button = 📱 Bagikan nomor saya
contact-not-own = Itu bukan nomor Anda sendiri. Mohon bagikan nomor Anda dengan tombol di bawah.
phone-use-button = Mohon gunakan tombol «Bagikan nomor saya» di bawah; nomor tidak perlu diketik.
phone-invalid = Nomor telepon itu tidak bisa dibaca. Coba lagi dengan tombol di bawah.
phone-saved = ✅ Nomor tersimpan.
ask-office = (3/5) Anda mendaftar atas nama <b>instansi (OPD)</b> mana?
ask-regency = (4/5) Di <b>kabupaten/kota</b> mana Anda ingin membantu?
ask-district = (4/5) Di <b>kecamatan</b> mana Anda ingin membantu?
back-to-regencies = ⬅ Kabupaten/kota lain
no-regions-yet = Koordinator belum menyiapkan daftar wilayah. Pendaftaran Anda tersimpan; coba lagi nanti dengan mengetik apa saja.
ask-village = (4/5) Kelurahan/desa mana di { $district }? Atau pilih seluruh kecamatan.
whole-district = Seluruh kecamatan
ask-capacity = (5/5) Berapa <b>anak</b> yang ingin Anda asuh? Pilih atau ketik angka 1–{ $max }.
capacity-invalid = Jumlah anak harus angka 1 sampai 20.
registration-details =
    Nama: <b>{ $name }</b>
    Telepon: { $phone }
    Instansi: { $office }
    Wilayah: { $area }
    Jumlah anak: { $capacity }
confirm-registration =
    Periksa data Anda:

    { $details }
confirm-submit = ✅ Kirim
confirm-restart = ✏️ Ulangi
confirm-cancel = ✖ Batal
registration-submitted = ✅ Pendaftaran terkirim. Koordinator akan memeriksanya; Anda akan diberi tahu hasilnya di sini.
registration-submitted-no-coordinator = ✅ Pendaftaran tersimpan. Belum ada koordinator untuk wilayah ini; Anda akan diberi tahu begitu ada keputusan.
coordinator-new-registration =
    📝 <b>Pendaftaran Bapak/Bunda Asuh baru</b> (ID <code>{ $id }</code>)

    { $details }
approve = ✅ Setujui
reject = ✖ Tolak

## Coordinator decisions
pending-none = Tidak ada pendaftaran yang menunggu.
pending-header = <b>Pendaftaran menunggu: { $count }</b>
pending-line = { $n }. <b>{ $name }</b> — { $office } — { $area } — { $capacity } anak
decision-already = Sudah diputuskan: { $status } oleh { $by }.
decision-approved = ✅ { $name } disetujui oleh { $by }.
decision-rejected = ✖ { $name } ditolak oleh { $by }.
sponsor-approved = 🎉 Pendaftaran Anda sebagai Bapak/Bunda Asuh <b>disetujui</b>. Terima kasih! Anda akan dikabari saat ada anak untuk Anda asuh.
sponsor-rejected = Maaf, pendaftaran Anda sebagai Bapak/Bunda Asuh <b>belum disetujui</b>. Hubungi koordinator untuk keterangan; Anda bisa mendaftar lagi dengan /daftar.

## Coordinator lists
sponsors-none = Belum ada Bapak/Bunda Asuh yang disetujui.
sponsors-header = <b>Bapak/Bunda Asuh: { $count }</b>
sponsor-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $office } — { $area } — { $capacity } anak
volunteers-none = Belum ada relawan.
volunteers-header = <b>Relawan: { $count }</b>
volunteer-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $area }
coordinators-header = <b>Koordinator: { $count }</b>
coordinator-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $area }

## Regions and offices
regions-none = Belum ada wilayah. Tambahkan dengan /wilayah_tambah 74.71.01 Kendari Barat
regions-header = <b>Wilayah: { $count }</b>
region-add-usage = Cara pakai: <code>/wilayah_tambah KODE Nama [WIB|WITA|WIT]</code>, misalnya <code>/wilayah_tambah 74.71.01 Kendari Barat</code>. Kode mengikuti Kemendagri: 74 (provinsi), 74.71 (kab/kota), 74.71.01 (kecamatan), 74.71.01.1001 (kelurahan/desa).
region-added = ✅ Wilayah <code>{ $code }</code> { $name } ditambahkan.
region-updated = ✅ Wilayah <code>{ $code }</code> diperbarui: { $name }.
region-remove-usage = Cara pakai: <code>/wilayah_hapus KODE</code>
region-remove-has-children = Wilayah <code>{ $code }</code> masih punya wilayah di bawahnya; hapus itu dulu.
region-remove-in-use = Wilayah <code>{ $code }</code> masih dipakai oleh Bapak/Bunda Asuh, relawan atau koordinator.
region-removed = ✅ Wilayah <code>{ $code }</code> dihapus.
region-unknown = Wilayah <code>{ $code }</code> tidak ada. Tambahkan dulu dengan /wilayah_tambah.
offices-none = Belum ada instansi. Tambahkan dengan /opd_tambah Dinas Kesehatan
offices-header = <b>Instansi (OPD): { $count }</b>
office-add-usage = Cara pakai: <code>/opd_tambah Nama instansi</code> (2–60 karakter).
office-added = ✅ Instansi { $name } ditambahkan.
office-exists = Instansi { $name } sudah ada.
name-hidden-chars = ✖ Nama itu mengandung karakter tersembunyi (karakter kontrol atau pembalik arah teks) yang tidak terlihat di layar. Ketik ulang namanya tanpa menyalin dari dokumen lain.

## Invites
invite-usage = Cara pakai: <code>/undang KODE_KECAMATAN [hari] [jumlah]</code>, misalnya <code>/undang 74.71.01 7 20</code> (berlaku 1–90 hari, 1–500 orang).
invite-needs-district = Undangan relawan dibuat untuk kecamatan atau kelurahan/desa.
invite-created =
    🔗 Undangan relawan untuk <b>{ $area }</b>:
    { $link }
    Berlaku { $days } hari, untuk { $uses } orang. Bagikan tautan ini kepada relawan.

## Revoking roles
revoke-usage = Cara pakai: <code>/cabut ID_PENGGUNA</code> (ID ada di daftar /sponsor, /relawan, /koordinator).
revoke-no-roles = Pengguna <code>{ $id }</code> tidak punya peran yang bisa dicabut.
revoke-choose = Peran mana yang dicabut dari <b>{ $name }</b> (<code>{ $id }</code>)?
revoke-done = ✅ Peran { $role } dicabut dari <code>{ $id }</code>.
your-role-revoked = Peran Anda sebagai { $role } telah dicabut oleh koordinator.

## Command menu descriptions (1–256 characters)
cmd-start = Mulai
cmd-help = Daftar perintah
cmd-me = Data saya
cmd-language = Ganti bahasa
cmd-register = Daftar sebagai Bapak/Bunda Asuh
cmd-cancel = Batalkan langkah yang sedang berjalan
cmd-pending = Pendaftaran yang menunggu persetujuan
cmd-sponsors = Daftar Bapak/Bunda Asuh
cmd-volunteers = Daftar relawan
cmd-coordinators = Daftar koordinator
cmd-regions = Daftar wilayah
cmd-region-add = Tambah atau ubah wilayah
cmd-region-remove = Hapus wilayah
cmd-offices = Daftar instansi (OPD)
cmd-office-add = Tambah instansi (OPD)
cmd-invite = Buat tautan undangan relawan
cmd-revoke = Cabut peran pengguna

## Children: status words
child-unmatched = menunggu orang tua asuh
child-matched = diasuh
child-graduated = lulus dari stunting
child-moved = pindah
child-deceased = meninggal
child-status-severe = stunting berat
child-status-stunted = stunting
child-status-normal = tinggi badan normal
child-status-unmeasured = belum diukur
child-line = • <code>{ $id }</code> <b>{ $name }</b> — { $months } bln — { $place } — { $status }
sex-male = laki-laki
sex-female = perempuan
sponsorship-proposed = ditawarkan
sponsorship-held = ditahan
sponsorship-active = aktif
sponsorship-declined = ditolak
sponsorship-expired = kedaluwarsa
sponsorship-ended = berakhir
sponsorship-transferred = dialihkan

## Offers to sponsors
offer-new =
    🧒 <b>Anak untuk Anda asuh</b>
    Inisial: <b>{ $initials }</b> · { $months } bulan · { $place }
    Status: { $status } (TB/U { $haz })
    Komitmen: { $duration } bulan × { $amount } per bulan
offer-held =
    🧒 <b>Anak ini kami tahan untuk Anda selama { $minutes } menit</b>
    Inisial: <b>{ $initials }</b> · { $months } bulan · { $place }
    Status: { $status } (TB/U { $haz })
    Komitmen: { $duration } bulan × { $amount } per bulan
offer-accept = ✅ Terima
offer-decline = ✖ Tolak
offer-accepted =
    🎉 Terima kasih! Anak asuh Anda: <b>{ $name }</b>, { $months } bulan, { $place }.
    Komitmen: { $duration } bulan × { $amount } per bulan. Lihat /anak.
offer-declined-ask-reason = Tawaran ditolak. Boleh tahu alasannya? Ketik singkat, atau tekan Lewati.
offer-declined = Terima kasih, tawaran ditolak. Anak ini akan ditawarkan kepada orang tua asuh lain.
offer-expired = ⌛ Tawaran anak { $initials } sudah kedaluwarsa dan dikembalikan ke daftar tunggu.
skip = Lewati
reason-expected = Mohon ketik alasannya, atau tekan Lewati.
sponsorship-not-yours = Anak ini bukan anak asuh Anda.
sponsorship-already-decided = Ini sudah diputuskan sebelumnya.
child-closed = Kasus anak ini sudah ditutup.
child-taken = Anak ini sudah punya orang tua asuh atau tawaran yang berjalan.
not-an-approved-sponsor = Pengguna itu bukan Bapak/Bunda Asuh yang disetujui.
sponsor-full = Kuota anak asuh sudah penuh.
no-child-waiting = Saat ini tidak ada anak yang menunggu di kecamatan Anda. Terima kasih!
volunteer-new-sponsorship = 🤝 { $child } ({ $place }) kini diasuh oleh { $sponsor }.
volunteer-sponsorship-withdrawn = ℹ️ { $child } ({ $place }) tidak lagi punya orang tua asuh; pengiriman berikutnya menunggu orang tua asuh baru.
coordinator-offer-accepted = ✅ { $sponsor } menerima { $child } (<code>{ $id }</code>). { $area }: { $matched } diasuh, { $waiting } menunggu.
coordinator-offer-declined = ✖ { $sponsor } menolak { $child } (<code>{ $id }</code>). { $area }: { $matched } diasuh, { $waiting } menunggu.
coordinator-sponsorship-ended = ⏹ { $sponsor } mengakhiri pengasuhan { $child } (<code>{ $id }</code>). { $area }: { $matched } diasuh, { $waiting } menunggu.
coordinator-offer-expired = ⌛ Tawaran { $child } (<code>{ $id }</code>) kepada { $sponsor } kedaluwarsa; anak kembali ke daftar tunggu.
coordinator-child-waiting-again = 🔁 { $child } (<code>{ $id }</code>, { $area }) menunggu orang tua asuh lagi: { $reason ->
    [revoked] peran { $sponsor } sebagai orang tua asuh dicabut
   *[other] { $sponsor } tidak dapat dihubungi
  }. Anak ini akan ditawarkan lagi pada pencocokan berikutnya (/cocokkan).

## A sponsor's children
my-children-none = Anda belum punya anak asuh. Ketik /minta_anak untuk meminta anak dari kecamatan Anda.
my-children-header = <b>Anak asuh Anda: { $count }</b>
my-children-line = • <code>{ $id }</code> <b>{ $name }</b>, { $months } bulan, { $place } — sejak { $since }
my-children-open-offers = Tawaran yang menunggu jawaban Anda: { $count }
end-button = ⏹ Akhiri: { $name }
my-child-card =
    🧒 <b>{ $name }</b>, { $months } bulan, { $place }
    Status: { $status }
    Komitmen: { $duration } bulan × { $amount } per bulan
end-ask-reason = Mengapa Anda mengakhiri pengasuhan ini? Ketik singkat, atau tekan Lewati.
sponsorship-end-done = Pengasuhan diakhiri. Terima kasih atas bantuan Anda; anak ini akan mendapat orang tua asuh baru.
sponsor-child-closed = Kasus { $name } ditutup oleh koordinator: { $reason }. Terima kasih atas pengasuhan Anda.
sponsor-child-transferred = { $name } dialihkan oleh koordinator kepada orang tua asuh lain. Terima kasih atas pengasuhan Anda.

## Coordinator: children
children-none = Tidak ada anak yang cocok. Cari dengan bagian nama, status (menunggu, diasuh, lulus, pindah, meninggal), kode wilayah, atau Puskesmas: <code>pkm:Lainea</code>, <code>pkm:"Lepo Lepo"</code>, <code>pkm:-</code> (tanpa Puskesmas).
children-header = <b>Anak: { $count }</b>
child-unknown = Anak dengan ID itu tidak ada.
child-card =
    🧒 <b>{ $name }</b> (<code>{ $id }</code>)
    { $sex }, lahir { $birth } ({ $months } bulan)
    Orang tua/wali: { $guardian } · { $phone }
    Alamat: { $address }
    Wilayah: { $area }
    Puskesmas: { $puskesmas } · Posyandu: { $posyandu }
    Status: { $status } · Orang tua asuh: { $sponsor }
    Catatan: { $notes }
close-case = 🔒 Tutup kasus
close-case-ask = Tutup kasus { $name } dengan alasan:
case-closed = 🔒 Kasus { $name } ditutup: { $status }.
child-edit-usage = Cara pakai: <code>/anak_ubah ID kolom nilai</code>; kolom: nama, wali, telepon, alamat, posyandu, catatan, kelurahan (kode).
child-edit-invalid = Nilai itu tidak bisa dipakai untuk kolom tersebut.
child-edited = ✅ Data anak <code>{ $id }</code> diperbarui.
match-nothing = Tidak ada anak yang menunggu.
match-preview =
    <b>Pratinjau pencocokan</b>
    Pasangan: { $pairs } · Tetap menunggu: { $unmatched } (tanpa orang tua asuh di kabupaten/kota: { $nosponsor }; kuota penuh: { $full })
match-preview-line = • { $area }: { $pairs } pasangan, { $unmatched } menunggu
match-preview-pair = ◦ { $child } ({ $place }) → { $sponsor }
match-preview-more = …dan { $count } pasangan lainnya
match-preview-more-areas = …dan { $count } kecamatan lainnya
match-confirm = ✅ Kirim tawaran
match-done = ✅ { $count } tawaran dikirim kepada orang tua asuh.
pair-usage = Cara pakai: <code>/pasangkan ID_ANAK ID_ORANG_TUA_ASUH</code>
pair-done = ✅ Tawaran anak <code>{ $child }</code> dikirim kepada <code>{ $sponsor }</code>.
transfer-usage = Cara pakai: <code>/alihkan ID_ANAK ID_ORANG_TUA_ASUH_BARU</code>
transfer-done = ✅ Anak <code>{ $child }</code> dialihkan; tawaran dikirim kepada <code>{ $sponsor }</code>.
commitment-usage = Cara pakai: <code>/komitmen ID_OPD BULAN NOMINAL</code>, misalnya <code>/komitmen 1 6 500000</code>. Bawaan program: { $months } bulan × { $amount }.
office-unknown = Instansi dengan ID itu tidak ada (lihat /opd).
commitment-set = ✅ Komitmen { $office }: { $months } bulan × { $amount } per bulan.

## Imports
import-help = Kirim file <b>CSV</b> atau <b>XLSX</b> daftar anak ke sini sebagai dokumen — ekspor e-PPGBM (SIGIZI) apa adanya juga bisa. Wilayah resmi disiapkan dengan /wilayah_tambah KODE (mis. 74.05). Kolom: nama, jenis kelamin, tanggal lahir, nama orang tua, kecamatan (wajib); no hp, alamat, kelurahan, posyandu, NIK, tinggi, berat, tanggal ukur, catatan (boleh). Untuk daftar wilayah (kode, nama, zona), beri kata «wilayah» pada nama atau keterangan file. Untuk hasil pengukuran, beri kata «pengukuran» pada nama atau keterangan file. Kolom: ID anak, atau NIK, atau nama anak + tanggal lahir (+ nama orang tua); tanggal ukur; tinggi/panjang (cm) (wajib); cara ukur (berbaring/berdiri; kosong = berbaring di bawah 2 tahun, berdiri sejak 2 tahun), berat (kg), LiLA (cm) (boleh). Pengukuran yang tidak masuk akal ditolak dengan alasannya; file yang sama boleh dikirim ulang.
import-too-big = File lebih dari 20 MB; Telegram tidak mengizinkan bot mengunduhnya. Pecah menjadi beberapa file.
import-wrong-type = Ini bukan file CSV atau XLSX. Simpan sebagai .xlsx atau .csv lalu kirim lagi.
import-received = 📥 File { $file } diterima; sedang diproses…
import-progress-downloading = 📥 Mengunduh { $file }…
import-progress-checking = 🔎 Memeriksa { $file }…
import-download-failed = File { $file } tidak bisa diunduh dari Telegram setelah beberapa kali mencoba. Silakan kirim lagi.
import-refused = ✖ File { $file } ditolak: { $reason }
import-report =
    ✅ <b>Impor { $file } selesai</b>
    Baris: { $rows } · ditambah: { $added } · diperbarui: { $updated } · sama: { $unchanged } · ditolak: { $rejected }
import-row-error = Baris { $line }: { $problem }
file-unreadable = file tidak bisa dibaca ({ $detail })
file-empty = file tidak berisi baris data
file-missing-columns = kolom wajib tidak ada: { $columns }
file-too-many-rows = lebih dari { $max } baris
file-unpacks-too-large = isi file ini setelah dibuka (diekstrak) lebih dari { $max } MB; pecah menjadi beberapa file atau simpan sebagai CSV
file-unpacks-too-dense = sebagian isi file ini mengembang lebih dari { $max } kali ukurannya saat dibuka, yang tidak terjadi pada spreadsheet biasa; simpan ulang dari Excel atau simpan sebagai CSV
row-missing = { $column } kosong
row-bad-name = nama anak tidak valid
row-bad-guardian = nama orang tua/wali tidak valid
row-bad-sex = «{ $value }» bukan jenis kelamin (L/P)
row-bad-date = «{ $value }» pada { $column } bukan tanggal (HH/BB/TTTT)
row-born-in-future = tanggal lahir setelah hari ini
row-over-five = anak sudah berusia 5 tahun atau lebih
row-unknown-kecamatan = kecamatan «{ $value }» tidak dikenal
row-unknown-village = kelurahan/desa «{ $value }» tidak ada di kecamatan itu
row-bad-phone = «{ $value }» bukan nomor telepon
row-bad-nik = «{ $value }» bukan NIK (16 angka)
row-bad-number = «{ $value }» pada { $column } bukan angka
row-implausible = tinggi atau berat tidak masuk akal untuk balita
row-measured-before-birth = tanggal ukur sebelum tanggal lahir
row-measured-in-future = tanggal ukur setelah hari ini
row-duplicate = anak yang sama dengan baris { $line }
row-bad-code = «{ $value }» bukan kode Kemendagri
row-bad-region-name = «{ $value }» bukan nama wilayah
row-hidden-characters = «{ $value }» berisi karakter tersembunyi (karakter kontrol atau pembalik arah teks)
row-bad-zone = «{ $value }» bukan zona waktu (WIB, WITA, WIT)
row-bad-point = «{ $value }» bukan titik koordinat (lintang, bujur — mis. -3.9721, 122.5149)
row-outside-scope = wilayah { $value } di luar wilayah tugas Anda
row-no-child = baris tidak menyebut anaknya (ID anak, NIK, atau nama dan tanggal lahir)
row-bad-child-id = «{ $value }» bukan ID anak
row-bad-position = «{ $value }» bukan cara ukur (berbaring/berdiri)
row-out-of-range = «{ $value }» pada { $column } bukan ukuran balita (tinggi dan LiLA dalam cm, berat dalam kg)
row-duplicate-measurement = anak dan tanggal ukur yang sama dengan baris { $line }
row-child-not-found = anak { $child } tidak ditemukan
row-child-outside-scope = anak { $child } di luar wilayah tugas Anda
row-child-ambiguous = ada beberapa anak { $child }; tambahkan ID anak, NIK, atau nama orang tua
row-measurement-not-recorded = pengukuran tidak dicatat: { $reason }
import-column-child-id = ID anak
import-column-child-ref = ID anak, NIK, atau nama + tanggal lahir
import-column-position = cara ukur
import-column-muac = LiLA
column-name = nama
column-sex = jenis kelamin
column-birth-date = tanggal lahir
column-guardian = nama orang tua
column-kecamatan = kecamatan
column-phone = no hp
column-address = alamat
column-village = kelurahan/desa
column-posyandu = posyandu
column-nik = NIK
column-height = tinggi
column-weight = berat
column-measured-on = tanggal ukur
column-notes = catatan

## More command menu descriptions
cmd-my-children = Anak asuh saya
cmd-request-child = Minta anak dari kecamatan saya
cmd-children = Cari anak (nama, status, kode wilayah, pkm:Puskesmas)
cmd-child = Lihat data anak
cmd-child-edit = Ubah data anak
cmd-match = Cocokkan anak dengan orang tua asuh
cmd-pair = Pasangkan anak dengan orang tua asuh
cmd-transfer = Alihkan anak ke orang tua asuh lain
cmd-commitment = Komitmen per instansi
cmd-import = Cara mengimpor daftar anak

## Pengiriman, pengingat dan rencana
cmd-deliveries = Pengiriman saya berikutnya
cmd-packages = Paket pangan (daftar, atau tambah: /paket Nama: beras 5 kg, telur 30)
cmd-cadences = Jadwal pengiriman (daftar, atau tambah: /jadwal Nama: dua mingguan senin)
cmd-plan-defaults = Paket dan jadwal bawaan per wilayah
weekday-mon = Senin
weekday-tue = Selasa
weekday-wed = Rabu
weekday-thu = Kamis
weekday-fri = Jumat
weekday-sat = Sabtu
weekday-sun = Minggu
button-delivered = ✅ Sudah diantar
button-reschedule = 📅 Ganti tanggal
button-reschedule-short = 📅
button-skip = ⏭ Lewati
button-skip-short = ⏭
reminder-before = 🧺 { $days } hari lagi, pada <b>{ $date }</b>, paket untuk <b>{ $child }</b> jatuh tempo: { $package } ({ $items }).
reminder-today = 🧺 Hari ini, <b>{ $date }</b>, paket untuk <b>{ $child }</b> jatuh tempo: { $package } ({ $items }).
    Setelah diserahkan, tekan ✅ dan kirim fotonya.
reminder-overdue = ⚠️ Paket untuk <b>{ $child }</b> yang jatuh tempo { $date } sudah terlambat { $days } hari dan belum dikonfirmasi: { $package } ({ $items }).
    Mohon antarkan, pindahkan ke hari lain, atau lewati dengan alasan.
reminder-escalate-volunteer = ⚠️ Paket untuk <b>{ $child }</b> (orang tua asuh: { $sponsor }) yang jatuh tempo { $date } terlambat { $days } hari: { $package }. Mohon cek ke keluarga, atau serahkan dan konfirmasi dengan foto.
reminder-escalate-coordinator = 🚨 Belum diantar: paket untuk <b>{ $child }</b> (<code>{ $id }</code>) yang jatuh tempo { $date } terlambat { $days } hari. Orang tua asuh: { $sponsor } (<code>{ $sponsor_id }</code>). Orang tua asuh dan relawan wilayah sudah diingatkan.
reminders-collapsed = 🧺 { $count } pengiriman menunggu Anda:
    { $lines }
reminders-line = • <b>{ $child }</b> — { $date }, { $state }{ $sponsor }
reminder-state-before = { $days } hari lagi
reminder-state-today = hari ini
reminder-state-late = terlambat { $days } hari
delivery-status-scheduled = terjadwal
delivery-status-due = jatuh tempo hari ini
delivery-status-overdue = terlambat
delivery-status-confirmed = terkonfirmasi
delivery-status-missed = terlewat
delivery-status-skipped = dilewati
delivery-status-cancelled = dibatalkan
delivery-not-yours = Pengiriman ini bukan wewenang Anda.
delivery-already-confirmed = Pengiriman ini sudah dikonfirmasi.
delivery-closed = Pengiriman ini sudah ditutup (dilewati, terlewat atau dibatalkan).
delivery-confirmed-already = ✅ Pengiriman ini sudah dikonfirmasi oleh { $by } pada { $when }.
delivery-thanks = 💚 Paket untuk <b>{ $child }</b> ({ $date }) sudah diserahkan dan dikonfirmasi relawan. Terima kasih atas dukungan Anda!
reschedule-ask = 📅 Kapan Anda akan mengantar paket untuk <b>{ $child }</b> (sekarang { $date })?
reschedule-no-days = Tidak ada hari lain untuk memindahkan pengiriman ini.
reschedule-in-the-past = Hari itu sudah lewat.
reschedule-too-late = Hari itu terlalu jauh dari tanggal rencana.
reschedule-clashes = Hari itu sama dengan atau sesudah pengiriman berikutnya.
reschedule-same-day = Pengiriman sudah pada hari itu.
delivery-rescheduled = 📅 Dicatat: paket untuk <b>{ $child }</b> akan diantar pada <b>{ $date }</b>. Pengingat mengikuti tanggal baru.
coordinator-delivery-rescheduled = 📅 { $sponsor } memindahkan pengiriman untuk { $child } (<code>{ $id }</code>) dari { $from } ke { $to }.
skip-ask-reason = ⏭ Mengapa paket untuk <b>{ $child }</b> ({ $date }) tidak diantar? Tulis alasannya dalam satu pesan.
skip-reason-too-short = Mohon tulis alasannya dalam beberapa kata.
delivery-skipped = ⏭ Dicatat: pengiriman untuk <b>{ $child }</b> ({ $date }) dilewati. Koordinator akan melihat alasan Anda.
coordinator-delivery-skipped = ⏭ { $sponsor } melewati pengiriman untuk { $child } (<code>{ $id }</code>) tanggal { $date }: “{ $reason }”
deliveries-none = Tidak ada pengiriman berikutnya.
deliveries-list = 🧺 Pengiriman Anda berikutnya:
    { $lines }
deliveries-line = • <b>{ $child }</b> — { $date } ({ $status })
coordinator-user-unreachable = 🔕 { $role ->
    [sponsor] Orang tua asuh
   *[other] Relawan
  } <b>{ $name }</b> (<code>{ $id }</code>) memblokir bot dan tidak lagi menerima pengingat. Mohon hubungi dengan cara lain.
package-error-name = Tulis paket seperti ini: Nama: barang jumlah satuan, barang jumlah satuan — misalnya <code>Paket gizi: beras 5 kg, telur 30 butir, susu 2 kotak</code>.
package-error-name-long = Nama paket terlalu panjang (paling banyak 60 karakter).
package-error-items = Setiap barang perlu nama dan jumlah, misalnya <code>beras 5 kg</code>.
package-error-too-many = Satu paket paling banyak 20 barang.
package-saved = 📦 Paket <b>{ $name }</b> disimpan: { $items }.
package-line = • <code>{ $id }</code> <b>{ $name }</b>: { $items }
packages-none = Belum ada paket. Tambahkan: <code>/paket Paket gizi: beras 5 kg, telur 30 butir, susu 2 kotak</code>
packages-list = 📦 Paket:
    { $lines }
    Tambah atau ubah: <code>/paket Nama: barang jumlah satuan, …</code>
cadence-help = Tulis jadwal seperti ini: Nama: aturan — misalnya <code>/jadwal Dua mingguan: dua mingguan senin</code>. Aturan: <code>mingguan senin</code>, <code>dua mingguan kamis</code>, <code>bulanan 15</code>, <code>cron 0 9 * * 1</code>.
cadence-error-kind = Aturan tidak dikenal. Gunakan <code>mingguan senin</code>, <code>dua mingguan kamis</code>, <code>bulanan 15</code> atau <code>cron 0 9 * * 1</code>.
cadence-error-weekday = Nama hari tidak dikenal (gunakan senin, selasa, … atau mon, tue, …).
cadence-error-day = Tanggal pengiriman bulanan antara 1 dan 28.
cadence-error-cron = Ekspresi cron itu tidak sah: lima bagian, menit jam tanggal bulan hari (mis. <code>0 9 * * 1</code>).
cadence-error-frequent = Ekspresi cron itu terlalu sering (paling banyak dua kali seminggu).
cadence-error-never = Ekspresi cron itu tidak pernah terjadi.
cadence-label = <b>{ $name }</b> ({ $spec })
cadence-weekly = setiap { $day }
cadence-biweekly = dua minggu sekali, hari { $day }
cadence-monthly = setiap bulan tanggal { $day }
cadence-cron = cron <code>{ $expr }</code>
cadence-saved = 🗓 Jadwal disimpan: { $cadence }.
cadences-none = Belum ada jadwal. Tambahkan: <code>/jadwal Dua mingguan: dua mingguan senin</code>
cadences-list = 🗓 Jadwal:
    { $lines }
plan-programme = Seluruh program
deliverer-sponsor = orang tua asuh yang mengantar
deliverer-volunteer = relawan yang mengantar
plan-default-line = • { $region }: { $package }, { $cadence }, { $deliverer }
plan-defaults = 🗂 Rencana bawaan:
    { $lines }
plan-needs-package-and-cadence = Tambahkan dulu paket (/paket) dan jadwal (/jadwal).
plan-choose-region = Atur bawaan untuk:
plan-choose-package = { $region }: paket yang mana?
plan-choose-cadence = { $region }: jadwal yang mana?
plan-choose-deliverer = { $region }: siapa yang menyerahkan paket?
plan-default-saved = ✅ Pengasuhan baru di { $region } mendapat { $package }, { $cadence }; { $deliverer }.
plan-change = 📦 Paket dan jadwal
plan-changed = ✅ { $child } sekarang mendapat { $package }, { $cadence }. { $added } pengiriman baru direncanakan; yang sudah dikonfirmasi tetap.
sponsor-plan-changed = 🗓 Rencana untuk <b>{ $child }</b> berubah: { $package } ({ $items }), { $cadence }. Pengiriman berikutnya: { $next }.
offer-plan = 📦 Paket: { $package } ({ $items }), { $cadence }; { $deliverer }.
offer-first-delivery = 🗓 Pengiriman pertama: <b>{ $date }</b>. Anda akan diingatkan 3 hari sebelumnya dan pada harinya; lihat { $deliveries }.
offer-no-plan-yet = 🗓 Koordinator akan menetapkan rencana pengiriman; Anda akan diberi tahu tanggalnya.
cadence-changed = 🗓 Jadwal diubah: { $cadence }. { $sponsorships } pengasuhan direncanakan ulang, { $added } pengiriman baru; yang sudah dikonfirmasi atau dipindahkan tetap.
cadence-same-rule = Aturan itu sudah ada dengan nama <b>{ $other }</b>.

## Confirmations and evidence
delivery-send-photo = 📷 Kirim foto paket yang diserahkan untuk <b>{ $child }</b> ({ $date }). Boleh beberapa foto sekaligus (album). Bagikan lokasi dengan tombol 📍 di bawah bila bisa. Foto yang dikirim sebagai <i>file</i> menyimpan waktu dan tempat pengambilannya.
evidence-expected = 📷 Mohon kirim foto paket yang diserahkan, atau gunakan tombol di bawah (/batal untuk berhenti).
button-share-location = 📍 Bagikan lokasi
button-report-problem = ⚠️ Tidak diterima / lapor masalah
button-cancel-confirmation = ✖️ Batal
evidence-nothing-to-confirm = Tidak ada pengiriman yang bisa Anda konfirmasi saat ini.
evidence-choose-delivery = ✅ Pengiriman mana yang Anda konfirmasi?
evidence-no-delivery = Foto diterima, tetapi tidak ada pengiriman yang bisa Anda konfirmasi saat ini. Relawan mengonfirmasi pengiriman anak di wilayahnya; orang tua asuh, pengiriman anak asuhnya (lihat /konfirmasi).
evidence-which-delivery = 📷 Foto diterima. Untuk pengiriman yang mana?
evidence-too-many-photos = Satu konfirmasi paling banyak 10 foto.
evidence-same-photo = Foto ini sudah ditambahkan.
evidence-photo-first = Kirim dulu foto paket yang diserahkan.
evidence-no-items = Tandai dulu barang yang tidak diterima.
evidence-no-problem = Pilih dulu alasannya.
evidence-text-too-short = Mohon tulis dalam beberapa kata.
evidence-text-too-long = Teks terlalu panjang (paling banyak 500 karakter).
evidence-not-your-child = Anda hanya dapat mengonfirmasi pengiriman untuk anak asuh Anda sendiri.
evidence-outside-area = Anak ini di luar wilayah Anda ({ $area }). Relawan hanya dapat mengonfirmasi pengiriman di wilayahnya.
evidence-file-too-big = File ini lebih dari 20 MB, batas unduhan Telegram. Kirim fotonya dalam ukuran lebih kecil atau sebagai foto biasa.
evidence-not-image = File ini bukan gambar. Kirim foto paket yang diserahkan (JPG, PNG, WebP atau HEIC).
evidence-bad-location = Lokasi itu tidak sah.
evidence-location-saved = 📍 Lokasi dicatat.
evidence-note-saved = 📝 Catatan disimpan.
evidence-cancelled = Konfirmasi dibatalkan. Tidak ada yang dicatat.
evidence-ask-outcome = 📷 { $photos } foto untuk <b>{ $child }</b> ({ $date }). Kirim foto lain bila perlu. Bagaimana paketnya diterima?
button-outcome-full = ✅ Diterima lengkap
button-outcome-partial = ⚠️ Diterima, ada yang kurang
button-outcome-not-received = ❌ Tidak diterima
evidence-ask-items = ⚠️ Paket untuk <b>{ $child }</b> ({ $date }): tekan barang yang <b>tidak</b> diterima (❌), lalu Selesai.
button-items-done = ➡️ Selesai
evidence-ask-problem = ❌ Mengapa paket untuk <b>{ $child }</b> ({ $date }) tidak diterima?
problem-family_moved = 🏠 Keluarga pindah
problem-nobody_home = 🚪 Tidak ada orang di rumah
problem-child_in_hospital = 🏥 Anak dirawat di rumah sakit
problem-refused = 🙅 Keluarga menolak
problem-other = ✏️ Lainnya
evidence-ask-problem-text = ✏️ Tulis masalahnya dalam satu pesan.
evidence-ask-note = 📝 Tulis catatan Anda dalam satu pesan.
outcome-full = diterima lengkap
outcome-partial = diterima, ada yang kurang
outcome-not_received = tidak diterima
evidence-summary-missing = Kurang: { $items }
evidence-summary-problem = Alasan: { $problem }
evidence-summary-no-place = tidak dibagikan
evidence-summary = 📋 <b>Ringkasan konfirmasi</b>
    Anak: <b>{ $child }</b> ({ $date })
    Foto: { $photos }
    Lokasi: { $place }
    Hasil: <b>{ $outcome }</b>
    { $details }
    Catatan: { $note }
    Kirim?
button-send-confirmation = 📨 Kirim
button-add-note = 📝 Catatan
evidence-done-full = ✅ Terima kasih! Pengiriman untuk <b>{ $child }</b> ({ $date }) tercatat: diterima lengkap.
evidence-done-partial = ✅ Tercatat: paket untuk <b>{ $child }</b> ({ $date }) diterima dengan kekurangan. Koordinator menindaklanjuti (kasus #{ $case }).
evidence-done-not_received = 📝 Tercatat: paket untuk <b>{ $child }</b> ({ $date }) tidak diterima. Koordinator menindaklanjuti (kasus #{ $case }).
delivery-thanks-partial = 📦 Paket untuk <b>{ $child }</b> ({ $date }) sudah diserahkan, tetapi ada yang kurang: { $missing }. Koordinator akan menindaklanjuti.
delivery-not-received-sponsor = ⚠️ Paket untuk <b>{ $child }</b> ({ $date }) belum diterima keluarga: { $problem }. Koordinator akan menindaklanjuti.
coordinator-case-partial = 📦 Kasus #{ $case }: paket untuk { $child } (<code>{ $id }</code>, orang tua asuh { $sponsor }, { $date }) diterima dengan kekurangan: { $missing }. Dilaporkan oleh { $by }. Lihat /kasus dan <code>/bukti { $delivery }</code>.
coordinator-case-not-received = ⚠️ Kasus #{ $case }: paket untuk { $child } (<code>{ $id }</code>, orang tua asuh { $sponsor }, { $date }) tidak diterima: { $problem }. Dilaporkan oleh { $by }. Lihat /kasus.
flag-reused_photo = 🚩 Bukti mencurigakan: foto pengiriman untuk { $child } ({ $date }) sama dengan foto pengiriman #{ $other }. Lihat <code>/bukti { $delivery }</code>.
flag-far_from_family = 🚩 Bukti mencurigakan: lokasi konfirmasi pengiriman untuk { $child } ({ $date }) { $km } km dari kelurahannya. Lihat <code>/bukti { $delivery }</code>.
flag-taken_long_before = 🚩 Bukti mencurigakan: foto pengiriman untuk { $child } ({ $date }) diambil { $days } hari sebelum dikirim. Lihat <code>/bukti { $delivery }</code>.
flag-taken_far_from_family = 🚩 Bukti mencurigakan: foto pengiriman untuk { $child } ({ $date }) diambil { $km } km dari kelurahannya. Lihat <code>/bukti { $delivery }</code>.
flag-line-reused_photo = 🚩 foto sama dengan pengiriman #{ $other }
flag-line-far_from_family = 🚩 lokasi { $km } km dari kelurahan
flag-line-taken_long_before = 🚩 foto diambil { $days } hari sebelum dikirim
flag-line-taken_far_from_family = 🚩 foto diambil { $km } km dari kelurahan
evidence-refused-too-big = File yang Anda kirim untuk pengiriman #{ $delivery } terlalu besar untuk diunduh (batas 20 MB). Konfirmasinya tercatat; mohon kirim fotonya lagi dalam ukuran lebih kecil kepada koordinator.
evidence-refused-not-image = File yang Anda kirim untuk pengiriman #{ $delivery } ternyata bukan gambar, jadi tidak disimpan sebagai bukti. Konfirmasinya tercatat.
evidence-download-failed = Foto Anda untuk pengiriman #{ $delivery } tidak dapat diambil dari Telegram. Konfirmasinya tercatat; koordinator mungkin meminta fotonya lagi.
cmd-confirm = Konfirmasi pengiriman dengan foto
cmd-evidence = Bukti pengiriman: foto, lokasi, tanda
cmd-cases = Kasus pengiriman yang belum selesai
evidence-usage = Gunakan <code>/bukti</code> untuk konfirmasi terbaru, atau <code>/bukti 123</code> untuk bukti satu pengiriman.
evidence-none-yet = Belum ada konfirmasi pengiriman di wilayah Anda.
evidence-recent = 🧾 Konfirmasi terbaru:
    { $lines }
evidence-recent-line = • #{ $delivery } { $child }: { $outcome }{ $flags }
evidence-not-found = Pengiriman itu tidak ada di wilayah Anda.
evidence-not-confirmed = Pengiriman itu belum dikonfirmasi.
confirmed-as-sponsor = orang tua asuh
confirmed-as-volunteer = relawan
confirmed-as-coordinator = koordinator
evidence-confirmation-line = • { $by } ({ $role }), { $when }: <b>{ $outcome }</b> { $details }
      lokasi: { $place }; catatan: { $note }
evidence-view = 🧾 <b>Bukti pengiriman #{ $delivery }</b>
    { $child } — { $date } ({ $status }), orang tua asuh { $sponsor }
    Foto: { $photos } ({ $stored } tersimpan)
    { $lines }
button-export-evidence = 📤 Ekspor (file asli + CSV)
evidence-picture-pending = Foto { $n } (belum tersimpan; diunduh ulang)
evidence-picture-stored = Foto { $n } · SHA-256 <code>{ $sha }</code> · { $kb } KB · diambil { $taken }
evidence-picture-refused = Foto { $n } ditolak: { $error }
evidence-picture-failed = Foto { $n } gagal diambil: { $error }
evidence-export-caption = 📤 Manifes bukti pengiriman #{ $delivery } (CSV)
evidence-camera-time = { $time } (jam kamera)
manifest-col-delivery = ID pengiriman
manifest-col-child = ID anak
manifest-col-due-on = Tanggal jatuh tempo
manifest-col-confirmation = ID konfirmasi
manifest-col-confirmed-by = Dikonfirmasi oleh (ID Telegram)
manifest-col-confirmed-as = Sebagai
manifest-col-outcome = Hasil
manifest-col-missing = Barang kurang
manifest-col-problem = Masalah
manifest-col-note = Catatan
manifest-col-confirmed-at = Dikonfirmasi pada
manifest-col-photo = ID foto
manifest-col-file-unique-id = ID berkas Telegram
manifest-col-state = Status foto
manifest-col-sha256 = SHA-256
manifest-col-size = Ukuran (byte)
manifest-col-kind = Jenis berkas
manifest-col-stored-as = Disimpan sebagai
manifest-col-received-at = Diterima pada
manifest-col-shared-lat = Lintang lokasi dibagikan
manifest-col-shared-lon = Bujur lokasi dibagikan
manifest-col-taken-at = Diambil (jam kamera)
manifest-col-taken-lat = Lintang EXIF
manifest-col-taken-lon = Bujur EXIF
manifest-col-flags = Tanda
manifest-col-zone = Zona waktu
evidence-state-pending = menunggu unduhan
evidence-state-stored = tersimpan
evidence-state-refused = ditolak
evidence-state-failed = gagal diambil
flag-kind-reused_photo = foto dipakai ulang
flag-kind-far_from_family = lokasi jauh dari keluarga
flag-kind-taken_long_before = foto diambil jauh sebelumnya
flag-kind-taken_far_from_family = foto diambil jauh dari keluarga
cases-none = Tidak ada kasus terbuka di wilayah Anda.
cases-list = 📂 Kasus terbuka:
    { $lines }
cases-line = • <b>Kasus { $case }</b> — { $child }: { $outcome } — { $what } (oleh { $by }, { $opened }; pengiriman <code>{ $delivery }</code>)
button-resolve-case = ✔️ Selesaikan kasus { $case }
case-already-resolved = Kasus itu sudah diselesaikan.
case-resolved = ✔️ Kasus { $case } ({ $child }) diselesaikan; pelapor dan orang tua asuh diberi tahu.
coordinator-evidence-lost = 📷 Foto bukti pengiriman untuk { $child } ({ $date }) tidak dapat diambil dari Telegram setelah beberapa kali dicoba. Konfirmasinya tetap tercatat; mintalah fotonya lagi. Lihat <code>/bukti { $delivery }</code>.

## No child falls through the cracks
offer-no-volunteer = 🙋 Belum ada relawan di { $place }: paket diantar oleh Anda sendiri. Koordinator sudah diberi tahu.
coordinator-no-volunteer = ⚠️ Belum ada relawan di { $area }: { $sponsor } mengantar sendiri paket untuk { $child } (<code>{ $id }</code>). Undang relawan dengan /undang.
plan-default-without = { $count } pengasuhan aktif di sini belum punya rencana pengiriman.
plan-default-apply = 📦 Terapkan ke { $count } pengasuhan
plan-default-applied = ✅ Rencana bawaan diterapkan ke { $count } pengasuhan; orang tua asuhnya diberi tahu.
button-remind = 🔔 Ingatkan
button-reassign = 🔁 Alihkan
reminders-collapsed-coordinator = 🚨 { $count } pengiriman terlambat di wilayah Anda:
    { $lines }
reminder-nudge = 🔔 Koordinator mengingatkan: paket untuk <b>{ $child }</b> yang jatuh tempo { $date } terlambat { $days } hari ({ $package }). Setelah diserahkan, tekan ✅ dan kirim fotonya.
nudge-sent = Pengingat terkirim.
nudge-already = Sudah diingatkan hari ini.
reassign-choose = 🔁 Pilih orang tua asuh baru untuk { $name } (yang masih punya tempat):
reassign-none = Tidak ada orang tua asuh lain dengan tempat kosong di wilayah { $name }.
coordinator-unreachable-ask = 🔕 <b>{ $name }</b> (<code>{ $id }</code>) tidak dapat dihubungi lewat Telegram sejak { $days } hari; { $children } anak asuhnya tidak mendapat pengingat. Lepaskan anak-anak itu agar ditawarkan ke orang tua asuh lain?
unreachable-release = 🔁 Lepaskan anak-anaknya
unreachable-wait = ⏳ Tunggu, saya hubungi dulu
unreachable-released = ✅ { $count } pengasuhan { $name } dilepas; anak-anaknya menunggu orang tua asuh baru.
unreachable-kept = ⏳ Anak-anak asuh { $name } tetap padanya. Mohon hubungi dengan cara lain.
unreachable-reachable = { $name } sudah dapat dihubungi lagi; tidak ada yang diubah.
coordinator-reason = 💬 Alasan { $sponsor } untuk { $child } (<code>{ $id }</code>): { $reason }
welcome-coordinator = Selamat datang, <b>{ $name }</b>! 👋 Anda koordinator program Bapak/Bunda Asuh Anak Stunting untuk { $area }. Lihat { $help } untuk perintah Anda.
cmd-check = Yang perlu perhatian
doctor-all-well = ✅ Tidak ada yang perlu perhatian: setiap anak asuh punya orang tua asuh aktif, rencana dan pengantar.
doctor-header = 🩺 <b>{ $count } hal perlu perhatian</b>
doctor-sponsored-without-sponsor = • { $child } (<code>{ $id }</code>) tercatat diasuh, tetapi tidak punya orang tua asuh.
doctor-sponsorship-without-deliveries = • { $child } (<code>{ $id }</code>): pengasuhan aktif tanpa pengiriman yang akan datang.
doctor-delivery-without-deliverer = • { $child } (<code>{ $id }</code>): pengiriman tanpa pengantar yang dapat dihubungi (tidak ada relawan, atau orang tua asuh memblokir bot).
doctor-waiting-with-sponsor-free = • { $child } (<code>{ $id }</code>) menunggu, padahal ada orang tua asuh di kecamatannya yang masih punya tempat.
doctor-offer-past-expiry = • { $child } (<code>{ $id }</code>): tawaran sudah lewat batas waktu tetapi belum kedaluwarsa (penjadwal tidak berjalan?).
doctor-case-open-too-long = • { $child } (<code>{ $id }</code>): kasus #{ $case } terbuka terlalu lama.
doctor-fix-sync = 🔧 Perbaiki status { $child }
doctor-fix-plan = 🗓 Rencanakan { $child }
doctor-fix-reassign = 🔁 Alihkan { $child }
doctor-fix-offer = 🤝 Tawarkan { $child }
doctor-fix-expire = ⌛ Kedaluwarsakan tawaran lama
doctor-fix-case = ✔️ Selesaikan kasus { $child }
doctor-fixed-sync = ✅ Status anak diperbaiki.
doctor-fixed-plan = ✅ Rencana diterapkan lagi: { $added } pengiriman baru; orang tua asuh diberi tahu.
doctor-fixed-expire = ✅ { $count } tawaran kedaluwarsa.
case-resolution-ask = ✍️ Kasus { $case } ({ $child }): apa yang sudah dilakukan? Tulis singkat; pelapor dan orang tua asuh akan membacanya. (/batal untuk membatalkan)
case-resolution-too-short = Tulis sedikit lebih panjang: apa yang sudah dilakukan?
case-resolved-notice = ✔️ Masalah pengiriman untuk { $child } sudah ditangani koordinator: { $what }
region-catalog-added = ✅ <b>{ $name }</b> (<code>{ $code }</code>) disiapkan dari daftar resmi Kemendagri: { $added } wilayah baru ({ $districts } kecamatan, { $villages } desa/kelurahan).
region-catalog-unknown = Kode <code>{ $code }</code> tidak ada dalam daftar wilayah resmi.
row-near-kecamatan = kecamatan «{ $value }» tidak dikenal; yang terdekat: { $nearest }
row-near-village = kelurahan/desa «{ $value }» tidak ada di kecamatan itu; yang terdekat: { $nearest }
row-village-elsewhere = Desa «{ $value }» ada di Kecamatan { $kecamatan }, bukan di kecamatan baris ini
row-village-in-several = kecamatan kosong, dan kelurahan/desa «{ $value }» ada di beberapa kecamatan: { $kecamatan }; isi kolom kecamatan
row-kecamatan-in-several = kecamatan «{ $value }» ada di beberapa kabupaten/kota: { $regencies }; isi kolom Kab/Kota
column-puskesmas = Puskesmas
column-position = cara ukur
column-file-haz = ZS TB/U
column-file-waz = ZS BB/U
column-file-whz = ZS BB/TB
column-regency = kab/kota
row-z-differs = ZS { $indicator } di file { $file }, menurut WHO { $ours }: periksa tinggi/berat dan tanggalnya
import-warnings = ⚠️ { $count } baris diimpor dengan catatan:
import-row-warning = Baris { $line }: { $problem }
import-rejected-file-note = 📎 Baris yang ditolak dikirim sebagai file dengan kolom alasan: perbaiki dan kirim file itu lagi apa adanya.
import-rejected-file-caption = Baris yang ditolak, dengan alasannya. Perbaiki lalu kirim file ini lagi.
import-rejected-file-suffix = ditolak
import-rejected-reason-column = Alasan penolakan

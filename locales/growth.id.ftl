# Growth monitoring: measurements, z-scores against the WHO standards, the growth chart, graduation.

cmd-measure = Catat pengukuran tinggi dan berat anak

## Indicators and their classes (Permenkes 2/2020, WHO 2006)
indicator-haz = TB/U
indicator-waz = BB/U
indicator-whz = BB/TB
indicator-baz = IMT/U
class-severely-stunted = sangat pendek
class-stunted = pendek (stunting)
class-normal = normal
class-severely-underweight = berat badan sangat kurang
class-underweight = berat badan kurang
class-severely-wasted = gizi buruk
class-wasted = gizi kurang

## The growth card
growth-card-title = 🧒 <b>{ $name }</b> (<code>{ $id }</code>), { $months } bulan, { $place }
growth-card-puskesmas = 🏥 Puskesmas { $puskesmas }
growth-never = 📏 Belum pernah diukur.
growth-latest = 📏 <b>Pengukuran terakhir { $date }</b> (umur { $months } bulan; { $count } pengukuran): { $values }
growth-length-lying = { $cm } cm berbaring
growth-length-standing = { $cm } cm berdiri
growth-weight = { $kg } kg
growth-muac = LiLA { $cm } cm
growth-z-line = • { $indicator } { $z }{ $class }{ $change }
growth-change = {" "}({ $arrow } { $delta } sejak { $since })
growth-unchanged = {" "}(tetap sejak { $since })
growth-button-measure = 📏 Ukur
growth-button-chart = 📈 Grafik
growth-chart-caption = 📈 Tinggi badan { $name } menurut umur terhadap kurva WHO ({ $count } pengukuran).
growth-chart-file = grafik-pertumbuhan
growth-chart-failed = Grafik tidak bisa dibuat saat ini. Silakan coba lagi nanti.

## The chart
chart-growth-title = { $name } — panjang/tinggi badan menurut umur
chart-growth-subtitle = { $sex } · Standar Pertumbuhan Anak WHO 2006
chart-growth-x = Umur (bulan)
chart-growth-y = Panjang/tinggi badan (cm)
chart-growth-minus3 = −3 SD
chart-growth-minus2 = −2 SD (batas stunting)
chart-growth-median = Median
chart-growth-plus2 = +2 SD
chart-growth-empty = Belum ada pengukuran

## Choosing a child to measure
measure-not-allowed = Pengukuran dicatat oleh relawan dan koordinator wilayah anak.
measure-none = Tidak ada anak yang cocok di wilayah Anda.
measure-list = <b>Anak di wilayah Anda: { $count }</b>. Yang paling lama belum diukur di atas. Pilih anak, atau ketik <code>/ukur nama</code>.
measure-child-button = { $name }, { $months } bln · ukur terakhir { $last }
measure-never-short = belum pernah

## Entering a measurement
measure-ask-date =
    📏 Pengukuran <b>{ $name }</b> ({ $months } bulan).
    Tanggal pengukuran? Pilih, atau ketik tanggal (hh-bb-tttt).
measure-button-today = Hari ini ({ $date })
measure-button-yesterday = Kemarin ({ $date })
measure-ask-length = Panjang/tinggi badan { $name } dalam cm? Contoh: <code>82,5</code>
measure-ask-position = Diukur berbaring (panjang badan) atau berdiri (tinggi badan)? { $hint }
measure-usual-lying = Anak di bawah 2 tahun biasanya diukur berbaring.
measure-usual-standing = Anak 2 tahun ke atas biasanya diukur berdiri.
measure-button-lying = 🛏 Berbaring
measure-button-standing = 🧍 Berdiri
measure-ask-weight = Berat badan dalam kg? Contoh: <code>10,2</code>. Tekan Lewati bila anak tidak ditimbang.
measure-ask-muac = Lingkar lengan atas (LiLA) dalam cm? Contoh: <code>13,5</code>. Boleh dilewati.
measure-button-skip = Lewati
measure-button-cancel = ✖️ Batal
measure-button-save = 💾 Simpan
measure-button-redo = ✏️ Ulangi
measure-review = 📏 <b>{ $name }</b>, { $date }: { $values }
measure-replaces = ⚠️ Menggantikan pengukuran hari itu: { $values }
measure-standing-under-nine-months = ⚠️ Bayi di bawah 9 bulan belum bisa berdiri, jadi WHO tidak memakai «berdiri» untuknya: angka ini dihitung sebagai panjang badan berbaring, tanpa tambahan 0,7 cm. Bila bayi sebenarnya diukur berbaring, tekan Ulangi dan pilih Berbaring.
measure-bad-date = Tanggal tidak dikenali. Ketik seperti <code>24-11-2026</code>, atau pilih tombol.
measure-bad-length = Tulis panjang/tinggi dalam cm dengan satu angka desimal paling banyak, misalnya <code>82,5</code> (30 sampai 140 cm).
measure-bad-position = Pilih tombol Berbaring atau Berdiri.
measure-bad-weight = Tulis berat dalam kg, misalnya <code>10,2</code> (0,5 sampai 40 kg), atau tekan Lewati.
measure-bad-muac = Tulis LiLA dalam cm, misalnya <code>13,5</code> (5 sampai 30 cm), atau tekan Lewati.
measure-press-a-button = Tekan Simpan, Ulangi atau Batal di bawah ringkasan pengukuran.
measure-expected = Pengukuran sedang dicatat: jawab pertanyaan terakhir, atau ketik /batal.
measure-cancelled = Pengukuran dibatalkan; tidak ada yang disimpan.
measure-saved = ✅ Pengukuran { $name } tanggal { $date } tersimpan.
measure-replaced = ✅ Pengukuran { $name } tanggal { $date } diperbaiki.
measure-unchanged = Pengukuran { $name } tanggal { $date } sudah tercatat persis sama.
measure-graduation-asked = 🎓 Dua pengukuran berturut-turut di atas batas stunting: koordinator diminta memutuskan kelulusan.
measure-after-confirm = 📏 Sekalian mengukur { $name }? Langkah terakhir ini boleh dilewati.
measure-after-confirm-button = 📏 Catat pengukuran

## Refusals
measure-refused-future = Tanggal itu belum lewat. Kirim tanggal pengukuran yang benar.
measure-refused-before-birth = Tanggal itu sebelum anak lahir. Kirim tanggal pengukuran yang benar.
measure-refused-too-old = Pada tanggal itu anak sudah lebih dari 5 tahun; standar WHO hanya sampai umur 5 tahun.
measure-refused-flagged = Nilai ini memberi { $indicator } { $z } SD, di luar batas wajar WHO ({ $low } sampai { $high }). Kemungkinan salah ukur atau salah ketik: mohon ukur ulang lalu kirim lagi.
measure-refused-shorter = Tinggi ini { $by } cm lebih pendek daripada pengukuran { $date } ({ $before }). Anak tidak memendek: mohon ukur ulang lalu kirim lagi.
measure-refused-taller = Tinggi ini { $by } cm lebih tinggi daripada pengukuran sesudahnya, { $date } ({ $after }). Periksa tanggal dan ukurannya.
measure-refused-weight = Berat ini dua kali lipat atau separuh dari { $other } kg pada { $date }, hanya { $days } hari jaraknya. Mohon timbang ulang lalu kirim lagi.
row-measurement-refused = anak dicatat, pengukurannya tidak: { $reason }

## Graduation
graduation-ask =
    🎓 <b>{ $name }</b> (<code>{ $id }</code>) keluar dari stunting pada dua pengukuran berturut-turut: TB/U { $before } ({ $before_on }) dan { $latest } ({ $latest_on }).
    Orang tua asuh: { $sponsor }. Akhiri pengasuhan karena anak lulus, atau lanjutkan?
graduation-button-end = 🎓 Akhiri: anak lulus
graduation-button-keep = Lanjutkan pengasuhan
graduation-kept = Pengasuhan { $name } dilanjutkan.
graduation-ended = 🎓 { $name } lulus; pengasuhan diakhiri dan orang tua asuh sudah diberi tahu. Saat ini tidak ada anak menunggu di kecamatannya.
graduation-ended-offered = 🎓 { $name } lulus; pengasuhan diakhiri. Orang tua asuh sudah berterima kasih dan ditawari anak berikutnya.
graduation-already-end = { $name } sudah diluluskan oleh { $by }.
graduation-already-keep = { $by } sudah memutuskan melanjutkan pengasuhan { $name }.
graduation-stale = Pengasuhan { $name } sudah berubah sejak pertanyaan ini; tidak ada yang diubah.
sponsor-graduated = 🎓 Kabar baik: { $name } tidak lagi stunting (TB/U { $haz } pada dua pengukuran berturut-turut). Koordinator menyatakan { $name } lulus dan pengasuhan selesai. Terima kasih atas kepedulian Anda!
sponsor-graduated-none-waiting = Saat ini belum ada anak lain yang menunggu di wilayah Anda. Ketik /minta_anak kapan saja untuk mengasuh lagi.

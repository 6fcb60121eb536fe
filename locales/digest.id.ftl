# Coordinator digests, weekly summaries with their chart, and the sponsors' monthly notes.

cmd-digest = Ringkasan harian untuk koordinator
digest-whole-programme = seluruh program
digest-title = 📋 <b>Ringkasan { $area }</b> — { $date }
digest-nothing = 📋 Ringkasan { $area }, { $date }: tidak ada yang perlu dilaporkan.
digest-office-suffix = {" "}({ $office })
digest-community = Masyarakat umum
digest-attention = 🩺 <b>Perlu perhatian: { $count }</b> (tombol di bawah memperbaikinya)
digest-due = 📦 <b>Jatuh tempo hari ini: { $count }</b> ({ $done } sudah dikonfirmasi)
digest-due-line = • { $child } — { $sponsor }{ $office }
digest-due-line-volunteer = • { $child } — { $sponsor }{ $office }, diantar relawan
digest-due-line-done = • ✅ { $child } — { $sponsor }{ $office }
digest-overdue-sponsors = ⏰ <b>Terlambat: { $count } pengiriman dari { $sponsors } orang tua asuh</b> (terlama dulu)
digest-overdue-sponsor = • { $name }{ $office } — { $count } pengiriman, terlama { $days } hari
digest-overdue-offices = 🏛 <b>Terlambat per OPD</b>
digest-overdue-office = • { $office } — { $count } pengiriman dari { $sponsors } orang tua asuh, terlama { $days } hari
digest-confirmed = ✅ <b>Terkonfirmasi sejak ringkasan terakhir: { $count }</b>
digest-confirmed-line = • { $child } — { $by }, { $at } (#{ $delivery })
digest-confirmed-line-partial = • { $child } — { $by }, { $at } (#{ $delivery }), ada barang kurang
digest-flags = 🚩 <b>Bukti ditandai: { $count }</b>
digest-flag-line = • #{ $delivery } { $child }: { $flag }
digest-cases = 🆘 <b>Masalah terbuka: { $count }</b> ({ $new } baru)
digest-case-line = • Kasus #{ $case } { $child }: { $problem }, { $days } hari
digest-case-partial = barang kurang
digest-haz-worse = 📉 <b>TB/U memburuk sejak ringkasan terakhir: { $count }</b> (penurunan terbesar dulu)
digest-haz-worse-line = • { $name } ({ $place }): { $before } → { $after }, diukur { $date }
digest-left-stunting = 🌱 <b>Keluar dari stunting sejak ringkasan terakhir: { $count }</b>
digest-left-stunting-line = • { $name }: TB/U { $before } → { $after }, diukur { $date }
digest-waiting = 👶 <b>Anak belum punya orang tua asuh: { $count }</b>
digest-waiting-line = • #{ $child } { $name } ({ $kecamatan }), TB/U { $haz }, menunggu { $days } hari
digest-unmeasured = 📏 <b>Belum diukur lebih dari { $days } hari: { $count } anak</b> (terlama dulu)
digest-unmeasured-line = • { $name } ({ $place }): terakhir diukur { $date }, { $days } hari lalu
digest-unmeasured-line-never = • { $name } ({ $place }): belum pernah diukur, terdaftar { $days ->
        [0] hari ini
       *[other] { $days } hari lalu
    }
digest-unreachable = 📵 <b>Orang tua asuh tak terjangkau: { $count }</b>
digest-unreachable-line = • { $name }{ $office }, sejak { $since }
digest-coverage = 📈 Cakupan: { $sponsored }/{ $registered } anak punya orang tua asuh ({ $children_pct } %) · tepat waktu 30 hari terakhir: { $on_time }
digest-on-time-share = { $on_time }/{ $decided } ({ $pct } %)
digest-on-time-none = tidak ada pengiriman yang jatuh tempo
digest-on-time-not-yet = belum ada yang dapat dinilai (yang jatuh tempo hari ini belum lewat harinya)
digest-weekly-on-time = { $pct } % tepat waktu ({ $on_time }/{ $decided })
digest-more = … dan { $count } lainnya
digest-more-in-report = … dan { $count } lainnya: lihat /laporan
digest-show-all = Lihat semua: { $section }
digest-section-at = perlu perhatian
digest-section-due = jatuh tempo
digest-section-ovs = terlambat per orang tua asuh
digest-section-ovo = terlambat per OPD
digest-section-cf = terkonfirmasi
digest-section-fl = bukti ditandai
digest-section-cs = masalah
digest-section-hw = TB/U memburuk
digest-section-ls = keluar dari stunting
digest-section-un = anak tanpa orang tua asuh
digest-section-nm = belum diukur
digest-section-ur = tak terjangkau
digest-section-empty = Daftar { $section } sekarang kosong.
digest-settings-button = ⚙️ Jadwal ringkasan
digest-settings =
    ⚙️ <b>Jadwal ringkasan</b>
    Harian: { $daily }
    Mingguan (dengan grafik): { $weekly }
    Zona waktu: { $zone }
    Pilih jam ringkasan harian, atau ketik <code>/ringkasan HH:MM</code> atau ekspresi cron 5 kolom (mis. <code>/ringkasan 0 7 * * 1-5</code>).
digest-off = mati
digest-daily-at = setiap hari pukul { $time }
digest-weekly-at = setiap { $day } pukul { $time }
digest-cron = cron <code>{ $cron }</code>
digest-button-off = 🔕 Matikan harian
digest-button-weekly-off = 🔕 Matikan mingguan
digest-button-weekly-on = 📊 Mingguan: { $day }
digest-saved = ✅ Jadwal disimpan. Ringkasan berikutnya: { $next }.
digest-saved-off = 🔕 Ringkasan harian dimatikan. Ketik /ringkasan kapan saja untuk melihatnya.
digest-weekly-saved-off = 🔕 Ringkasan mingguan dimatikan.
digest-bad-schedule = ⚠️ Jadwal tidak dapat dibaca: { $error }. Contoh: <code>/ringkasan 06:30</code> atau <code>/ringkasan 0 7 * * 1-5</code>.
digest-weekly =
    📊 <b>Ringkasan mingguan { $area }</b>
    Minggu lalu: { $due } pengiriman jatuh tempo — { $on_time } tepat waktu, { $late } dikonfirmasi terlambat, { $overdue } terlambat, { $missed } terlewat.
    { $weeks } minggu terakhir: { $weeks_on_time }.
    Cakupan: { $sponsored }/{ $registered } anak punya orang tua asuh ({ $children_pct } %).
digest-weekly-puskesmas = 🏥 <b>Per Puskesmas — { $area }</b> (anak saat ini; pengiriman { $weeks } minggu terakhir)
digest-weekly-puskesmas-line = • { $name }: { $sponsored }/{ $registered } anak punya orang tua asuh ({ $children_pct } %), { $waiting } menunggu · { $weeks_on_time }
digest-no-puskesmas = (tanpa Puskesmas)
chart-title = { $area }, { $from } s.d. { $to }
chart-weeks-title = Pengiriman per minggu (12 minggu terakhir)
chart-on-time = Tepat waktu
chart-late = Dikonfirmasi terlambat
chart-overdue = Terlambat
chart-missed = Terlewat
chart-coverage-title = Cakupan per kecamatan (anak punya orang tua asuh / terdaftar)
chart-footnote = { $shown } dari { $count } kecamatan, cakupan terendah dulu
chart-empty = Belum ada data
month-1 = Januari
month-2 = Februari
month-3 = Maret
month-4 = April
month-5 = Mei
month-6 = Juni
month-7 = Juli
month-8 = Agustus
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Desember
note-title = 🗓 <b>Catatan bulan { $month }</b>
note-no-deliveries = Tidak ada pengiriman yang jatuh tempo bulan ini.
note-deliveries = Pengiriman: { $due } jatuh tempo — { $on_time } tepat waktu, { $late } dikonfirmasi terlambat, { $overdue } terlambat, { $missed } terlewat{ $skipped ->
        [0] {""}
       *[other] ; { $skipped } dilewati
    }.
note-children = Anak asuh Anda:
note-child = • { $name }: { $status } (TB/U { $haz }, diukur { $measured }); pengiriman terakhir { $delivered }
note-progress-improved = Tinggi menurut umur membaik dari { $before } menjadi { $after } sejak { $since }.
note-progress-worsened = Tinggi menurut umur menurun dari { $before } menjadi { $after } sejak { $since }.
note-progress-unchanged = Tinggi menurut umur tetap di { $after } sejak { $since }.
note-progress-once = Tinggi menurut umur baru diukur sekali ({ $haz }, { $month }); perkembangannya terlihat setelah pengukuran berikutnya.
note-progress-not-since = Belum ada pengukuran baru sejak masa asuh dimulai; terakhir { $haz } ({ $month }).
note-thanks = Terima kasih telah mendampingi. 🙏
chart-file = ringkasan-mingguan
digest-error-bad = tulis jam (HH:MM) atau 5 kolom cron: menit jam tanggal bulan hari
digest-error-never = jadwal itu tidak pernah terjadi
digest-error-frequent = lebih dari 4 kali sehari terlalu sering

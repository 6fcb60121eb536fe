# Reports: /laporan and `asuh report`.

cmd-report = Laporan (CSV dan XLSX) per periode dan wilayah

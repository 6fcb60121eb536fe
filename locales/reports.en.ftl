# Reports: /laporan and `asuh report`.

cmd-report = Report (CSV and XLSX) for a period and region

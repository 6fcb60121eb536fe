# Coordinator digests, weekly summaries with their chart, and the sponsors' monthly notes.

cmd-digest = Daily digest for coordinators
digest-whole-programme = the whole programme
digest-title = 📋 <b>Digest for { $area }</b> — { $date }
digest-nothing = 📋 Digest for { $area }, { $date }: nothing to report.
digest-office-suffix = {" "}({ $office })
digest-community = Community members
digest-attention = 🩺 <b>Needs attention: { $count }</b> (the buttons below fix it)
digest-due = 📦 <b>Due today: { $count }</b> ({ $done } already confirmed)
digest-due-line = • { $child } — { $sponsor }{ $office }
digest-due-line-volunteer = • { $child } — { $sponsor }{ $office }, delivered by volunteers
digest-due-line-done = • ✅ { $child } — { $sponsor }{ $office }
digest-overdue-sponsors = ⏰ <b>Overdue: { $count } deliveries of { $sponsors } sponsors</b> (longest first)
digest-overdue-sponsor = • { $name }{ $office } — { $count } deliveries, oldest { $days } days
digest-overdue-offices = 🏛 <b>Overdue by office (OPD)</b>
digest-overdue-office = • { $office } — { $count } deliveries of { $sponsors } sponsors, oldest { $days } days
digest-confirmed = ✅ <b>Confirmed since the last digest: { $count }</b>
digest-confirmed-line = • { $child } — { $by }, { $at } (#{ $delivery })
digest-confirmed-line-partial = • { $child } — { $by }, { $at } (#{ $delivery }), items missing
digest-flags = 🚩 <b>Flagged evidence: { $count }</b>
digest-flag-line = • #{ $delivery } { $child }: { $flag }
digest-cases = 🆘 <b>Open problems: { $count }</b> ({ $new } new)
digest-case-line = • Case #{ $case } { $child }: { $problem }, { $days } days
digest-case-partial = items missing
digest-haz-worse = 📉 <b>Height-for-age worse since the last digest: { $count }</b> (largest drop first)
digest-haz-worse-line = • { $name } ({ $place }): { $before } → { $after }, measured { $date }
digest-left-stunting = 🌱 <b>Out of stunting since the last digest: { $count }</b>
digest-left-stunting-line = • { $name }: HAZ { $before } → { $after }, measured { $date }
digest-waiting = 👶 <b>Children without a sponsor: { $count }</b>
digest-waiting-line = • #{ $child } { $name } ({ $kecamatan }), HAZ { $haz }, waiting { $days } days
digest-unmeasured = 📏 <b>Not measured for over { $days } days: { $count ->
        [one] 1 child
       *[other] { $count } children
    }</b> (longest first)
digest-unmeasured-line = • { $name } ({ $place }): last measured { $date }, { $days } days ago
digest-unmeasured-line-never = • { $name } ({ $place }): never measured, registered { $days ->
        [0] today
        [one] 1 day ago
       *[other] { $days } days ago
    }
digest-unreachable = 📵 <b>Sponsors not reachable: { $count }</b>
digest-unreachable-line = • { $name }{ $office }, since { $since }
digest-coverage = 📈 Coverage: { $sponsored }/{ $registered } children sponsored ({ $children_pct } %) · on time in the last 30 days: { $on_time }
digest-on-time-share = { $on_time }/{ $decided } ({ $pct } %)
digest-on-time-none = no delivery was due
digest-on-time-not-yet = nothing to judge yet (today's deliveries are not late before the day ends)
digest-weekly-on-time = { $pct } % on time ({ $on_time }/{ $decided })
digest-more = … and { $count } more
digest-more-in-report = … and { $count } more: see /report
digest-show-all = Show all: { $section }
digest-section-at = needs attention
digest-section-due = due
digest-section-ovs = overdue by sponsor
digest-section-ovo = overdue by office
digest-section-cf = confirmed
digest-section-fl = flagged evidence
digest-section-cs = problems
digest-section-hw = height-for-age worse
digest-section-ls = out of stunting
digest-section-un = children without a sponsor
digest-section-nm = not measured
digest-section-ur = not reachable
digest-section-empty = The list "{ $section }" is empty now.
digest-settings-button = ⚙️ Digest schedule
digest-settings =
    ⚙️ <b>Digest schedule</b>
    Daily: { $daily }
    Weekly (with a chart): { $weekly }
    Time zone: { $zone }
    Pick the daily digest's time, or type <code>/digest HH:MM</code> or a 5-field cron expression (e.g. <code>/digest 0 7 * * 1-5</code>).
digest-off = off
digest-daily-at = every day at { $time }
digest-weekly-at = every { $day } at { $time }
digest-cron = cron <code>{ $cron }</code>
digest-button-off = 🔕 Turn daily off
digest-button-weekly-off = 🔕 Turn weekly off
digest-button-weekly-on = 📊 Weekly: { $day }
digest-saved = ✅ Schedule saved. Next digest: { $next }.
digest-saved-off = 🔕 The daily digest is off. Type /digest any time to see it.
digest-weekly-saved-off = 🔕 The weekly summary is off.
digest-bad-schedule = ⚠️ Cannot read that schedule: { $error }. Examples: <code>/digest 06:30</code> or <code>/digest 0 7 * * 1-5</code>.
digest-weekly =
    📊 <b>Weekly summary for { $area }</b>
    Last week: { $due } deliveries due — { $on_time } on time, { $late } late, { $overdue } overdue, { $missed } missed.
    Last { $weeks } weeks: { $weeks_on_time }.
    Coverage: { $sponsored }/{ $registered } children sponsored ({ $children_pct } %).
digest-weekly-puskesmas = 🏥 <b>Per Puskesmas — { $area }</b> (children now; deliveries of the last { $weeks } weeks)
digest-weekly-puskesmas-line = • { $name }: { $sponsored }/{ $registered } children have a sponsor ({ $children_pct } %), { $waiting } waiting · { $weeks_on_time }
digest-no-puskesmas = (no Puskesmas)
chart-title = { $area }, { $from } to { $to }
chart-weeks-title = Deliveries per week (last 12 weeks)
chart-on-time = On time
chart-late = Late
chart-overdue = Overdue
chart-missed = Missed
chart-coverage-title = Coverage per kecamatan (children sponsored / registered)
chart-footnote = { $shown } of { $count } kecamatan, lowest coverage first
chart-empty = No data yet
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
note-title = 🗓 <b>Your note for { $month }</b>
note-no-deliveries = No deliveries fell due this month.
note-deliveries = Deliveries: { $due } due — { $on_time } on time, { $late } late, { $overdue } overdue, { $missed } missed{ $skipped ->
        [0] {""}
       *[other] ; { $skipped } skipped
    }.
note-children = Your children:
note-child = • { $name }: { $status } (HAZ { $haz }, measured { $measured }); last delivery { $delivered }
note-progress-improved = Height-for-age improved from { $before } to { $after } since { $since }.
note-progress-worsened = Height-for-age worsened from { $before } to { $after } since { $since }.
note-progress-unchanged = Height-for-age stayed at { $after } since { $since }.
note-progress-once = Height-for-age has been measured once so far ({ $haz }, { $month }); progress shows after the next measurement.
note-progress-not-since = No new measurement since the sponsorship began; the last was { $haz } ({ $month }).
note-thanks = Thank you for standing by them. 🙏
chart-file = weekly-summary
digest-error-bad = write a time (HH:MM) or 5 cron fields: minute hour day month weekday
digest-error-never = that schedule never fires
digest-error-frequent = more than 4 times a day is too often

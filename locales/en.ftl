# English — the second language. Texts are Telegram HTML: only <b>, <i>, <code>; no bare < > &.
# Every key here must also be in id.ftl (a test checks).

test-greeting = Hello { $name }, { $count ->
    [one] { $count } child
   *[other] { $count } children
}

## Errors and general answers
error-too-long = That message is too long (over 4096 characters). Please send something shorter.
error-unknown-command = I don't know that command. See { $help } for the list.
error-not-allowed = That command is not for your role.
error-stale-button = This button is no longer valid.
error-not-in-scope = That is outside the area you coordinate.
error-programme-wide = This is a setting of the whole programme: only a coordinator of the whole programme can change it.
error-not-yours = That is not yours.
error-internal = Sorry, something went wrong on our side. Please try again in a moment.
use-buttons = Please choose with the buttons.
idle-text = I didn't understand that. See { $help } for what I can do.
idle-unsupported = I can't use that here.
done = Done
page-previous = ◀ Previous
page-next = Next ▶
list-more = …and { $count } more

## Start and roles
welcome =
    Welcome, <b>{ $name }</b>! 👋
    This is the bot of the <b>Foster Parents for Stunted Children</b> programme (Bapak/Bunda Asuh Anak Stunting).

    How would you like to take part?
welcome-back = Welcome back, <b>{ $name }</b>. See { $help } for your commands.
role-sponsor = 🤝 Sponsor (bapak/bunda asuh)
role-volunteer = 🧺 Volunteer / cadre
role-neither = 👀 Just looking
volunteer-needs-invite = Volunteers join through an invite link from the coordinator of their area. Please ask your coordinator for one.
role-neither-ok = All right. You can register any time. See { $help }.
role-name-sponsor = Sponsor
role-name-volunteer = Volunteer
role-name-coordinator = Coordinator

## Volunteer invites
invite-unknown = I don't know this invite code. Check the link or ask your coordinator for a new one.
invite-expired = This invite has expired. Please ask your coordinator for a new link.
invite-used-up = This invite has been used up. Please ask your coordinator for a new link.
invite-revoked = This invite was withdrawn. Please ask your coordinator for a new link.
volunteer-welcome = ✅ You are now a <b>volunteer</b> for <b>{ $area }</b>. See { $help }.
coordinator-volunteer-joined = 🧺 New volunteer: <b>{ $name }</b> (<code>{ $id }</code>) for { $area }.

## Help
help-intro = <b>Commands you can use</b>
help-section-everyone = Everyone
help-section-sponsor = Sponsors
help-section-volunteer = Volunteers
help-section-coordinator = Coordinators

## /me
language-name = English
me-header = <b>{ $name }</b> · ID <code>{ $id }</code> · { $language }
me-coordinator = 🗂 Coordinator: { $area }
scope-all = all regions
community-member = Community member
status-pending = awaiting approval
status-approved = approved
status-rejected = rejected
status-revoked = revoked
me-sponsor =
    🤝 Sponsor ({ $status })
    Name: { $name }
    Phone: { $phone }
    Office: { $office }
    Area: { $area }
    Children: { $capacity }
me-volunteer = 🧺 Volunteer: { $area }
me-no-role = You have no role yet. Register as a sponsor with { $register }.

## /language, /cancel
language-choose = Pilih bahasa / Choose a language:
language-set = ✅ Language set to English.
cancel-nothing = There is nothing to cancel.
cancel-done = Cancelled. Nothing that was not submitted has been kept.

## Sponsor registration
register-pending-already = Your registration is waiting for a coordinator's approval.
register-approved-already = You are already registered as a sponsor.
ask-name = Sponsor registration (1/5). What is your <b>full name</b>? Send { $cancel } to stop.
name-invalid = A name is 3–100 letters (dots, commas, apostrophes and hyphens are fine). Please try again.
expect-name = Please type your full name.
ask-phone = (2/5) Share your <b>phone number</b> with the button below.
share-contact-button = 📱 Share my number
contact-not-own = That is not your own number. Please share yours with the button below.
phone-use-button = Please use the «Share my number» button below; there is no need to type it.
phone-invalid = I could not read that phone number. Please try again with the button below.
phone-saved = ✅ Number saved.
ask-office = (3/5) Which <b>office (OPD)</b> are you registering for?
ask-regency = (4/5) In which <b>regency/city</b> would you like to help?
ask-district = (4/5) In which <b>district (kecamatan)</b> would you like to help?
back-to-regencies = ⬅ Other regencies
no-regions-yet = The coordinator has not set up the regions yet. Your answers are kept; try again later by sending any message.
ask-village = (4/5) Which village (kelurahan/desa) in { $district }? Or choose the whole district.
whole-district = The whole district
ask-capacity = (5/5) How many <b>children</b> would you like to sponsor? Choose or type a number from 1 to { $max }.
capacity-invalid = The number of children must be from 1 to 20.
registration-details =
    Name: <b>{ $name }</b>
    Phone: { $phone }
    Office: { $office }
    Area: { $area }
    Children: { $capacity }
confirm-registration =
    Please check your details:

    { $details }
confirm-submit = ✅ Submit
confirm-restart = ✏️ Start over
confirm-cancel = ✖ Cancel
registration-submitted = ✅ Registration sent. A coordinator will review it; you will hear the outcome here.
registration-submitted-no-coordinator = ✅ Registration saved. No coordinator covers this area yet; you will hear as soon as there is a decision.
coordinator-new-registration =
    📝 <b>New sponsor registration</b> (ID <code>{ $id }</code>)

    { $details }
approve = ✅ Approve
reject = ✖ Reject

## Coordinator decisions
pending-none = No registrations are waiting.
pending-header = <b>Registrations waiting: { $count }</b>
pending-line = { $n }. <b>{ $name }</b> — { $office } — { $area } — { $capacity ->
    [one] 1 child
   *[other] { $capacity } children
}
decision-already = Already decided: { $status } by { $by }.
decision-approved = ✅ { $name } approved by { $by }.
decision-rejected = ✖ { $name } rejected by { $by }.
sponsor-approved = 🎉 Your sponsor registration has been <b>approved</b>. Thank you! You will hear from us when there is a child for you.
sponsor-rejected = Sorry, your sponsor registration was <b>not approved</b>. Please contact your coordinator; you can register again with /register.

## Coordinator lists
sponsors-none = No approved sponsors yet.
sponsors-header = <b>Sponsors: { $count }</b>
sponsor-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $office } — { $area } — { $capacity ->
    [one] 1 child
   *[other] { $capacity } children
}
volunteers-none = No volunteers yet.
volunteers-header = <b>Volunteers: { $count }</b>
volunteer-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $area }
coordinators-header = <b>Coordinators: { $count }</b>
coordinator-line = • <b>{ $name }</b> (<code>{ $id }</code>) — { $area }

## Regions and offices
regions-none = No regions yet. Add one with /region_add 74.71.01 Kendari Barat
regions-header = <b>Regions: { $count }</b>
region-add-usage = Usage: <code>/region_add CODE Name [WIB|WITA|WIT]</code>, e.g. <code>/region_add 74.71.01 Kendari Barat</code>. Codes follow Kemendagri: 74 (province), 74.71 (regency/city), 74.71.01 (district), 74.71.01.1001 (village).
region-added = ✅ Region <code>{ $code }</code> { $name } added.
region-updated = ✅ Region <code>{ $code }</code> updated: { $name }.
region-remove-usage = Usage: <code>/region_remove CODE</code>
region-remove-has-children = Region <code>{ $code }</code> still has regions inside it; remove those first.
region-remove-in-use = Region <code>{ $code }</code> is still used by sponsors, volunteers or coordinators.
region-removed = ✅ Region <code>{ $code }</code> removed.
region-unknown = There is no region <code>{ $code }</code>. Add it first with /region_add.
offices-none = No offices yet. Add one with /office_add Dinas Kesehatan
offices-header = <b>Offices (OPD): { $count }</b>
office-add-usage = Usage: <code>/office_add Office name</code> (2–60 characters).
office-added = ✅ Office { $name } added.
office-exists = Office { $name } exists already.
name-hidden-chars = ✖ That name holds hidden characters (control characters or text-direction overrides) that do not show on screen. Type the name again rather than pasting it.

## Invites
invite-usage = Usage: <code>/invite DISTRICT_CODE [days] [uses]</code>, e.g. <code>/invite 74.71.01 7 20</code> (valid 1–90 days, 1–500 people).
invite-needs-district = Volunteer invites are made for a district or a village.
invite-created =
    🔗 Volunteer invite for <b>{ $area }</b>:
    { $link }
    Valid for { $days } days, for { $uses } people. Share this link with the volunteers.

## Revoking roles
revoke-usage = Usage: <code>/revoke USER_ID</code> (ids are in /sponsors, /volunteers, /coordinators).
revoke-no-roles = User <code>{ $id }</code> has no role to revoke.
revoke-choose = Which role should <b>{ $name }</b> (<code>{ $id }</code>) lose?
revoke-done = ✅ Role { $role } revoked from <code>{ $id }</code>.
your-role-revoked = Your role as { $role } was revoked by a coordinator.

## Command menu descriptions (1–256 characters)
cmd-start = Start
cmd-help = List of commands
cmd-me = What the bot knows about me
cmd-language = Change language
cmd-register = Register as a sponsor
cmd-cancel = Cancel the current step
cmd-pending = Registrations awaiting approval
cmd-sponsors = List sponsors
cmd-volunteers = List volunteers
cmd-coordinators = List coordinators
cmd-regions = List regions
cmd-region-add = Add or rename a region
cmd-region-remove = Remove a region
cmd-offices = List offices (OPD)
cmd-office-add = Add an office (OPD)
cmd-invite = Create a volunteer invite link
cmd-revoke = Revoke a user's role

## Children: status words
child-unmatched = waiting for a sponsor
child-matched = sponsored
child-graduated = left stunting
child-moved = moved away
child-deceased = deceased
child-status-severe = severely stunted
child-status-stunted = stunted
child-status-normal = normal height
child-status-unmeasured = not measured yet
child-line = • <code>{ $id }</code> <b>{ $name }</b> — { $months } mo — { $place } — { $status }
sex-male = boy
sex-female = girl
sponsorship-proposed = offered
sponsorship-held = on hold
sponsorship-active = active
sponsorship-declined = declined
sponsorship-expired = expired
sponsorship-ended = ended
sponsorship-transferred = transferred

## Offers to sponsors
offer-new =
    🧒 <b>A child for you to sponsor</b>
    Initials: <b>{ $initials }</b> · { $months } months · { $place }
    Status: { $status } (height-for-age { $haz })
    Commitment: { $duration } months × { $amount } a month
offer-held =
    🧒 <b>We hold this child for you for { $minutes } minutes</b>
    Initials: <b>{ $initials }</b> · { $months } months · { $place }
    Status: { $status } (height-for-age { $haz })
    Commitment: { $duration } months × { $amount } a month
offer-accept = ✅ Accept
offer-decline = ✖ Decline
offer-accepted =
    🎉 Thank you! Your child: <b>{ $name }</b>, { $months } months, { $place }.
    Commitment: { $duration } months × { $amount } a month. See /children.
offer-declined-ask-reason = Offer declined. May we know why? Type a short reason, or press Skip.
offer-declined = Thank you, the offer is declined. The child will be offered to another sponsor.
offer-expired = ⌛ The offer of child { $initials } has expired; the child is back on the waiting list.
skip = Skip
reason-expected = Please type the reason, or press Skip.
sponsorship-not-yours = This child is not one of your children.
sponsorship-already-decided = This was decided already.
child-closed = This child's case is closed.
child-taken = This child already has a sponsor or an open offer.
not-an-approved-sponsor = That user is not an approved sponsor.
sponsor-full = The sponsor has no free places.
no-child-waiting = No child is waiting in your district right now. Thank you!
volunteer-new-sponsorship = 🤝 { $child } ({ $place }) is now sponsored by { $sponsor }.
volunteer-sponsorship-withdrawn = ℹ️ { $child } ({ $place }) no longer has a sponsor; the next deliveries wait for a new one.
coordinator-offer-accepted = ✅ { $sponsor } accepted { $child } (<code>{ $id }</code>). { $area }: { $matched } sponsored, { $waiting } waiting.
coordinator-offer-declined = ✖ { $sponsor } declined { $child } (<code>{ $id }</code>). { $area }: { $matched } sponsored, { $waiting } waiting.
coordinator-sponsorship-ended = ⏹ { $sponsor } ended the sponsorship of { $child } (<code>{ $id }</code>). { $area }: { $matched } sponsored, { $waiting } waiting.
coordinator-offer-expired = ⌛ The offer of { $child } (<code>{ $id }</code>) to { $sponsor } expired; the child is back on the waiting list.
coordinator-child-waiting-again = 🔁 { $child } (<code>{ $id }</code>, { $area }) is waiting for a sponsor again: { $reason ->
    [revoked] { $sponsor }'s sponsor role was revoked
   *[other] { $sponsor } cannot be reached
  }. The next matching (/match) offers the child again.

## A sponsor's children
my-children-none = You have no children yet. Send /request_child to ask for a child from your district.
my-children-header = <b>Your children: { $count }</b>
my-children-line = • <code>{ $id }</code> <b>{ $name }</b>, { $months } months, { $place } — since { $since }
my-children-open-offers = Offers waiting for your answer: { $count }
end-button = ⏹ End: { $name }
my-child-card =
    🧒 <b>{ $name }</b>, { $months } months, { $place }
    Status: { $status }
    Commitment: { $duration } months × { $amount } a month
end-ask-reason = Why are you ending this sponsorship? Type a short reason, or press Skip.
sponsorship-end-done = The sponsorship has ended. Thank you for your help; the child will get a new sponsor.
sponsor-child-closed = The case of { $name } was closed by a coordinator: { $reason }. Thank you for your sponsorship.
sponsor-child-transferred = { $name } was moved to another sponsor by a coordinator. Thank you for your sponsorship.

## Coordinator: children
children-none = No child matches. Search by a part of the name, a status (menunggu, diasuh, lulus, pindah, meninggal), a region code, or a Puskesmas: <code>pkm:Lainea</code>, <code>pkm:"Lepo Lepo"</code>, <code>pkm:-</code> (no Puskesmas).
children-header = <b>Children: { $count }</b>
child-unknown = There is no child with that id.
child-card =
    🧒 <b>{ $name }</b> (<code>{ $id }</code>)
    { $sex }, born { $birth } ({ $months } months)
    Parent/guardian: { $guardian } · { $phone }
    Address: { $address }
    Area: { $area }
    Puskesmas: { $puskesmas } · Posyandu: { $posyandu }
    Status: { $status } · Sponsor: { $sponsor }
    Notes: { $notes }
close-case = 🔒 Close the case
close-case-ask = Close the case of { $name } because the child:
case-closed = 🔒 The case of { $name } is closed: { $status }.
child-edit-usage = Usage: <code>/child_edit ID field value</code>; fields: name, guardian, phone, address, posyandu, notes, village (code).
child-edit-invalid = That value does not fit that field.
child-edited = ✅ Child <code>{ $id }</code> updated.
match-nothing = No child is waiting.
match-preview =
    <b>Matching preview</b>
    Pairs: { $pairs } · Still waiting: { $unmatched } (no sponsor in the regency: { $nosponsor }; sponsors full: { $full })
match-preview-line = • { $area }: { $pairs } pairs, { $unmatched } waiting
match-preview-pair = ◦ { $child } ({ $place }) → { $sponsor }
match-preview-more = …and { $count } more pairs
match-preview-more-areas = …and { $count } more kecamatan
match-confirm = ✅ Send the offers
match-done = ✅ { $count } offers sent to sponsors.
pair-usage = Usage: <code>/pair CHILD_ID SPONSOR_ID</code>
pair-done = ✅ Offer of child <code>{ $child }</code> sent to <code>{ $sponsor }</code>.
transfer-usage = Usage: <code>/transfer CHILD_ID NEW_SPONSOR_ID</code>
transfer-done = ✅ Child <code>{ $child }</code> transferred; an offer went to <code>{ $sponsor }</code>.
commitment-usage = Usage: <code>/commitment OFFICE_ID MONTHS AMOUNT</code>, e.g. <code>/commitment 1 6 500000</code>. Programme default: { $months } months × { $amount }.
office-unknown = There is no office with that id (see /offices).
commitment-set = ✅ Commitment of { $office }: { $months } months × { $amount } a month.

## Imports
import-help = Send a <b>CSV</b> or <b>XLSX</b> list of children here as a document — an e-PPGBM (SIGIZI) export works as it is. Set up the official regions with /wilayah_tambah CODE (e.g. 74.05). Columns: name, sex, date of birth, guardian, kecamatan (required); phone, address, village, posyandu, NIK, height, weight, measurement date, notes (optional). For a list of regions (code, name, zone), put «regions» in the file name or the caption. For measurements, put «measurements» (or «pengukuran») in the file name or the caption. Columns: child ID, or NIK, or the child's name + date of birth (+ guardian); measurement date; height/length (cm) (required); position (lying/standing; empty = lying under 2 years, standing from 2), weight (kg), MUAC (cm) (optional). Implausible measurements are refused with the reason; the same file may be sent again.
import-too-big = The file is over 20 MB, which Telegram does not let bots download. Please split it.
import-wrong-type = This is not a CSV or XLSX file. Save it as .xlsx or .csv and send it again.
import-received = 📥 File { $file } received; working on it…
import-progress-downloading = 📥 Downloading { $file }…
import-progress-checking = 🔎 Checking { $file }…
import-download-failed = The file { $file } could not be downloaded from Telegram after several tries. Please send it again.
import-refused = ✖ The file { $file } was refused: { $reason }
import-report =
    ✅ <b>Import of { $file } done</b>
    Rows: { $rows } · added: { $added } · updated: { $updated } · unchanged: { $unchanged } · rejected: { $rejected }
import-row-error = Line { $line }: { $problem }
file-unreadable = the file cannot be read ({ $detail })
file-empty = the file has no data rows
file-missing-columns = required columns are missing: { $columns }
file-too-many-rows = more than { $max } rows
file-unpacks-too-large = the file unpacks to more than { $max } MB; split it or save it as CSV
file-unpacks-too-dense = a part of the file unpacks to more than { $max } times its packed size, which a real spreadsheet does not; save it again from Excel or save it as CSV
row-missing = { $column } is empty
row-bad-name = the child's name is not valid
row-bad-guardian = the guardian's name is not valid
row-bad-sex = «{ $value }» is not a sex (L/P, M/F)
row-bad-date = «{ $value }» in { $column } is not a date (DD/MM/YYYY)
row-born-in-future = the birth date is after today
row-over-five = the child is five years or older
row-unknown-kecamatan = unknown kecamatan «{ $value }»
row-unknown-village = no village «{ $value }» in that kecamatan
row-bad-phone = «{ $value }» is not a phone number
row-bad-nik = «{ $value }» is not a NIK (16 digits)
row-bad-number = «{ $value }» in { $column } is not a number
row-implausible = the height or weight is implausible for a child under five
row-measured-before-birth = the measurement date is before the birth date
row-measured-in-future = the measurement date is after today
row-duplicate = the same child as on line { $line }
row-bad-code = «{ $value }» is not a Kemendagri code
row-bad-region-name = «{ $value }» is not a region name
row-hidden-characters = «{ $value }» holds hidden characters (control characters or text-direction overrides)
row-bad-zone = «{ $value }» is not a time zone (WIB, WITA, WIT)
row-bad-point = «{ $value }» is not a point (latitude, longitude — e.g. -3.9721, 122.5149)
row-outside-scope = region { $value } is outside the area you coordinate
row-no-child = the row does not say which child (child ID, NIK, or name and date of birth)
row-bad-child-id = «{ $value }» is not a child ID
row-bad-position = «{ $value }» is not a position (lying/standing)
row-out-of-range = «{ $value }» in { $column } is not a measurement of a child under five (height and MUAC in cm, weight in kg)
row-duplicate-measurement = the same child and measurement date as on line { $line }
row-child-not-found = child { $child } not found
row-child-outside-scope = child { $child } is outside the area you coordinate
row-child-ambiguous = several children are { $child }; add the child ID, NIK or guardian's name
row-measurement-not-recorded = measurement not recorded: { $reason }
import-column-child-id = child ID
import-column-child-ref = child ID, NIK, or name + date of birth
import-column-position = position
import-column-muac = MUAC
column-name = name
column-sex = sex
column-birth-date = date of birth
column-guardian = guardian
column-kecamatan = kecamatan
column-phone = phone
column-address = address
column-village = village
column-posyandu = posyandu
column-nik = NIK
column-height = height
column-weight = weight
column-measured-on = measurement date
column-notes = notes

## More command menu descriptions
cmd-my-children = My children
cmd-request-child = Ask for a child from my district
cmd-children = Search children (name, status, region code, pkm:Puskesmas)
cmd-child = A child's details
cmd-child-edit = Change a child's details
cmd-match = Match children with sponsors
cmd-pair = Pair a child with a sponsor by hand
cmd-transfer = Move a child to another sponsor
cmd-commitment = Commitment per office
cmd-import = How to import a list of children

## Deliveries, reminders and plans
cmd-deliveries = My coming deliveries
cmd-packages = Food packages (list, or add: /packages Name: rice 5 kg, eggs 30)
cmd-cadences = Delivery cadences (list, or add: /cadences Name: biweekly mon)
cmd-plan-defaults = Default package and cadence per region
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday
button-delivered = ✅ Delivered
button-reschedule = 📅 Reschedule
button-reschedule-short = 📅
button-skip = ⏭ Skip
button-skip-short = ⏭
reminder-before = 🧺 In { $days ->
    [one] one day
   *[other] { $days } days
  }, on <b>{ $date }</b>, the package for <b>{ $child }</b> is due: { $package } ({ $items }).
reminder-today = 🧺 Today, <b>{ $date }</b>, the package for <b>{ $child }</b> is due: { $package } ({ $items }).
    Once it is handed over, press ✅ and send a photo.
reminder-overdue = ⚠️ The package for <b>{ $child }</b> due on { $date } is { $days ->
    [one] one day
   *[other] { $days } days
  } late and not yet confirmed: { $package } ({ $items }).
    Please deliver it, move it to another day, or skip it with a reason.
reminder-escalate-volunteer = ⚠️ The package for <b>{ $child }</b> (sponsor: { $sponsor }) due on { $date } is { $days ->
    [one] one day
   *[other] { $days } days
  } late: { $package }. Could you check with the family, or hand it over and confirm with a photo?
reminder-escalate-coordinator = 🚨 Not delivered: the package for <b>{ $child }</b> (<code>{ $id }</code>) due on { $date } is { $days ->
    [one] one day
   *[other] { $days } days
  } late. Sponsor: { $sponsor } (<code>{ $sponsor_id }</code>). The sponsor and the area's volunteers were reminded.
reminders-collapsed = 🧺 { $count } deliveries need you:
    { $lines }
reminders-line = • <b>{ $child }</b> — { $date }, { $state }{ $sponsor }
reminder-state-before = in { $days ->
    [one] one day
   *[other] { $days } days
  }
reminder-state-today = today
reminder-state-late = { $days ->
    [one] one day
   *[other] { $days } days
  } late
delivery-status-scheduled = scheduled
delivery-status-due = due today
delivery-status-overdue = late
delivery-status-confirmed = confirmed
delivery-status-missed = missed
delivery-status-skipped = skipped
delivery-status-cancelled = cancelled
delivery-not-yours = This delivery is not one you can act on.
delivery-already-confirmed = This delivery is confirmed already.
delivery-closed = This delivery is closed already (skipped, missed or cancelled).
delivery-confirmed-already = ✅ This delivery was confirmed already by { $by } on { $when }.
delivery-thanks = 💚 The package for <b>{ $child }</b> ({ $date }) was handed over and confirmed by a volunteer. Thank you for your support!
reschedule-ask = 📅 When will you deliver the package for <b>{ $child }</b> (now { $date })?
reschedule-no-days = There is no other day this delivery can move to.
reschedule-in-the-past = That day has passed already.
reschedule-too-late = That day is too far from the planned date.
reschedule-clashes = That day is at or after the next delivery.
reschedule-same-day = The delivery is on that day already.
delivery-rescheduled = 📅 Noted: the package for <b>{ $child }</b> will come on <b>{ $date }</b>. Reminders follow the new date.
coordinator-delivery-rescheduled = 📅 { $sponsor } moved the delivery for { $child } (<code>{ $id }</code>) from { $from } to { $to }.
skip-ask-reason = ⏭ Why will the package for <b>{ $child }</b> ({ $date }) not be delivered? Type the reason in a message.
skip-reason-too-short = Please write the reason in a few words.
delivery-skipped = ⏭ Noted: the delivery for <b>{ $child }</b> ({ $date }) is skipped. The coordinator will see your reason.
coordinator-delivery-skipped = ⏭ { $sponsor } skipped the delivery for { $child } (<code>{ $id }</code>) of { $date }: “{ $reason }”
deliveries-none = You have no coming deliveries.
deliveries-list = 🧺 Your coming deliveries:
    { $lines }
deliveries-line = • <b>{ $child }</b> — { $date } ({ $status })
coordinator-user-unreachable = 🔕 { $role ->
    [sponsor] Sponsor
   *[other] Volunteer
  } <b>{ $name }</b> (<code>{ $id }</code>) blocked the bot and gets no reminders any more. Please contact them another way.
package-error-name = Write the package as: Name: item quantity unit, item quantity unit — for example <code>Paket gizi: beras 5 kg, telur 30 butir, susu 2 kotak</code>.
package-error-name-long = The package name is too long (at most 60 characters).
package-error-items = Each item needs a name and a quantity, for example <code>beras 5 kg</code>.
package-error-too-many = A package has at most 20 items.
package-saved = 📦 Package <b>{ $name }</b> saved: { $items }.
package-line = • <code>{ $id }</code> <b>{ $name }</b>: { $items }
packages-none = No packages yet. Add one: <code>/packages Paket gizi: beras 5 kg, telur 30 butir, susu 2 kotak</code>
packages-list = 📦 Packages:
    { $lines }
    Add or change one: <code>/packages Name: item quantity unit, …</code>
cadence-help = Write the cadence as: Name: rule — for example <code>/cadences Every two weeks: biweekly mon</code>. Rules: <code>weekly mon</code>, <code>biweekly thu</code>, <code>monthly 15</code>, <code>cron 0 9 * * 1</code>.
cadence-error-kind = Unknown rule. Use <code>weekly mon</code>, <code>biweekly thu</code>, <code>monthly 15</code> or <code>cron 0 9 * * 1</code>.
cadence-error-weekday = Unknown day of the week (use mon, tue, … or senin, selasa, …).
cadence-error-day = A monthly delivery day is from 1 to 28.
cadence-error-cron = That cron expression is not valid: it has five fields, minute hour day month weekday (e.g. <code>0 9 * * 1</code>).
cadence-error-frequent = That cron expression delivers too often (at most twice a week).
cadence-error-never = That cron expression never delivers.
cadence-label = <b>{ $name }</b> ({ $spec })
cadence-weekly = every { $day }
cadence-biweekly = every other { $day }
cadence-monthly = monthly on day { $day }
cadence-cron = cron <code>{ $expr }</code>
cadence-saved = 🗓 Cadence saved: { $cadence }.
cadences-none = No cadences yet. Add one: <code>/cadences Every two weeks: biweekly mon</code>
cadences-list = 🗓 Cadences:
    { $lines }
plan-programme = Whole programme
deliverer-sponsor = the sponsor delivers
deliverer-volunteer = a volunteer delivers
plan-default-line = • { $region }: { $package }, { $cadence }, { $deliverer }
plan-defaults = 🗂 Default plans:
    { $lines }
plan-needs-package-and-cadence = Add a package (/packages) and a cadence (/cadences) first.
plan-choose-region = Set the default for:
plan-choose-package = { $region }: which package?
plan-choose-cadence = { $region }: which cadence?
plan-choose-deliverer = { $region }: who hands the package over?
plan-default-saved = ✅ New sponsorships in { $region } get { $package }, { $cadence }; { $deliverer }.
plan-change = 📦 Package and cadence
plan-changed = ✅ { $child } now gets { $package }, { $cadence }. { $added } new deliveries planned; confirmed ones are kept.
sponsor-plan-changed = 🗓 The plan for <b>{ $child }</b> changed: { $package } ({ $items }), { $cadence }. Next delivery: { $next }.
offer-plan = 📦 Package: { $package } ({ $items }), { $cadence }; { $deliverer }.
offer-first-delivery = 🗓 First delivery: <b>{ $date }</b>. You will be reminded 3 days before and on the day; see { $deliveries }.
offer-no-plan-yet = 🗓 The coordinator will set the delivery plan; you will be told the dates.
cadence-changed = 🗓 Cadence changed: { $cadence }. { $sponsorships } sponsorships re-planned, { $added } new deliveries; confirmed and moved deliveries are kept.
cadence-same-rule = That rule exists already as <b>{ $other }</b>.

## Confirmations and evidence
delivery-send-photo = 📷 Send the photo of the package handed over for <b>{ $child }</b> ({ $date }). Several photos at once (an album) are fine. Share your location with the 📍 button below if you can. A photo sent as a <i>file</i> keeps when and where it was taken.
evidence-expected = 📷 Please send the photo of the package handed over, or use the buttons below (/cancel to stop).
button-share-location = 📍 Share location
button-report-problem = ⚠️ Not received / report a problem
button-cancel-confirmation = ✖️ Cancel
evidence-nothing-to-confirm = There is no delivery you can confirm right now.
evidence-choose-delivery = ✅ Which delivery are you confirming?
evidence-no-delivery = Photo received, but there is no delivery you can confirm right now. Volunteers confirm deliveries to children in their area; sponsors, those to their own children (see /confirm).
evidence-which-delivery = 📷 Photo received. Which delivery is it for?
evidence-too-many-photos = One confirmation takes at most 10 photos.
evidence-same-photo = This photo was already added.
evidence-photo-first = Send the photo of the package handed over first.
evidence-no-items = Mark the items that were not received first.
evidence-no-problem = Choose the reason first.
evidence-text-too-short = Please write a few words.
evidence-text-too-long = That is too long (at most 500 characters).
evidence-not-your-child = You can only confirm deliveries to your own sponsored children.
evidence-outside-area = This child is outside your area ({ $area }). Volunteers can only confirm deliveries in their own area.
evidence-file-too-big = This file is over 20 MB, Telegram's download limit. Send the photo smaller or as a normal photo.
evidence-not-image = This file is not a picture. Send a photo of the package handed over (JPG, PNG, WebP or HEIC).
evidence-bad-location = That location is not valid.
evidence-location-saved = 📍 Location recorded.
evidence-note-saved = 📝 Note saved.
evidence-cancelled = Confirmation cancelled. Nothing was recorded.
evidence-ask-outcome = 📷 { $photos } photo(s) for <b>{ $child }</b> ({ $date }). Send more if needed. How was the package received?
button-outcome-full = ✅ Received in full
button-outcome-partial = ⚠️ Received, something missing
button-outcome-not-received = ❌ Not received
evidence-ask-items = ⚠️ Package for <b>{ $child }</b> ({ $date }): tap the items that were <b>not</b> received (❌), then Done.
button-items-done = ➡️ Done
evidence-ask-problem = ❌ Why was the package for <b>{ $child }</b> ({ $date }) not received?
problem-family_moved = 🏠 Family moved
problem-nobody_home = 🚪 Nobody at home
problem-child_in_hospital = 🏥 Child in hospital
problem-refused = 🙅 Family refused
problem-other = ✏️ Other
evidence-ask-problem-text = ✏️ Describe the problem in one message.
evidence-ask-note = 📝 Write your note in one message.
outcome-full = received in full
outcome-partial = received with items missing
outcome-not_received = not received
evidence-summary-missing = Missing: { $items }
evidence-summary-problem = Reason: { $problem }
evidence-summary-no-place = not shared
evidence-summary = 📋 <b>Confirmation summary</b>
    Child: <b>{ $child }</b> ({ $date })
    Photos: { $photos }
    Location: { $place }
    Outcome: <b>{ $outcome }</b>
    { $details }
    Note: { $note }
    Send it?
button-send-confirmation = 📨 Send
button-add-note = 📝 Note
evidence-done-full = ✅ Thank you! The delivery for <b>{ $child }</b> ({ $date }) is recorded: received in full.
evidence-done-partial = ✅ Recorded: the package for <b>{ $child }</b> ({ $date }) arrived with items missing. The coordinator follows up (case #{ $case }).
evidence-done-not_received = 📝 Recorded: the package for <b>{ $child }</b> ({ $date }) was not received. The coordinator follows up (case #{ $case }).
delivery-thanks-partial = 📦 The package for <b>{ $child }</b> ({ $date }) was handed over, but something was missing: { $missing }. The coordinator will follow up.
delivery-not-received-sponsor = ⚠️ The package for <b>{ $child }</b> ({ $date }) has not reached the family: { $problem }. The coordinator will follow up.
coordinator-case-partial = 📦 Case #{ $case }: the package for { $child } (<code>{ $id }</code>, sponsor { $sponsor }, { $date }) arrived with items missing: { $missing }. Reported by { $by }. See /cases and <code>/evidence { $delivery }</code>.
coordinator-case-not-received = ⚠️ Case #{ $case }: the package for { $child } (<code>{ $id }</code>, sponsor { $sponsor }, { $date }) was not received: { $problem }. Reported by { $by }. See /cases.
flag-reused_photo = 🚩 Suspect evidence: the photo of the delivery for { $child } ({ $date }) is the same as the photo of delivery #{ $other }. See <code>/evidence { $delivery }</code>.
flag-far_from_family = 🚩 Suspect evidence: the delivery for { $child } ({ $date }) was confirmed { $km } km from the family's village. See <code>/evidence { $delivery }</code>.
flag-taken_long_before = 🚩 Suspect evidence: the photo of the delivery for { $child } ({ $date }) was taken { $days } days before it was sent. See <code>/evidence { $delivery }</code>.
flag-taken_far_from_family = 🚩 Suspect evidence: the photo of the delivery for { $child } ({ $date }) was taken { $km } km from the family's village. See <code>/evidence { $delivery }</code>.
flag-line-reused_photo = 🚩 same photo as delivery #{ $other }
flag-line-far_from_family = 🚩 location { $km } km from the village
flag-line-taken_long_before = 🚩 photo taken { $days } days before it was sent
flag-line-taken_far_from_family = 🚩 photo taken { $km } km from the village
evidence-refused-too-big = The file you sent for delivery #{ $delivery } is too big to download (20 MB limit). The confirmation is recorded; please send the photo, smaller, to the coordinator.
evidence-refused-not-image = The file you sent for delivery #{ $delivery } turned out not to be a picture, so it was not kept as evidence. The confirmation is recorded.
evidence-download-failed = Your photo for delivery #{ $delivery } could not be fetched from Telegram. The confirmation is recorded; the coordinator may ask for the photo again.
cmd-confirm = Confirm a delivery with a photo
cmd-evidence = Delivery evidence: photos, places, flags
cmd-cases = Delivery cases still open
evidence-usage = Use <code>/evidence</code> for the latest confirmations, or <code>/evidence 123</code> for one delivery's evidence.
evidence-none-yet = No delivery has been confirmed in your area yet.
evidence-recent = 🧾 Latest confirmations:
    { $lines }
evidence-recent-line = • #{ $delivery } { $child }: { $outcome }{ $flags }
evidence-not-found = That delivery is not in your area.
evidence-not-confirmed = That delivery has not been confirmed.
confirmed-as-sponsor = sponsor
confirmed-as-volunteer = volunteer
confirmed-as-coordinator = coordinator
evidence-confirmation-line = • { $by } ({ $role }), { $when }: <b>{ $outcome }</b> { $details }
      location: { $place }; note: { $note }
evidence-view = 🧾 <b>Evidence of delivery #{ $delivery }</b>
    { $child } — { $date } ({ $status }), sponsor { $sponsor }
    Photos: { $photos } ({ $stored } kept)
    { $lines }
button-export-evidence = 📤 Export (original files + CSV)
evidence-picture-pending = Photo { $n } (not kept yet; being downloaded again)
evidence-picture-stored = Photo { $n } · SHA-256 <code>{ $sha }</code> · { $kb } KB · taken { $taken }
evidence-picture-refused = Photo { $n } refused: { $error }
evidence-picture-failed = Photo { $n } could not be fetched: { $error }
evidence-export-caption = 📤 Evidence manifest of delivery #{ $delivery } (CSV)
evidence-camera-time = { $time } (camera clock)
manifest-col-delivery = Delivery ID
manifest-col-child = Child ID
manifest-col-due-on = Due on
manifest-col-confirmation = Confirmation ID
manifest-col-confirmed-by = Confirmed by (Telegram ID)
manifest-col-confirmed-as = As
manifest-col-outcome = Outcome
manifest-col-missing = Items missing
manifest-col-problem = Problem
manifest-col-note = Note
manifest-col-confirmed-at = Confirmed at
manifest-col-photo = Photo ID
manifest-col-file-unique-id = Telegram file ID
manifest-col-state = Photo state
manifest-col-sha256 = SHA-256
manifest-col-size = Size (bytes)
manifest-col-kind = File type
manifest-col-stored-as = Stored as
manifest-col-received-at = Received at
manifest-col-shared-lat = Shared latitude
manifest-col-shared-lon = Shared longitude
manifest-col-taken-at = Taken (camera clock)
manifest-col-taken-lat = EXIF latitude
manifest-col-taken-lon = EXIF longitude
manifest-col-flags = Flags
manifest-col-zone = Time zone
evidence-state-pending = waiting for download
evidence-state-stored = kept
evidence-state-refused = refused
evidence-state-failed = could not be fetched
flag-kind-reused_photo = photo used before
flag-kind-far_from_family = place far from the family
flag-kind-taken_long_before = photo taken long before
flag-kind-taken_far_from_family = photo taken far from the family
cases-none = No open cases in your area.
cases-list = 📂 Open cases:
    { $lines }
cases-line = • <b>Case { $case }</b> — { $child }: { $outcome } — { $what } (by { $by }, { $opened }; delivery <code>{ $delivery }</code>)
button-resolve-case = ✔️ Resolve case { $case }
case-already-resolved = That case was already resolved.
case-resolved = ✔️ Case { $case } ({ $child }) resolved; the reporter and the sponsor were told.
coordinator-evidence-lost = 📷 A photo of the delivery for { $child } ({ $date }) could not be fetched from Telegram after several tries. The confirmation stays recorded; ask for the photo again. See <code>/evidence { $delivery }</code>.

## No child falls through the cracks
offer-no-volunteer = 🙋 There is no volunteer in { $place } yet: you hand the packages over yourself. The coordinators have been told.
coordinator-no-volunteer = ⚠️ No volunteer in { $area } yet: { $sponsor } hands the packages for { $child } (<code>{ $id }</code>) over themselves. Invite volunteers with /invite.
plan-default-without = { $count } active sponsorships here have no delivery plan yet.
plan-default-apply = 📦 Apply to { $count } sponsorships
plan-default-applied = ✅ The default plan applied to { $count } sponsorships; their sponsors were told.
button-remind = 🔔 Remind
button-reassign = 🔁 Reassign
reminders-collapsed-coordinator = 🚨 { $count } deliveries are late in your area:
    { $lines }
reminder-nudge = 🔔 A coordinator reminds you: the package for <b>{ $child }</b> due { $date } is { $days } days late ({ $package }). Once handed over, press ✅ and send a photo.
nudge-sent = Reminder sent.
nudge-already = Already reminded today.
reassign-choose = 🔁 Choose a new sponsor for { $name } (those with a free place):
reassign-none = No other sponsor with a free place in { $name }'s area.
coordinator-unreachable-ask = 🔕 <b>{ $name }</b> (<code>{ $id }</code>) has not been reachable on Telegram for { $days } days; their { $children } children get no reminders. Release those children to be offered to other sponsors?
unreachable-release = 🔁 Release the children
unreachable-wait = ⏳ Wait, I will contact them
unreachable-released = ✅ { $count } sponsorships of { $name } released; the children wait for new sponsors.
unreachable-kept = ⏳ { $name } keeps the children. Please reach them another way.
unreachable-reachable = { $name } can be reached again; nothing was changed.
coordinator-reason = 💬 { $sponsor }'s reason for { $child } (<code>{ $id }</code>): { $reason }
welcome-coordinator = Welcome, <b>{ $name }</b>! 👋 You coordinate the Bapak/Bunda Asuh Anak Stunting programme for { $area }. See { $help } for your commands.
cmd-check = What needs attention
doctor-all-well = ✅ Nothing needs attention: every sponsored child has an active sponsor, a plan and a deliverer.
doctor-header = 🩺 <b>{ $count } things need attention</b>
doctor-sponsored-without-sponsor = • { $child } (<code>{ $id }</code>) is marked sponsored but has no sponsor.
doctor-sponsorship-without-deliveries = • { $child } (<code>{ $id }</code>): an active sponsorship without upcoming deliveries.
doctor-delivery-without-deliverer = • { $child } (<code>{ $id }</code>): deliveries without a deliverer who can be reached (no volunteer, or the sponsor blocked the bot).
doctor-waiting-with-sponsor-free = • { $child } (<code>{ $id }</code>) is waiting while a sponsor of the same kecamatan has a free place.
doctor-offer-past-expiry = • { $child } (<code>{ $id }</code>): an offer past its deadline has not expired (is the scheduler running?).
doctor-case-open-too-long = • { $child } (<code>{ $id }</code>): case #{ $case } has been open too long.
doctor-fix-sync = 🔧 Fix { $child }'s status
doctor-fix-plan = 🗓 Plan { $child }
doctor-fix-reassign = 🔁 Reassign { $child }
doctor-fix-offer = 🤝 Offer { $child }
doctor-fix-expire = ⌛ Expire the old offers
doctor-fix-case = ✔️ Resolve { $child }'s case
doctor-fixed-sync = ✅ The child's status is fixed.
doctor-fixed-plan = ✅ The plan applied again: { $added } new deliveries; the sponsor was told.
doctor-fixed-expire = ✅ { $count } offers expired.
case-resolution-ask = ✍️ Case { $case } ({ $child }): what was done? Write it briefly; the reporter and the sponsor will read it. (/cancel to stop)
case-resolution-too-short = Please write a little more: what was done?
case-resolved-notice = ✔️ The coordinator dealt with the delivery problem for { $child }: { $what }
region-catalog-added = ✅ <b>{ $name }</b> (<code>{ $code }</code>) set up from the official Kemendagri list: { $added } new regions ({ $districts } kecamatan, { $villages } villages).
region-catalog-unknown = There is no region <code>{ $code }</code> in the official list.
row-near-kecamatan = no kecamatan «{ $value }» is known; the nearest: { $nearest }
row-near-village = no village «{ $value }» in that kecamatan; the nearest: { $nearest }
row-village-elsewhere = the village «{ $value }» is in Kecamatan { $kecamatan }, not in this row's kecamatan
row-village-in-several = no kecamatan, and a village «{ $value }» is in several kecamatan: { $kecamatan }; fill in the kecamatan column
row-kecamatan-in-several = the kecamatan «{ $value }» is in several regencies/cities: { $regencies }; fill in the Kab/Kota column
column-puskesmas = Puskesmas
column-position = measuring position
column-file-haz = ZS TB/U (height-for-age)
column-file-waz = ZS BB/U (weight-for-age)
column-file-whz = ZS BB/TB (weight-for-height)
column-regency = regency/city
row-z-differs = the file's ZS { $indicator } is { $file }, WHO's is { $ours }: check the height/weight and the dates
import-warnings = ⚠️ { $count } lines imported with a remark:
import-row-warning = Line { $line }: { $problem }
import-rejected-file-note = 📎 The rejected lines come as a file with a reason column: correct it and send that file back as it is.
import-rejected-file-caption = The rejected lines, with the reason. Correct them and send this file back.
import-rejected-file-suffix = rejected
import-rejected-reason-column = Reason rejected

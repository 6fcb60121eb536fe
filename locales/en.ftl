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

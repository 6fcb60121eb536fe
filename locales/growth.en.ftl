# Growth monitoring: measurements, z-scores against the WHO standards, the growth chart, graduation.

cmd-measure = Record a child's height and weight

## Indicators and their classes (WHO 2006)
indicator-haz = Height-for-age
indicator-waz = Weight-for-age
indicator-whz = Weight-for-height
indicator-baz = BMI-for-age
class-severely-stunted = severely stunted
class-stunted = stunted
class-normal = normal
class-severely-underweight = severely underweight
class-underweight = underweight
class-severely-wasted = severely wasted
class-wasted = wasted

## The growth card
growth-card-title = 🧒 <b>{ $name }</b> (<code>{ $id }</code>), { $months } months, { $place }
growth-card-puskesmas = 🏥 Puskesmas { $puskesmas }
growth-never = 📏 Never measured.
growth-latest = 📏 <b>Latest measurement { $date }</b> (age { $months } months; { $count } measurements): { $values }
growth-length-lying = { $cm } cm lying
growth-length-standing = { $cm } cm standing
growth-weight = { $kg } kg
growth-muac = MUAC { $cm } cm
growth-z-line = • { $indicator } { $z }{ $class }{ $change }
growth-change = {" "}({ $arrow } { $delta } since { $since })
growth-unchanged = {" "}(unchanged since { $since })
growth-button-measure = 📏 Measure
growth-button-chart = 📈 Chart
growth-chart-caption = 📈 { $name }'s height-for-age against the WHO curves ({ $count } measurements).
growth-chart-file = growth-chart
growth-chart-failed = The chart cannot be drawn right now. Please try again later.

## The chart
chart-growth-title = { $name } — length/height-for-age
chart-growth-subtitle = { $sex } · WHO Child Growth Standards 2006
chart-growth-x = Age (months)
chart-growth-y = Length/height (cm)
chart-growth-minus3 = −3 SD
chart-growth-minus2 = −2 SD (stunting line)
chart-growth-median = Median
chart-growth-plus2 = +2 SD
chart-growth-empty = No measurements yet

## Choosing a child to measure
measure-not-allowed = Measurements are recorded by the volunteers and coordinators of the child's area.
measure-none = No matching child in your area.
measure-list = <b>Children in your area: { $count }</b>. Those unmeasured longest come first. Choose a child, or type <code>/measure name</code>.
measure-child-button = { $name }, { $months } mo · last measured { $last }
measure-never-short = never

## Entering a measurement
measure-ask-date =
    📏 Measuring <b>{ $name }</b> ({ $months } months).
    Date of the measurement? Choose, or type the date (dd-mm-yyyy).
measure-button-today = Today ({ $date })
measure-button-yesterday = Yesterday ({ $date })
measure-ask-length = { $name }'s length/height in cm? For example: <code>82.5</code>
measure-ask-position = Measured lying down (length) or standing (height)? { $hint }
measure-usual-lying = Children under 2 are usually measured lying down.
measure-usual-standing = Children from 2 are usually measured standing.
measure-button-lying = 🛏 Lying
measure-button-standing = 🧍 Standing
measure-ask-weight = Weight in kg? For example: <code>10.2</code>. Press Skip if the child was not weighed.
measure-ask-muac = Mid-upper arm circumference (MUAC) in cm? For example: <code>13.5</code>. You may skip it.
measure-button-skip = Skip
measure-button-cancel = ✖️ Cancel
measure-button-save = 💾 Save
measure-button-redo = ✏️ Start again
measure-review = 📏 <b>{ $name }</b>, { $date }: { $values }
measure-replaces = ⚠️ Replaces that day's measurement: { $values }
measure-standing-under-nine-months = ⚠️ A baby under 9 months cannot stand yet, so WHO does not take «standing» for them: this value counts as the length lying down, without adding 0.7 cm. If the baby was in fact measured lying down, press Start again and choose Lying.
measure-bad-date = That date is not recognised. Type it like <code>24-11-2026</code>, or press a button.
measure-bad-length = Write the length/height in cm with at most one decimal, for example <code>82.5</code> (30 to 140 cm).
measure-bad-position = Press Lying or Standing.
measure-bad-weight = Write the weight in kg, for example <code>10.2</code> (0.5 to 40 kg), or press Skip.
measure-bad-muac = Write the MUAC in cm, for example <code>13.5</code> (5 to 30 cm), or press Skip.
measure-press-a-button = Press Save, Start again or Cancel under the summary.
measure-expected = A measurement is being entered: answer the last question, or type /cancel.
measure-cancelled = Measurement cancelled; nothing was saved.
measure-saved = ✅ { $name }'s measurement of { $date } is saved.
measure-replaced = ✅ { $name }'s measurement of { $date } is corrected.
measure-unchanged = { $name }'s measurement of { $date } was already recorded exactly so.
measure-graduation-asked = 🎓 Two measurements in a row above the stunting line: the coordinators are asked to decide on graduation.
measure-after-confirm = 📏 Measure { $name } while you are there? This last step is optional.
measure-after-confirm-button = 📏 Record a measurement

## Refusals
measure-refused-future = That date has not come yet. Send the date of the measurement.
measure-refused-before-birth = That date is before the child's birth. Send the date of the measurement.
measure-refused-too-old = On that date the child was over 5 years old; the WHO standards end at 5 years.
measure-refused-flagged = These values give a { $indicator } of { $z } SD, outside WHO's plausible range ({ $low } to { $high }). Most likely a measuring or typing error: please measure again and send it.
measure-refused-shorter = This is { $by } cm shorter than the measurement of { $date } ({ $before }). Children do not shrink: please measure again and send it.
measure-refused-taller = This is { $by } cm taller than the later measurement of { $date } ({ $after }). Check the date and the value.
measure-refused-weight = This weight is double or half of { $other } kg on { $date }, only { $days } days apart. Please weigh again and send it.
row-measurement-refused = the child is recorded, the measurement is not: { $reason }

## Graduation
graduation-ask =
    🎓 <b>{ $name }</b> (<code>{ $id }</code>) left stunting on two measurements in a row: height-for-age { $before } ({ $before_on }) and { $latest } ({ $latest_on }).
    Sponsor: { $sponsor }. End the sponsorship because the child graduated, or keep it?
graduation-button-end = 🎓 End: the child graduated
graduation-button-keep = Keep the sponsorship
graduation-kept = { $name }'s sponsorship goes on.
graduation-ended = 🎓 { $name } graduated; the sponsorship ended and the sponsor was told. No child is waiting in their district right now.
graduation-ended-offered = 🎓 { $name } graduated; the sponsorship ended. The sponsor was thanked and offered the next child.
graduation-already-end = { $by } already graduated { $name }.
graduation-already-keep = { $by } already decided to keep { $name }'s sponsorship.
graduation-stale = { $name }'s sponsorship changed since this question; nothing was changed.
sponsor-graduated = 🎓 Good news: { $name } is no longer stunted (height-for-age { $haz } on two measurements in a row). The coordinator has graduated { $name } and the sponsorship is complete. Thank you for caring!
sponsor-graduated-none-waiting = No other child is waiting in your area right now. Type /request_child any time to sponsor again.

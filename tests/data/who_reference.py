#!/usr/bin/env python3
"""Reference z-scores for src/domain/growth.rs, computed independently of the Rust code.

Pure Python 3, standard library only. Written from the WHO formula and the rules in the WHO tables'
README (shared/who-growth/README.md) and WHO Anthro (the `anthro` R package), never by calling asuh:

* z = ((X/M)^L - 1) / (L*S), or ln(X/M)/S when L = 0.
* Weight-for-age, weight-for-length/height and BMI-for-age restrict the tails: beyond +3 SD,
  z = 3 + (X - SD3)/(SD3 - SD2); below -3 SD, z = -3 + (X - SD3neg)/(SD2neg - SD3neg).
  Length/height-for-age uses the plain formula.
* Age in completed days, 0..1826. Under 731 days the tables want recumbent length, from 731 days
  standing height: standing under 731 days adds 0.7 cm, lying from 731 days takes 0.7 cm off.
  WHO Anthro treats "standing" under 9 months (age in days / 30.4375 < 9) as a recording error and
  uses the value as it is, without the conversion; so does this script.
* Weight-for-length (45.0..110.0 cm) under 731 days, weight-for-height (65.0..120.0 cm) from 731
  days, on the converted length; between two 0.1 cm rows L, M and S are interpolated linearly.
  Lengths are handled as exact decimals here (the Rust code uses floating point), so the two
  implementations find the neighbouring rows differently.
* BMI = weight / (converted length in m)^2.

Run from anywhere: `python3 tests/data/who_reference.py` rewrites tests/data/who_reference.csv.

Columns of the CSV: source, indicator (haz, waz, whz, baz), sex (m, f), age_days, length_cm,
position (lying, standing), weight_kg, z (4 decimals), tolerance (how far the Rust value may be),
note. Sources:
* formula: computed by this script for a spread of ages, positions, sexes and z from -4 to +4.
* edge: the same, at and next to the ends of the weight-for-length/height tables.
* who_median: the median M of a WHO table row, whose z is 0 by definition.
* who_sd: the value at an exact SD line, M*(1 + L*S*z)^(1/L) (WHO's own formula for the SD curves),
  whose z is that SD by definition (within +-3 SD, where restriction changes nothing).
* who_anthro: expected values from the test suite of WHO's `anthro` R package (WHO Anthro), given
  there to 2 decimals, hence tolerance 0.01.
"""

import csv
import math
import os
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WHO = os.path.join(ROOT, "data", "who")
OUT = os.path.join(HERE, "who_reference.csv")

TENTH = Decimal("0.1")
CONVERSION = Decimal("0.7")
SEXES = {"m": 1, "f": 2}


def load(name, index, kind):
    """Table rows keyed by (sex code, index); index as int (days) or Decimal (cm)."""
    rows = {}
    with open(os.path.join(WHO, name + ".csv"), newline="") as f:
        for row in csv.DictReader(f):
            key = (int(row["sex"]), kind(row[index]))
            rows[key] = (float(row["l"]), float(row["m"]), float(row["s"]))
    return rows


LHFA = load("lhfa", "age_days", int)
WFA = load("wfa", "age_days", int)
BMI = load("bmi", "age_days", int)
WFL = load("wfl", "length_cm", Decimal)
WFH = load("wfh", "height_cm", Decimal)


def z_plain(x, lms):
    l, m, s = lms
    if l == 0:
        return math.log(x / m) / s
    return ((x / m) ** l - 1) / (l * s)


def at_sd(z, lms):
    l, m, s = lms
    if l == 0:
        return m * math.exp(s * z)
    return m * (1 + l * s * z) ** (1 / l)


def z_restricted(x, lms):
    z = z_plain(x, lms)
    if z > 3:
        sd3, sd2 = at_sd(3, lms), at_sd(2, lms)
        return 3 + (x - sd3) / (sd3 - sd2)
    if z < -3:
        sd3, sd2 = at_sd(-3, lms), at_sd(-2, lms)
        return -3 + (x - sd3) / (sd2 - sd3)
    return z


def converted(age, length, position):
    """The length the tables want at this age (Decimal in, Decimal out)."""
    if age < 731 and position == "standing" and Decimal(age) / Decimal("30.4375") >= 9:
        return length + CONVERSION
    if age >= 731 and position == "lying":
        return length - CONVERSION
    return length


def measured(age, table_length, position):
    """Inverse of `converted`: what was measured for a wanted table length (floats)."""
    if age < 731 and position == "standing" and age / 30.4375 >= 9:
        return table_length - 0.7
    if age >= 731 and position == "lying":
        return table_length + 0.7
    return table_length


def length_lms(sex, age, length):
    """LMS of weight-for-length/height at an exact decimal length, or None outside the table."""
    table, low, high = (WFL, 45, 110) if age < 731 else (WFH, 65, 120)
    if not Decimal(low) <= length <= Decimal(high):
        return None
    below = length.quantize(TENTH, rounding=ROUND_FLOOR)
    share = float((length - below) / TENTH)
    lower = table[(sex, below)]
    if share == 0:
        return lower
    upper = table[(sex, below + TENTH)]
    return tuple(a + share * (b - a) for a, b in zip(lower, upper))


def haz(sex, age, length, position):
    return z_plain(float(converted(age, length, position)), LHFA[(sex, age)])


def waz(sex, age, weight):
    return z_restricted(float(weight), WFA[(sex, age)])


def whz(sex, age, length, position, weight):
    return z_restricted(float(weight), length_lms(sex, age, converted(age, length, position)))


def baz(sex, age, length, position, weight):
    metres = float(converted(age, length, position)) / 100
    return z_restricted(float(weight) / metres**2, BMI[(sex, age)])


def dec(x, places):
    """A float as the decimal a person would enter, to `places` (e.g. "0.1")."""
    return Decimal(repr(x)).quantize(Decimal(places), rounding=ROUND_HALF_EVEN)


rows = []


def add(source, indicator, sex, age, length, position, weight, z, tolerance, note=""):
    assert "," not in note
    rows.append(
        {
            "source": source,
            "indicator": indicator,
            "sex": sex,
            "age_days": age,
            "length_cm": "" if length is None else str(length),
            "position": position or "",
            "weight_kg": "" if weight is None else str(weight),
            "z": f"{z:.4f}",
            "tolerance": tolerance,
            "note": note,
        }
    )


AGES = [0, 1, 30, 365, 730, 731, 1000, 1826]
TARGETS = [-4.0, -3.5, -2.5, -1.0, 0.0, 1.5, 2.5, 3.5, 4.0]
POSITIONS = ["lying", "standing"]
FORMULA_TOLERANCE = "0.0001"


def note_for(age, position):
    if age < 731 and position == "standing":
        if age / 30.4375 < 9:
            return "standing under 9 months: no conversion"
        return "standing under 731 days: +0.7 cm"
    if age >= 731 and position == "lying":
        return "lying from 731 days: -0.7 cm"
    return ""


for sex_name, sex in SEXES.items():
    for age in AGES:
        for position in POSITIONS:
            note = note_for(age, position)
            lhfa = LHFA[(sex, age)]
            for t in TARGETS:
                length = dec(measured(age, at_sd(t, lhfa), position), "0.1")
                add("formula", "haz", sex_name, age, length, position, None,
                    haz(sex, age, length, position), FORMULA_TOLERANCE, note)
            # weight-for-length/height and BMI at the median length for age, to 0.01 cm so that
            # most lengths fall between two rows of the length tables
            length = dec(measured(age, lhfa[1], position), "0.01")
            table_length = converted(age, length, position)
            wfl = length_lms(sex, age, table_length)
            for t in TARGETS:
                weight = dec(at_sd(t, wfl), "0.01")
                add("formula", "whz", sex_name, age, length, position, weight,
                    whz(sex, age, length, position, weight), FORMULA_TOLERANCE, note)
            bmi = BMI[(sex, age)]
            for t in TARGETS:
                weight = dec(at_sd(t, bmi) * (float(table_length) / 100) ** 2, "0.01")
                add("formula", "baz", sex_name, age, length, position, weight,
                    baz(sex, age, length, position, weight), FORMULA_TOLERANCE, note)
        wfa = WFA[(sex, age)]
        for t in TARGETS:
            weight = dec(at_sd(t, wfa), "0.01")
            add("formula", "waz", sex_name, age, None, None, weight,
                waz(sex, age, weight), FORMULA_TOLERANCE)

# The ends of the weight-for-length/height tables, measured directly or reached by the conversion.
EDGES = [
    (0, "45.0", "lying", "wfl first row"),
    (100, "45.05", "lying", "wfl between the first two rows"),
    (700, "110.0", "lying", "wfl last row"),
    (700, "109.3", "standing", "wfl last row after +0.7 cm"),
    (700, "109.95", "lying", "wfl between the last two rows"),
    (800, "65.0", "standing", "wfh first row"),
    (1000, "65.7", "lying", "wfh first row after -0.7 cm"),
    (800, "65.05", "standing", "wfh between the first two rows"),
    (1826, "120.0", "standing", "wfh last row"),
    (1500, "120.7", "lying", "wfh last row after -0.7 cm"),
    (1826, "119.95", "standing", "wfh between the last two rows"),
]
for sex_name, sex in SEXES.items():
    for age, text, position, note in EDGES:
        length = Decimal(text)
        lms = length_lms(sex, age, converted(age, length, position))
        for t in [-4.0, -2.0, 0.0, 2.0, 4.0]:
            weight = dec(at_sd(t, lms), "0.01")
            add("edge", "whz", sex_name, age, length, position, weight,
                whz(sex, age, length, position, weight), FORMULA_TOLERANCE, note)


# Values known by definition from WHO's published tables: the median is z = 0, and the value on an
# SD line is that z. The measurement is printed in full so that nothing is lost to rounding.
def exact(x):
    return repr(x)


for sex_name, sex in SEXES.items():
    m = LHFA[(sex, 0)][1]
    add("who_median", "haz", sex_name, 0, exact(m), "lying", None, 0.0, "0.0001",
        "median length at birth")
    m = WFA[(sex, 0)][1]
    add("who_median", "waz", sex_name, 0, None, None, exact(m), 0.0, "0.0001",
        "median weight at birth")
    m = WFL[(sex, Decimal("45.0"))][1]
    add("who_median", "whz", sex_name, 0, "45.0", "lying", exact(m), 0.0, "0.0001",
        "median weight at 45.0 cm")
    m = WFH[(sex, Decimal("120.0"))][1]
    add("who_median", "whz", sex_name, 1826, "120.0", "standing", exact(m), 0.0, "0.0001",
        "median weight at 120.0 cm")
    for age, z, position in [(0, -2, "lying"), (365, -2, "lying"), (731, -3, "standing"),
                             (1826, 2, "standing")]:
        x = at_sd(z, LHFA[(sex, age)])
        add("who_sd", "haz", sex_name, age, exact(x), position, None, z, "0.0001",
            f"{z:+d} SD length/height")
    for age, z in [(0, -2), (365, -3), (1000, 3), (1826, -2)]:
        x = at_sd(z, WFA[(sex, age)])
        add("who_sd", "waz", sex_name, age, None, None, exact(x), z, "0.0001",
            f"{z:+d} SD weight")
    for age, text, position, z in [(200, "70.0", "lying", -2), (400, "80.0", "lying", -3),
                                   (900, "90.0", "standing", 3), (1500, "100.0", "standing", -2)]:
        x = at_sd(z, length_lms(sex, age, Decimal(text)))
        add("who_sd", "whz", sex_name, age, text, position, exact(x), z, "0.0001",
            f"{z:+d} SD weight-for-length/height")
    for age, z in [(30, -2), (1000, 2)]:
        position = "lying" if age < 731 else "standing"
        length = float(LHFA[(sex, age)][1])
        bmi = at_sd(z, BMI[(sex, age)])
        add("who_sd", "baz", sex_name, age, exact(length), position, exact(bmi * (length / 100) ** 2),
            z, "0.0001", f"{z:+d} SD BMI at the median length")

# Expected values in the test suite of WHO's `anthro` R package (WHO Anthro), 2 decimals.
# Ages given there in months are converted as WHO Anthro does: round(months * 30.4375).
ANTHRO = [
    ("haz", "m", 987, "72.86", "lying", None, -6.09, "lying from 731 days: -0.7 cm; flagged"),
    ("haz", "f", 731, "77.5", "standing", None, -2.55, "24 months"),
    ("haz", "m", 274, "60.0", "standing", None, -5.02, "9 months standing: +0.7 cm"),
    ("haz", "m", 244, "60.0", "standing", None, -4.81, "8 months standing: no conversion"),
    ("haz", "m", 44, "50.0", "lying", None, round((50 / 56.4833 - 1) / 0.03492, 2), ""),
    ("waz", "f", 1522, None, None, "17", 0.24, ""),
]
for indicator, sex_name, age, length, position, weight, z, note in ANTHRO:
    add("who_anthro", indicator, sex_name, age, length, position, weight, z, "0.01", note)

# Check the script against the WHO Anthro values before writing anything.
for row in rows:
    if row["source"] != "who_anthro":
        continue
    sex = SEXES[row["sex"]]
    age = row["age_days"]
    if row["indicator"] == "haz":
        got = haz(sex, age, Decimal(row["length_cm"]), row["position"])
    else:
        got = waz(sex, age, Decimal(row["weight_kg"]))
    assert abs(got - float(row["z"])) <= 0.005 + 1e-9, (row, got)

with open(OUT, "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
print(f"{len(rows)} rows written to {os.path.relpath(OUT, ROOT)}")

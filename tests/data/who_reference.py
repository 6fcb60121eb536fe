#!/usr/bin/env python3
"""Reference z-scores for src/domain/growth.rs, computed independently of the Rust code.

Pure Python 3, standard library only. Written from WHO's algorithm as WHO's own software implements it,
the `anthro` R package (WorldHealthOrganization/anthro, release 1.1.0 of January 2026, the same rules
since release 0.9.1 of 2019), never by calling asuh. The rules, with the anthro function they come from:

* Age in days, 0..1826: z-scores only below 60 months (age in days / 30.4375 < 60), from the tables'
  row of that day; nothing is interpolated by age.
* The measurement position (`anthro_zscores`): "standing" for a child under 9 months
  (age in days / 30.4375 < 9) is implausible; anthro sets the measure to missing (and reports
  `c9mo_flag = 1`), so the value is used as it is, without the 0.7 cm conversion.
* `adjust_lenhei`: a child under 731 days measured standing gets 0.7 cm added (recumbent length), a
  child of 731 days or more measured lying gets 0.7 cm taken off (standing height). This converted
  length (`clenhei`) serves length/height-for-age, weight-for-length/height and BMI.
* Length/height-for-age (`compute_zscore`): z = ((X/M)^L - 1) / (S*L), not restricted.
* Weight-for-age, weight-for-length/height and BMI-for-age (`compute_zscore_adjusted`): beyond +3 SD,
  z = 3 + (X - SD3pos)/(SD3pos - SD2pos); below -3 SD, z = -3 + (X - SD3neg)/(SD2neg - SD3neg), where
  SDn = M*(1 + L*S*n)^(1/L).
* Weight-for-length/height (`anthro_zscore_weight_for_lenhei`): the table by AGE, not by position:
  under 731 days weight-for-length (wfl, 45.0..110.0 cm), from 731 days weight-for-height (wfh,
  65.0..120.0 cm), looked up with the converted length. Between two 0.1 cm rows L, M and S are
  interpolated linearly, as anthro does it in floating point: low = trunc(x*10)/10,
  upp = trunc(x*10 + 1)/10, diff = (x - low)/0.1, and the row above only when diff > 0. No z-score
  (NA) when the converted length lies outside the table's range (compared as a floating-point number).
* BMI = weight / (converted length / 100)^2.
* Flags (`flag_zscore`), on the z-score rounded to 2 decimals as anthro reports it: |z| > 6 for
  length/height-for-age, z < -6 or z > 5 for weight-for-age, |z| > 5 for weight-for-length/height
  and BMI-for-age.

Run from the repository: `python3 tests/data/who_reference.py` rewrites tests/data/who_reference.csv
(the same file every time: the random cases come from a fixed seed). `--random N --out PATH` writes N
random measurements (4 rows each) to PATH instead, for a larger one-off comparison.

Columns of the CSV: source, indicator (haz, waz, whz, baz), sex (m, f), age_days, length_cm (as
measured, before any conversion), position (lying, standing), weight_kg, z (6 decimals, or NA where
anthro gives none), flag (1 when anthro flags the z-score, 0 when not, NA with no z-score),
tolerance (how far the Rust value may be), note. Sources:
* formula: a spread of ages, positions, sexes and z from -4 to +4.
* edge: at and next to the ends of the weight-for-length/height tables.
* who_median: the median M of a WHO table row, whose z is 0 by definition.
* who_sd: the value at an exact SD line, whose z is that SD by definition (within +-3 SD).
* who_anthro: expected values from the test suite of the anthro package, given there to 2 decimals.
* position: both positions on both sides of 731 days and of 9 months, every indicator, both sexes.
* ends: lengths at, just inside and just outside the ends of the wfl/wfh tables, directly and through
  the 0.7 cm conversion; the last day of the tables and the day after.
* between: lengths between two 0.1 cm rows of the wfl/wfh tables.
* tails: restricted tails beyond +-3 SD and the flags' thresholds, either side of the rounding.
* random: measurements as people enter them (whole mm, whole g), spread over ages, positions and z.
"""

import argparse
import csv
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WHO = os.path.join(ROOT, "data", "who")
OUT = os.path.join(HERE, "who_reference.csv")

SEXES = {"m": 1, "f": 2}
DAYS_OF_MONTH = 30.4375
LAST_DAY = 1826


def load(name, index):
    """Table rows keyed by (sex code, index): the day, or the length in whole tenths of a cm."""
    rows = {}
    with open(os.path.join(WHO, name + ".csv"), newline="") as f:
        for row in csv.DictReader(f):
            if index == "age_days":
                key = int(row[index])
            else:
                whole, tenth = row[index].split(".")
                key = int(whole) * 10 + int(tenth)
            rows[(int(row["sex"]), key)] = (float(row["l"]), float(row["m"]), float(row["s"]))
    return rows


LHFA = load("lhfa", "age_days")
WFA = load("wfa", "age_days")
BMI = load("bmi", "age_days")
WFL = load("wfl", "length_cm")
WFH = load("wfh", "height_cm")
# The ranges anthro checks the converted length against (wfl under 731 days, wfh from 731).
WFL_RANGE = (45.0, 110.0)
WFH_RANGE = (65.0, 120.0)


# --- anthro's rules ---------------------------------------------------------------------------------

def measure(age, position):
    """anthro_zscores: "l" or "h", or None when standing under 9 months (then no conversion)."""
    if position == "standing":
        return None if age / DAYS_OF_MONTH < 9 else "h"
    return "l"


def adjust_lenhei(age, m, lenhei):
    if m == "h" and age < 731:
        return lenhei + 0.7
    if m == "l" and age >= 731:
        return lenhei - 0.7
    return lenhei


def clenhei(age, length, position):
    return adjust_lenhei(age, measure(age, position), length)


def age_valid(age):
    return 0 <= age <= LAST_DAY and age / DAYS_OF_MONTH < 60


def compute_zscore(y, lms):
    l, m, s = lms
    return ((y / m) ** l - 1) / (s * l)


def sd_curve(n, lms):
    l, m, s = lms
    return m * ((1 + l * s * n) ** (1 / l))


def compute_zscore_adjusted(y, lms):
    z = compute_zscore(y, lms)
    if z > 3:
        sd3, sd2 = sd_curve(3, lms), sd_curve(2, lms)
        return 3 + (y - sd3) / (sd3 - sd2)
    if z < -3:
        sd3, sd2 = sd_curve(-3, lms), sd_curve(-2, lms)
        return -3 + (y - sd3) / (sd2 - sd3)
    return z


def haz(sex, age, length, position):
    if not age_valid(age):
        return None
    return compute_zscore(clenhei(age, length, position), LHFA[(sex, age)])


def waz(sex, age, weight):
    if not age_valid(age):
        return None
    return compute_zscore_adjusted(weight, WFA[(sex, age)])


def lenhei_lms(sex, age, x):
    """anthro_zscore_weight_for_lenhei's lookup: the table by age, L, M, S interpolated by length."""
    table, (low_end, high_end) = (WFL, WFL_RANGE) if age < 731 else (WFH, WFH_RANGE)
    if not low_end <= x <= high_end:
        return None
    low = math.trunc(x * 10)
    upp = math.trunc(x * 10 + 1)
    diff = (x - low / 10) / 0.1
    lower = table.get((sex, low))
    if lower is None:
        return None
    if diff <= 0:
        return lower
    upper = table.get((sex, upp))
    if upper is None:
        return None
    return tuple(a + diff * (b - a) for a, b in zip(lower, upper))


def whz(sex, age, length, position, weight):
    if not age_valid(age):
        return None
    lms = lenhei_lms(sex, age, clenhei(age, length, position))
    return None if lms is None else compute_zscore_adjusted(weight, lms)


def baz(sex, age, length, position, weight):
    if not age_valid(age):
        return None
    metres = clenhei(age, length, position) / 100
    return compute_zscore_adjusted(weight / (metres * metres), BMI[(sex, age)])


def flag(indicator, z):
    r = round(z, 2)
    if indicator == "haz":
        return abs(r) > 6
    if indicator == "waz":
        return r < -6 or r > 5
    return abs(r) > 5


# --- building cases ---------------------------------------------------------------------------------

def measured_length(age, table_length, position):
    """What was measured in `position` for a wanted converted length (the inverse of clenhei)."""
    return table_length - (clenhei(age, 0.0, position))


def text(x, places):
    return f"{x:.{places}f}"


rows = []


def add(source, indicator, sex_name, age, length, position, weight, z, tolerance, note=""):
    """One row; `length` and `weight` are the texts of the measurement, `z` None where anthro has none."""
    assert "," not in note
    rows.append(
        {
            "source": source,
            "indicator": indicator,
            "sex": sex_name,
            "age_days": age,
            "length_cm": length or "",
            "position": position or "",
            "weight_kg": weight or "",
            "z": "NA" if z is None else f"{z:.6f}",
            "flag": "NA" if z is None else int(flag(indicator, z)),
            "tolerance": tolerance,
            "note": note,
        }
    )


TIGHT = "0.000001"


def note_for(age, position):
    if position == "standing" and age < 731:
        if age / DAYS_OF_MONTH < 9:
            return "standing under 9 months: no conversion"
        return "standing under 731 days: +0.7 cm"
    if position == "lying" and age >= 731:
        return "lying from 731 days: -0.7 cm"
    return ""


def add_all(source, sex_name, age, length, position, weight, note=None, indicators=None):
    """Every indicator of one measurement (texts in, as a person would enter them)."""
    sex = SEXES[sex_name]
    note = note_for(age, position) if note is None else note
    x = float(length) if length else None
    w = float(weight) if weight else None
    for indicator in indicators or ["haz", "waz", "whz", "baz"]:
        if indicator == "haz":
            add(source, "haz", sex_name, age, length, position, None,
                haz(sex, age, x, position), TIGHT, note)
        elif indicator == "waz":
            add(source, "waz", sex_name, age, None, None, weight, waz(sex, age, w), TIGHT, note)
        elif indicator == "whz":
            add(source, "whz", sex_name, age, length, position, weight,
                whz(sex, age, x, position, w), TIGHT, note)
        else:
            add(source, "baz", sex_name, age, length, position, weight,
                baz(sex, age, x, position, w), TIGHT, note)


def lms_for_weight(sex, age, table_length):
    """The weight-for-length/height row at this converted length, or weight-for-age's row outside."""
    return lenhei_lms(sex, age, table_length) or WFA[(sex, min(age, LAST_DAY))]


AGES = [0, 1, 30, 365, 730, 731, 1000, 1826]
TARGETS = [-4.0, -3.5, -2.5, -1.0, 0.0, 1.5, 2.5, 3.5, 4.0]
POSITIONS = ["lying", "standing"]


def formula_cases():
    for sex_name, sex in SEXES.items():
        for age in AGES:
            for position in POSITIONS:
                lhfa = LHFA[(sex, age)]
                for t in TARGETS:
                    length = text(measured_length(age, sd_curve(t, lhfa), position), 1)
                    add_all("formula", sex_name, age, length, position, None, indicators=["haz"])
                # weight-for-length/height and BMI at the median length for age, to 0.01 cm, so that
                # most lengths fall between two rows of the length tables
                length = text(measured_length(age, lhfa[1], position), 2)
                table_length = clenhei(age, float(length), position)
                wfl = lenhei_lms(sex, age, table_length)
                for t in TARGETS:
                    weight = text(sd_curve(t, wfl), 2)
                    add_all("formula", sex_name, age, length, position, weight, indicators=["whz"])
                bmi = BMI[(sex, age)]
                for t in TARGETS:
                    weight = text(sd_curve(t, bmi) * (table_length / 100) ** 2, 2)
                    add_all("formula", sex_name, age, length, position, weight, indicators=["baz"])
            wfa = WFA[(sex, age)]
            for t in TARGETS:
                add_all("formula", sex_name, age, None, None, text(sd_curve(t, wfa), 2),
                        note="", indicators=["waz"])


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


def edge_cases():
    for sex_name, sex in SEXES.items():
        for age, length, position, note in EDGES:
            lms = lenhei_lms(sex, age, clenhei(age, float(length), position))
            for t in [-4.0, -2.0, 0.0, 2.0, 4.0]:
                add_all("edge", sex_name, age, length, position, text(sd_curve(t, lms), 2),
                        note=note, indicators=["whz"])


def definition_cases():
    """Values whose z-score the WHO tables give by definition; printed in full (repr)."""
    for sex_name, sex in SEXES.items():
        add("who_median", "haz", sex_name, 0, repr(LHFA[(sex, 0)][1]), "lying", None, 0.0, "0.0001",
            "median length at birth")
        add("who_median", "waz", sex_name, 0, None, None, repr(WFA[(sex, 0)][1]), 0.0, "0.0001",
            "median weight at birth")
        add("who_median", "whz", sex_name, 0, "45.0", "lying", repr(WFL[(sex, 450)][1]), 0.0,
            "0.0001", "median weight at 45.0 cm")
        add("who_median", "whz", sex_name, 1826, "120.0", "standing", repr(WFH[(sex, 1200)][1]),
            0.0, "0.0001", "median weight at 120.0 cm")
        for age, z, position in [(0, -2, "lying"), (365, -2, "lying"), (731, -3, "standing"),
                                 (1826, 2, "standing")]:
            x = sd_curve(z, LHFA[(sex, age)])
            add("who_sd", "haz", sex_name, age, repr(x), position, None, z, "0.0001",
                f"{z:+d} SD length/height")
        for age, z in [(0, -2), (365, -3), (1000, 3), (1826, -2)]:
            x = sd_curve(z, WFA[(sex, age)])
            add("who_sd", "waz", sex_name, age, None, None, repr(x), z, "0.0001", f"{z:+d} SD weight")
        for age, length, position, z in [(200, "70.0", "lying", -2), (400, "80.0", "lying", -3),
                                         (900, "90.0", "standing", 3),
                                         (1500, "100.0", "standing", -2)]:
            x = sd_curve(z, lenhei_lms(sex, age, float(length)))
            add("who_sd", "whz", sex_name, age, length, position, repr(x), z, "0.0001",
                f"{z:+d} SD weight-for-length/height")
        for age, z in [(30, -2), (1000, 2)]:
            position = "lying" if age < 731 else "standing"
            length = LHFA[(sex, age)][1]
            bmi = sd_curve(z, BMI[(sex, age)])
            add("who_sd", "baz", sex_name, age, repr(length), position,
                repr(bmi * (length / 100) ** 2), z, "0.0001", f"{z:+d} SD BMI at the median length")


# Expected values in the test suite of the anthro package (tests/testthat), 2 decimals. Ages given
# there in months are converted as anthro does: round(months * 30.4375).
ANTHRO = [
    ("haz", "m", 987, "72.86", "lying", None, -6.09, "lying from 731 days: -0.7 cm; flagged"),
    ("haz", "f", 731, "77.5", "standing", None, -2.55, "24 months"),
    ("haz", "m", 274, "60.0", "standing", None, -5.02, "9 months standing: +0.7 cm"),
    ("haz", "m", 244, "60.0", "standing", None, -4.81, "8 months standing: no conversion"),
    ("haz", "m", 44, "50.0", "lying", None, round((50 / 56.4833 - 1) / 0.03492, 2), ""),
    ("waz", "f", 1522, None, None, "17", 0.24, ""),
]


def anthro_cases():
    for indicator, sex_name, age, length, position, weight, z, note in ANTHRO:
        add("who_anthro", indicator, sex_name, age, length, position, weight, z, "0.01", note)
    # The script itself against those values, before anything is written.
    for row in rows:
        if row["source"] != "who_anthro":
            continue
        sex, age = SEXES[row["sex"]], row["age_days"]
        if row["indicator"] == "haz":
            got = haz(sex, age, float(row["length_cm"]), row["position"])
        else:
            got = waz(sex, age, float(row["weight_kg"]))
        assert abs(got - float(row["z"])) <= 0.005 + 1e-9, (row, got)


# Both positions on both sides of 9 months (273 days is 8.97 months, 274 is 9.00) and of 731 days.
POSITION_AGES = [0, 1, 45, 150, 272, 273, 274, 275, 365, 500, 729, 730, 731, 732, 900, 1200, 1825,
                 1826]
# (length-for-age z, weight-for-length/height z) pairs, for the converted length
POSITION_TARGETS = [(-3.5, -3.5), (-2.5, -2.0), (-1.0, 0.0), (0.0, 2.0), (2.0, 3.5)]


def position_cases():
    for sex_name, sex in SEXES.items():
        for age in POSITION_AGES:
            for position in POSITIONS:
                for hz, wz in POSITION_TARGETS:
                    table_length = sd_curve(hz, LHFA[(sex, age)])
                    length = text(measured_length(age, table_length, position), 1)
                    lms = lms_for_weight(sex, age, clenhei(age, float(length), position))
                    weight = text(sd_curve(wz, lms), 3)
                    add_all("position", sex_name, age, length, position, weight)


def ends_cases():
    """The wfl/wfh tables' ends: at, just inside and just outside, directly and converted."""
    cases = [
        # (age, length, position, what)
        (10, "45.0", "lying", "wfl first row"),
        (10, "44.9", "lying", "below wfl"),
        (10, "45.1", "lying", "wfl second row"),
        (100, "44.9", "standing", "standing under 9 months: below wfl unconverted"),
        (300, "44.3", "standing", "wfl first row after +0.7 cm"),
        (300, "44.2", "standing", "below wfl after +0.7 cm"),
        (700, "110.0", "lying", "wfl last row"),
        (700, "110.1", "lying", "above wfl"),
        (700, "109.3", "standing", "wfl last row after +0.7 cm"),
        (700, "109.4", "standing", "above wfl after +0.7 cm"),
        (730, "109.9", "lying", "wfl next to last row on day 730"),
        (731, "110.0", "standing", "wfh (not wfl) on day 731"),
        (731, "60.0", "standing", "below wfh on day 731"),
        (730, "60.0", "lying", "wfl on day 730"),
        (731, "65.0", "standing", "wfh first row"),
        (731, "64.9", "standing", "below wfh"),
        (800, "65.7", "lying", "wfh first row after -0.7 cm"),
        (800, "65.6", "lying", "below wfh after -0.7 cm"),
        (1826, "120.0", "standing", "wfh last row"),
        (1826, "120.1", "standing", "above wfh"),
        (1500, "120.7", "lying", "wfh last row after -0.7 cm"),
        (1500, "120.8", "lying", "above wfh after -0.7 cm"),
        # where floating point bends anthro's lookup: 103.1 - 0.7 is 102.39999999999999, and
        # trunc(x*10 + 1) is 1025, so the row above is 102.5 (mixed in at 0.99999999999994)
        (1435, "103.1", "lying", "102.39999999999999 cm: anthro mixes in the 102.5 row"),
        (800, "51.9", "lying", "51.199999999999996 cm: below wfh"),
    ]
    for sex_name, sex in SEXES.items():
        for age, length, position, what in cases:
            x = clenhei(age, float(length), position)
            low, high = WFL_RANGE if age < 731 else WFH_RANGE
            lms = lms_for_weight(sex, age, min(max(x, low), high))
            for wz in [-2.0, 0.5]:
                weight = text(sd_curve(wz, lms), 3)
                add_all("ends", sex_name, age, length, position, weight, note=what,
                        indicators=["whz", "baz"])
        # the last day of the tables, and the first day past them (no z-score at all)
        for age in [LAST_DAY, LAST_DAY + 1]:
            add_all("ends", sex_name, age, "108.0", "standing", "18.000",
                    note="the last day" if age == LAST_DAY else "past the last day")


def between_cases():
    """Lengths between two rows of the wfl/wfh tables (a length typed to 0.01 cm or converted)."""
    lengths = {
        "wfl": ["45.01", "45.05", "45.09", "52.37", "60.55", "70.025", "84.99", "99.45", "109.91",
                "109.99"],
        "wfh": ["65.01", "65.05", "72.33", "85.55", "95.07", "104.62", "119.91", "119.99"],
    }
    for sex_name, sex in SEXES.items():
        for table, texts in lengths.items():
            age = 400 if table == "wfl" else 1300
            for length in texts:
                for position in POSITIONS:
                    # the converted length is `length`, whichever position it was measured in
                    measured = text(measured_length(age, float(length), position), 3)
                    lms = lenhei_lms(sex, age, clenhei(age, float(measured), position))
                    for wz in [-3.2, -1.0, 1.0]:
                        weight = text(sd_curve(wz, lms), 3)
                        add_all("between", sex_name, age, measured, position, weight,
                                note=f"{table} between rows", indicators=["whz", "baz"])


def tails_cases():
    """Restricted tails and the flags' thresholds; either side of WHO's rounding to 2 decimals."""
    for sex_name, sex in SEXES.items():
        for age in [3, 200, 700, 731, 1400, 1826]:
            position = "lying" if age < 731 else "standing"
            for z in [-6.3, -6.006, -6.004, -5.006, -5.004, -4.5, -3.2, 3.2, 4.5, 4.996, 5.004,
                      5.006, 6.3]:
                wfa = WFA[(sex, age)]
                if z > 3:
                    weight = sd_curve(3, wfa) + (z - 3) * (sd_curve(3, wfa) - sd_curve(2, wfa))
                elif z < -3:
                    weight = sd_curve(-3, wfa) + (z + 3) * (sd_curve(-2, wfa) - sd_curve(-3, wfa))
                else:
                    weight = sd_curve(z, wfa)
                if weight > 0:
                    add_all("tails", sex_name, age, None, None, repr(weight), note=f"waz {z:+}",
                            indicators=["waz"])
            for z in [-6.3, -6.006, -6.004, -5.9, 5.9, 6.004, 6.006, 6.3]:
                x = sd_curve(z, LHFA[(sex, age)])
                add_all("tails", sex_name, age, repr(x), position, None, note=f"haz {z:+}",
                        indicators=["haz"])
            length = LHFA[(sex, age)][1]
            lms = lms_for_weight(sex, age, length)
            bmi = BMI[(sex, age)]
            for z in [-5.3, -5.006, -5.004, -4.0, 4.0, 4.996, 5.004, 5.006, 5.3]:
                for name, curve in [("whz", lms), ("baz", bmi)]:
                    if z > 3:
                        y = sd_curve(3, curve) + (z - 3) * (sd_curve(3, curve) - sd_curve(2, curve))
                    else:
                        y = sd_curve(-3, curve) + (z + 3) * (sd_curve(-2, curve) - sd_curve(-3, curve))
                    weight = y if name == "whz" else y * (length / 100) ** 2
                    if weight > 0 and lenhei_lms(sex, age, length) is not None:
                        add_all("tails", sex_name, age, repr(length), position, repr(weight),
                                note=f"{name} {z:+}", indicators=[name])


def random_cases(n, seed):
    """Measurements as people enter them: whole mm, whole g; ages weighted to the critical ones."""
    rng = random.Random(seed)
    special = [0, 1, 272, 273, 274, 275, 729, 730, 731, 732, 1825, 1826]
    for _ in range(n):
        sex_name = rng.choice(["m", "f"])
        sex = SEXES[sex_name]
        roll = rng.random()
        if roll < 0.15:
            age = rng.choice(special)
        elif roll < 0.35:
            age = rng.randint(0, 273)
        elif roll < 0.55:
            age = rng.randint(600, 860)
        else:
            age = rng.randint(0, LAST_DAY)
        position = rng.choice(POSITIONS)
        table_length = sd_curve(rng.uniform(-4.5, 3.0), LHFA[(sex, age)])
        length = text(measured_length(age, table_length, position), 1)
        lms = lms_for_weight(sex, age, clenhei(age, float(length), position))
        weight = text(sd_curve(rng.uniform(-4.5, 4.0), lms), 3)
        add_all("random", sex_name, age, length, position, weight)


def write(path):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows written to {os.path.relpath(path, ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--random", type=int, help="only N random measurements (4 rows each)")
    parser.add_argument("--seed", type=int, default=2006)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    if args.random:
        random_cases(args.random, args.seed)
    else:
        formula_cases()
        edge_cases()
        definition_cases()
        anthro_cases()
        position_cases()
        ends_cases()
        between_cases()
        tails_cases()
        random_cases(500, args.seed)
    write(args.out)


if __name__ == "__main__":
    main()

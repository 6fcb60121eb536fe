//! Benchmark for the matcher at national scale: generates a deterministic input (by default 100,000 children and
//! 20,000 sponsors over 30 regencies × 15 kecamatan × 10 villages), runs `plan` three times, and prints the time
//! (first run and best of three), the outcome, and the process's peak memory.
//!
//! Run: `cargo bench --bench matcher`. `ASUH_BENCH_CHILDREN`, `ASUH_BENCH_SPONSORS`, `ASUH_BENCH_REGENCIES` and
//! `ASUH_BENCH_OFFICES` (offices per regency, default 25; 1 puts every civil-servant sponsor of a regency in one office)
//! change the input.
//!
//! Sponsors are spread unevenly on purpose: the first regencies have many, the later ones few (so their sponsors fill
//! up and children fall back to the kecamatan and the regency), and the last has none at all.

use std::hint::black_box;
use std::time::{Duration, Instant};

use asuh::domain::child::ChildId;
use asuh::domain::ids::{OfficeId, UserId};
use asuh::domain::matching::{
    ChildCandidate, MatchPlan, Proximity, SponsorCandidate, UnmatchedReason, plan,
};
use asuh::domain::region::RegionCode;

const KECAMATAN: u64 = 15;
const VILLAGES: u64 = 10;
/// 2026-01-01T00:00:00Z, so that waiting times look real; the matcher only compares them.
const NOW_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 86_400_000;

fn main() {
    let children_n = setting("ASUH_BENCH_CHILDREN", 100_000);
    let sponsors_n = setting("ASUH_BENCH_SPONSORS", 20_000);
    let offices_per_regency = setting("ASUH_BENCH_OFFICES", 25).max(1);
    let regencies = setting("ASUH_BENCH_REGENCIES", 30).max(1);

    let started = Instant::now();
    let (children, sponsors) = generate(children_n, sponsors_n, regencies, offices_per_regency);
    let generated_in = started.elapsed();
    let rss_input = status_kib("VmRSS:");

    let mut times = Vec::new();
    let mut first: Option<MatchPlan> = None;
    for _ in 0..3 {
        let started = Instant::now();
        let result = black_box(plan(black_box(&children), black_box(&sponsors)));
        times.push(started.elapsed());
        match &first {
            None => first = Some(result),
            Some(expected) => assert_eq!(&result, expected, "plan is not deterministic"),
        }
    }
    let Some(result) = first else {
        return;
    };
    let best = times.iter().min().copied().unwrap_or_default();

    let places: u64 = sponsors
        .iter()
        .map(|s| u64::from(s.capacity.saturating_sub(s.active)))
        .sum();
    let by_proximity = |p: Proximity| result.pairs.iter().filter(|x| x.proximity == p).count();
    let by_reason = |r: UnmatchedReason| result.unmatched.iter().filter(|x| x.1 == r).count();

    println!(
        "input: {} children, {} sponsors ({} free places), {} regencies, {} offices per regency; generated in {}",
        children.len(),
        sponsors.len(),
        places,
        regencies,
        offices_per_regency,
        ms(generated_in)
    );
    println!("plan:  first {}, best of 3 {}", ms(times[0]), ms(best));
    println!(
        "pairs: {} (same village {}, same kecamatan {}, same regency {}); total distance {}",
        result.pairs.len(),
        by_proximity(Proximity::SameVillage),
        by_proximity(Proximity::SameKecamatan),
        by_proximity(Proximity::SameRegency),
        result.total_distance()
    );
    println!(
        "unmatched: {} (no sponsor in regency {}, sponsors full {})",
        result.unmatched.len(),
        by_reason(UnmatchedReason::NoSponsorInRegency),
        by_reason(UnmatchedReason::SponsorsFull)
    );
    println!(
        "memory: peak RSS (VmHWM) {} MiB; RSS with the input alone {} MiB",
        mib(status_kib("VmHWM:")),
        mib(rss_input)
    );
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: a few lines, fully deterministic, good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

fn regency_code(r: u64) -> String {
    format!("{}.{:02}", 71 + r / 10, 1 + r % 10)
}

fn region(regency: u64, kecamatan: u64, village: Option<u64>) -> (RegionCode, Option<RegionCode>) {
    let k = format!("{}.{:02}", regency_code(regency), kecamatan + 1);
    let v = village.map(|v| format!("{k}.{}", 2001 + v));
    let parse = |s: &str| RegionCode::parse(s).expect("generated codes are valid");
    (parse(&k), v.as_deref().map(parse))
}

fn generate(
    children_n: u64,
    sponsors_n: u64,
    regencies: u64,
    offices_per_regency: u64,
) -> (Vec<ChildCandidate>, Vec<SponsorCandidate>) {
    let mut rng = Rng(0x00a5_0b1d);
    let children = (0..children_n)
        .map(|i| {
            let regency = rng.below(regencies);
            let kecamatan = rng.below(KECAMATAN);
            let village = rng.chance(0.9).then(|| rng.below(VILLAGES));
            let (kecamatan, village) = region(regency, kecamatan, village);
            ChildCandidate {
                id: ChildId(i64::try_from(i).unwrap_or(i64::MAX) + 1),
                kecamatan,
                village,
                haz: rng.chance(0.6).then(|| -4.5 + 3.5 * rng.unit()),
                age_days: u32::try_from(rng.below(5 * 365)).unwrap_or(0),
                waiting_since: NOW_MS - i64::try_from(rng.below(730)).unwrap_or(0) * DAY_MS,
            }
        })
        .collect();
    let sponsors = (0..sponsors_n)
        .map(|i| {
            // Skewed towards the first regencies; the last one gets none (unless it is the only one).
            let regency = ((regencies - 1) as f64 * rng.unit().powf(3.0)) as u64;
            let kecamatan = rng.below(KECAMATAN);
            let village = rng.chance(0.4).then(|| rng.below(VILLAGES));
            let (kecamatan, village) = region(regency, kecamatan, village);
            let capacity = 1 + u32::try_from(rng.below(20)).unwrap_or(0);
            SponsorCandidate {
                // Ids unrelated to input order.
                id: UserId(i64::try_from((i * 7_919) % 1_000_003).unwrap_or(0) + 100_000_000),
                office: rng
                    .chance(0.7)
                    .then(|| OfficeId((regency * 100_000 + rng.below(offices_per_regency)) as i64)),
                kecamatan,
                village,
                capacity,
                active: u32::try_from(rng.below(u64::from(capacity / 2 + 1))).unwrap_or(0),
            }
        })
        .collect();
    (children, sponsors)
}

/// A line of /proc/self/status in KiB (Linux); 0 where there is none.
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

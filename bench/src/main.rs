//! Timing harness: agreement check, then median and p99 nanoseconds per
//! decision, allocations per decision, build and update times, resident
//! memory and two-thread throughput, for one tenant count per run.
//!
//! `cargo run --release -- <tenants> [engines]`, engines a comma list of
//! `tenant-kit`, `cedar-tenant`, `cedar-shared`, `casbin` (default: all).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tenant_kit_bench::*;

/// Counts allocations, so that "allocations per decision" is measured, not assumed.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: delegates to the system allocator; only adds a relaxed counter.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Stats {
    median: f64,
    p99: f64,
    mean: f64,
    allocs: f64,
    samples: usize,
}

/// Timer overhead: the median of an empty `Instant` pair.
fn timer_overhead() -> f64 {
    let mut v: Vec<u64> = (0..100_000)
        .map(|_| {
            let t = Instant::now();
            black_box(());
            t.elapsed().as_nanos() as u64
        })
        .collect();
    v.sort_unstable();
    v[v.len() / 2] as f64
}

fn measure(n: usize, rounds: usize, overhead: f64, decide: &dyn Fn(usize) -> bool) -> Stats {
    // Warm up.
    for i in 0..n {
        black_box(decide(i));
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for i in 0..n {
        black_box(decide(i));
    }
    let allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / n as f64;
    let mut samples = Vec::with_capacity(n * rounds);
    let mut total = Duration::ZERO;
    for _ in 0..rounds {
        let batch = Instant::now();
        for i in 0..n {
            let t = Instant::now();
            black_box(decide(black_box(i)));
            samples.push(t.elapsed().as_nanos() as f64 - overhead);
        }
        total += batch.elapsed();
    }
    samples.sort_by(f64::total_cmp);
    let at =
        |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)].max(0.0);
    Stats {
        median: at(0.5),
        p99: at(0.99),
        // The mean from whole passes, including the timer's own cost.
        mean: total.as_nanos() as f64 / (n * rounds) as f64 - overhead,
        allocs,
        samples: samples.len(),
    }
}

fn throughput(n: usize, decide: &(dyn Fn(usize) -> bool + Sync)) -> f64 {
    let run = Duration::from_secs(1);
    let counts: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|k| {
                s.spawn(move || {
                    let start = Instant::now();
                    let mut done = 0u64;
                    let mut i = k * n / 2;
                    while start.elapsed() < run {
                        for _ in 0..256 {
                            black_box(decide(i % n));
                            i += 1;
                        }
                        done += 256;
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    });
    counts.iter().sum::<u64>() as f64 / run.as_secs_f64()
}

fn row(
    engine: &str,
    tenants: usize,
    s: &Stats,
    build: Duration,
    update: Option<Duration>,
    rss: f64,
    tput: Option<f64>,
) {
    println!(
        "| {engine} | {tenants} | {:.0} | {:.0} | {:.0} | {:.2} | {} | {:.2} | {} | {:.1} | {} |",
        s.median,
        s.p99,
        s.mean,
        s.allocs,
        s.samples,
        build.as_secs_f64() * 1e3,
        update.map_or("—".to_owned(), |u| format!(
            "{:.1}",
            u.as_secs_f64() * 1e6
        )),
        rss,
        tput.map_or("—".to_owned(), |t| format!("{:.2}", t / 1e6)),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let tenants: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let engines = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "tenant-kit,cedar-tenant,cedar-shared,casbin".to_owned());
    let overhead = timer_overhead();
    eprintln!("tenants {tenants}, timer overhead {overhead:.0} ns (subtracted)");

    let asks = requests(tenants);
    let docs = tenant_kit_documents(tenants);

    // tenant-kit: the reference answer for everyone else.
    let rss0 = rss_mib();
    let start = Instant::now();
    let set = tenant_policy::authz::PolicySet::compile(&docs).unwrap_or_else(|e| panic!("{e}"));
    let build = start.elapsed();
    let rss_tk = rss_mib() - rss0;
    let reqs: Vec<_> = asks.iter().map(Ask::request).collect();
    let truth: Vec<bool> = reqs.iter().map(|r| set.authorize(r).is_allowed()).collect();
    for (i, a) in asks.iter().enumerate() {
        assert_eq!(
            truth[i],
            a.class.expected(),
            "tenant-kit disagrees with the workload's class on {a:?}: {}",
            set.authorize(&reqs[i])
                .explain(&set)
                .map_or_else(|e| e.to_string(), |e| e.to_string())
        );
    }
    eprintln!(
        "tenant-kit agrees with the workload's classes on all {} requests",
        asks.len()
    );

    println!(
        "| engine | tenants | median ns | p99 ns | mean ns | allocs/decision | samples | build ms | one-tenant update µs | RSS MiB | 2-thread Mdecisions/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");

    if engines.contains("tenant-kit") {
        let mut changed = docs[0].clone();
        changed.access_control.bindings.pop();
        let mut updates: Vec<Duration> = (0..51)
            .map(|_| {
                let t = Instant::now();
                black_box(set.with_tenant(&changed).unwrap_or_else(|e| panic!("{e}")));
                t.elapsed()
            })
            .collect();
        updates.sort();
        let decide = |i: usize| set.authorize(&reqs[i]).is_allowed();
        let s = measure(reqs.len(), 20, overhead, &decide);
        let tput = throughput(reqs.len(), &decide);
        row(
            "tenant-kit",
            tenants,
            &s,
            build,
            Some(updates[25]),
            rss_tk,
            Some(tput),
        );
    }

    if engines.contains("cedar-tenant") {
        let authorizer = cedar_policy::Authorizer::new();
        let creqs: Vec<_> = asks.iter().map(cedar_request).collect();
        let rss0 = rss_mib();
        let start = Instant::now();
        let stores: Vec<(cedar_policy::PolicySet, cedar_policy::Entities)> = (0..tenants)
            .map(|i| (cedar_policies(), cedar_tenant_entities(i, tenants)))
            .collect();
        let build = start.elapsed();
        let rss = rss_mib() - rss0;
        let t = Instant::now();
        black_box((cedar_policies(), cedar_tenant_entities(0, tenants)));
        let update = t.elapsed();
        let decide = |i: usize| {
            let (p, e) = &stores[asks[i].tenant];
            authorizer.is_authorized(&creqs[i], p, e).decision() == cedar_policy::Decision::Allow
        };
        check("cedar-tenant", &asks, &truth, asks.len(), &decide);
        let s = measure(asks.len(), 3, overhead, &decide);
        let tput = throughput(asks.len(), &decide);
        row(
            "cedar (set per tenant)",
            tenants,
            &s,
            build,
            Some(update),
            rss,
            Some(tput),
        );
    }

    if engines.contains("cedar-shared") {
        let authorizer = cedar_policy::Authorizer::new();
        let creqs: Vec<_> = asks.iter().map(cedar_request).collect();
        let rss0 = rss_mib();
        let start = Instant::now();
        let policies = cedar_policies();
        let entities = cedar_shared_entities(tenants);
        let build = start.elapsed();
        let rss = rss_mib() - rss0;
        let decide = |i: usize| {
            authorizer
                .is_authorized(&creqs[i], &policies, &entities)
                .decision()
                == cedar_policy::Decision::Allow
        };
        check("cedar-shared", &asks, &truth, asks.len(), &decide);
        let s = measure(asks.len(), 3, overhead, &decide);
        let tput = throughput(asks.len(), &decide);
        row(
            "cedar (one shared set)",
            tenants,
            &s,
            build,
            None,
            rss,
            Some(tput),
        );
    }

    if engines.contains("casbin") {
        use casbin::CoreApi;
        let creqs: Vec<_> = asks.iter().map(casbin_request).collect();
        let rss0 = rss_mib();
        let start = Instant::now();
        let enforcer = casbin_enforcer(tenants);
        let build = start.elapsed();
        let rss = rss_mib() - rss0;
        let decide = |i: usize| {
            enforcer
                .enforce(creqs[i].clone())
                .unwrap_or_else(|e| panic!("{e}"))
        };
        // casbin scans every policy line per decision: keep each pass near ten seconds.
        let probe = Instant::now();
        for i in 0..20 {
            black_box(decide(i));
        }
        let per = probe.elapsed().as_secs_f64() / 20.0;
        let n = ((10.0 / per) as usize).clamp(200, asks.len());
        check("casbin", &asks, &truth, n, &decide);
        let s = measure(n, 1, overhead, &decide);
        row(
            "casbin (RBAC with domains)",
            tenants,
            &s,
            build,
            None,
            rss,
            None,
        );
    }
}

fn check(engine: &str, asks: &[Ask], truth: &[bool], n: usize, decide: &dyn Fn(usize) -> bool) {
    for i in 0..n {
        let got = decide(i);
        assert_eq!(
            got, truth[i],
            "{engine} disagrees with tenant-kit on request {i}: {:?}",
            asks[i]
        );
    }
    eprintln!("{engine} agrees with tenant-kit on {n} requests");
}

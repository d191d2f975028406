//! What both timing harnesses share: a counting allocator, timed passes
//! with median, p99 and mean, two-thread throughput, resident memory and the
//! table row.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Counts allocations, so that "allocations per decision" is measured, not assumed.
pub struct Counting;

pub static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

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

pub fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

pub struct Stats {
    pub median: f64,
    pub p99: f64,
    pub mean: f64,
    pub allocs: f64,
    pub samples: usize,
}

/// Timer overhead: the median of an empty `Instant` pair.
pub fn timer_overhead() -> f64 {
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

pub fn measure(n: usize, rounds: usize, overhead: f64, decide: &dyn Fn(usize) -> bool) -> Stats {
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

pub fn throughput(n: usize, decide: &(dyn Fn(usize) -> bool + Sync)) -> f64 {
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

pub fn row(
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

/// Checks `decide` against `truth` on the first `n` requests, request by
/// request, and stops with the first request that differs.
pub fn check_against(
    engine: &str,
    reference: &str,
    asks: &[impl std::fmt::Debug],
    truth: &[bool],
    n: usize,
    decide: &dyn Fn(usize) -> bool,
) {
    for i in 0..n {
        let got = decide(i);
        assert_eq!(
            got, truth[i],
            "{engine} disagrees with {reference} on request {i}: {:?}",
            asks[i]
        );
    }
    eprintln!("{engine} agrees with {reference} on {n} requests");
}

/// What one dependent load from memory costs on this machine: a pointer
/// chase through `bytes` of 64-byte lines linked in one random cycle (the
/// lines in shuffled order, each pointing to the next), so every load depends on the one before and
/// neither the prefetcher nor the caches can help once `bytes` is far
/// beyond the last-level cache. Ordinary 4 KiB pages, as the evaluator's
/// own tables get: a load may also pay a page walk. Returns nanoseconds per
/// load: the median over chunks of 256 loads of `rounds` chases of `steps`
/// loads each.
pub fn pointer_chase_ns(bytes: usize, steps: usize, rounds: usize) -> f64 {
    const LINE: usize = 8; // u64 words per 64-byte line
    let lines = (bytes / 64).max(2);
    let mut order: Vec<u32> = (0..lines as u32).collect();
    let mut state = 0x5eed_c4a5_e000_0001u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in (1..lines).rev() {
        let j = (next() % i as u64) as usize;
        order.swap(i, j);
    }
    // Each line of the shuffled order points to the next, the last to the first.
    let mut buffer = vec![0u64; lines * LINE];
    for k in 0..lines {
        let from = order[k] as usize;
        let to = order[(k + 1) % lines] as usize;
        buffer[from * LINE] = (to * LINE) as u64;
    }
    drop(order);
    let mut at = 0usize;
    // Warm the page tables and the TLB's share once.
    for _ in 0..lines.min(steps) {
        at = buffer[at] as usize;
    }
    // Timed in chunks of 256 loads, and the median chunk taken, so that the
    // time the process spends descheduled on a shared machine (which the
    // decision timings' median also leaves out) does not count.
    const CHUNK: usize = 256;
    let mut results: Vec<f64> = Vec::with_capacity(rounds * steps / CHUNK);
    for _ in 0..rounds {
        for _ in 0..steps / CHUNK {
            let start = Instant::now();
            for _ in 0..CHUNK {
                at = black_box(buffer[at]) as usize;
            }
            results.push(start.elapsed().as_nanos() as f64 / CHUNK as f64);
        }
    }
    black_box(at);
    results.sort_by(f64::total_cmp);
    results[results.len() / 2]
}

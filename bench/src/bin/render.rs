//! Render throughput: `tenant_render::render` of the prometheus, mimir and
//! kubernetes targets (or `--all` targets, or `--only a,b`) for N generated
//! tenants (5 alerting rules, 2 recording rules and 2 SLOs each).
//!
//! `render N [--all | --only T,..] [--runs R] [--dump FILE] [--out DIR]
//! [--route-tree auto|flat|sharded] [--no-heap] [--verifiers]`:
//! builds N tenants from the acme-music example (slugs `t00000-acme`, ...),
//! renders them (best of R runs, default 3, after one warm-up; then one
//! more run, untimed, with the allocations counted, unless `--no-heap`),
//! and prints
//! one line of JSON: tenants, files, bytes, seconds, peak heap bytes and
//! peak RSS (VmHWM). `--dump` writes the tenants as JSON for the Python
//! baseline (bench/render/pyyaml_render.py), which renders the same files;
//! `--out` writes the last bundle's files under DIR (for
//! bench/alerting/scale.sh); `--route-tree` sets the platform's
//! `monitoring.alertmanager_route_tree` (the shared tree's layout);
//! `--verifiers` gives every PostgreSQL password as a SCRAM-SHA-256
//! verifier, so the PostgreSQL target computes no PBKDF2.

#[cfg(not(feature = "mimalloc"))]
use std::alloc::System;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

use tenant_model::{Format, PlatformConfig, Tenant, parse};
use tenant_render::{FakeSecrets, Options, SecretResolver, Target, render};

struct Counting;
/// Whether allocations are counted: only in one extra run after the timed
/// ones. Counting on every allocation of the timed runs made both threads
/// update the same two atomics, and that cache line going back and forth
/// between the cores was ~40 % of a two-thread render's profile (the
/// `lock xadd` in `alloc`), time tenantctl does not spend.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since counting began (negative when
/// the run frees what was allocated before).
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let bytes = bytes as isize;
        let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

/// The allocator under the counting: the system's, or with the `mimalloc`
/// feature the one tenantctl links.
#[cfg(not(feature = "mimalloc"))]
static BASE: System = System;
#[cfg(feature = "mimalloc")]
static BASE: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: forwards to the base allocator and only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { BASE.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { BASE.dealloc(ptr, layout) };
        shrank(layout.size());
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { BASE.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    // The base allocator's own realloc (growing in place where it can), not
    // the default allocate-copy-free, which made every growing `String` and
    // `Vec` of the render copy itself in this harness only.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { BASE.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// `--verifiers`: every PostgreSQL password is given as a SCRAM-SHA-256
/// verifier (the same well-formed one; the render only checks its form),
/// the other secrets as [`FakeSecrets`] gives them.
struct Verifiers;

impl SecretResolver for Verifiers {
    fn resolve(&self, secret: &tenant_model::Secret) -> Result<secrecy::SecretString, String> {
        match secret {
            tenant_model::Secret::Env(name) if name.ends_with("_PG_PASSWORD") => Ok(
                "SCRAM-SHA-256$4096:CQkJCQkJCQkJCQkJCQkJCQ==$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="
                    .into(),
            ),
            _ => FakeSecrets.resolve(secret),
        }
    }
}

fn tenants(n: usize) -> Vec<Tenant> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let text = std::fs::read_to_string(format!("{root}/examples/tenants/acme-music.yaml")).unwrap();
    let base: Tenant = parse(&text, Format::Yaml).unwrap();
    let m = &base.monitoring;
    let mut alerts = m.alert_rules.clone();
    for (i, expr) in [
        "sum(rate(http_requests_total{code=~\"4..\"}[5m])) > 100",
        "histogram_quantile(0.99, sum by (le) (rate(generation_duration_seconds_bucket[5m]))) > 20",
        "absent(up{job=\"api\"})",
    ]
    .iter()
    .enumerate()
    {
        let mut r = m.alert_rules[0].clone();
        r.alert = tenant_model::AlertName::new(format!("Generated{i}")).unwrap();
        r.expr = (*expr).to_owned();
        alerts.push(r);
    }
    let mut records = m.recording_rules.clone();
    let mut r = records[0].clone();
    r.record = tenant_model::MetricName::new("tenant:generation:rate5m".to_owned()).unwrap();
    r.expr = "sum(rate(generation_duration_seconds_count[5m]))".to_owned();
    records.push(r);
    assert_eq!((alerts.len(), records.len(), m.slos.len()), (5, 2, 2));
    // Every per-tenant name (database schema and role, cache prefix and
    // ACL user, display name: the set rules refuse duplicates) made unique
    // the way an operator would: by replacing `acme-music` in the document.
    // (Secrets serialize as `<redacted>`, so the example's text is edited,
    // not a serialization of it.)
    (0..n)
        .map(|i| {
            let slug = format!("t{i:05}-acme");
            let text = text
                .replace("acme-music", &slug)
                .replace("acme_music", &slug.replace('-', "_"))
                .replace("Acme Music", &format!("Acme Music {i}"));
            let mut t: Tenant = parse(&text, Format::Yaml).unwrap();
            t.id =
                tenant_model::TenantId::new(format!("00000000-0000-4000-8000-{i:012x}")).unwrap();
            t.monitoring.alert_rules = alerts.clone();
            t.monitoring.recording_rules = records.clone();
            t
        })
        .collect()
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let tenants = tenants(n);
    let mut platform = PlatformConfig::default();
    if let Some(i) = args.iter().position(|a| a == "--route-tree") {
        platform.monitoring.alertmanager_route_tree =
            serde_json::from_value(serde_json::Value::String(args[i + 1].clone())).unwrap();
    }
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let json = serde_json::to_string(&tenants).unwrap();
        std::fs::write(&args[i + 1], json).unwrap();
    }
    let targets: Vec<Target> = match args.iter().position(|a| a == "--only") {
        Some(i) => args[i + 1]
            .split(',')
            .map(|t| Target::from_name(t).unwrap())
            .collect(),
        None if args.iter().any(|a| a == "--all") => Target::ALL.to_vec(),
        None => vec![Target::Prometheus, Target::Mimir, Target::Kubernetes],
    };
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args[i + 1].parse().unwrap(),
        None => 3,
    };
    let out = args
        .iter()
        .position(|a| a == "--out")
        .map(|i| std::path::PathBuf::from(&args[i + 1]));
    let resolver: &dyn SecretResolver = if args.iter().any(|a| a == "--verifiers") {
        &Verifiers
    } else {
        &FakeSecrets
    };
    let options = Options::new(resolver).with_targets(targets);
    let mut best = f64::INFINITY;
    let mut files = 0;
    let mut bytes = 0;
    for run in 0..=runs {
        let start = Instant::now();
        let bundle = render(&tenants, &platform, &options).unwrap();
        let secs = start.elapsed().as_secs_f64();
        files = bundle.len();
        bytes = bundle
            .iter()
            .map(|(_, f)| f.contents().len())
            .sum::<usize>();
        if run == runs
            && let Some(dir) = &out
        {
            for (path, file) in bundle.iter() {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, file.contents()).unwrap();
            }
        }
        drop(bundle);
        if run > 0 {
            best = best.min(secs);
        }
    }
    // The peak heap in one more run, not timed (see `COUNTING`); skipped
    // with `--no-heap` (for profiles of the timed runs alone).
    let mut peak = "null".to_owned();
    if !args.iter().any(|a| a == "--no-heap") {
        CURRENT.store(0, Ordering::Relaxed);
        PEAK.store(0, Ordering::Relaxed);
        COUNTING.store(true, Ordering::SeqCst);
        drop(render(&tenants, &platform, &options).unwrap());
        COUNTING.store(false, Ordering::SeqCst);
        peak = PEAK.load(Ordering::Relaxed).to_string();
    }
    println!(
        "{{\"impl\": \"tenant-render\", \"tenants\": {n}, \"files\": {files}, \"bytes\": {bytes}, \"seconds\": {best:.4}, \"peak_heap_bytes\": {peak}, \"vm_hwm_kib\": {}}}",
        vm_hwm_kib()
    );
}

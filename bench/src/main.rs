//! Timing harness: agreement check, then median and p99 nanoseconds per
//! decision, allocations per decision, build and update times, resident
//! memory and two-thread throughput, for one tenant count per run.
//!
//! `cargo run --release -- <tenants> [engines]`, engines a comma list of
//! `tenant-kit`, `cedar-tenant`, `cedar-shared`, `casbin` (default: all).

use std::hint::black_box;
use std::time::{Duration, Instant};

use tenant_kit_bench::harness::*;
use tenant_kit_bench::*;

#[global_allocator]
static GLOBAL: Counting = Counting;

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
        check_against(
            "cedar-tenant",
            "tenant-kit",
            &asks,
            &truth,
            asks.len(),
            &decide,
        );
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
        check_against(
            "cedar-shared",
            "tenant-kit",
            &asks,
            &truth,
            asks.len(),
            &decide,
        );
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
        check_against("casbin", "tenant-kit", &asks, &truth, n, &decide);
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

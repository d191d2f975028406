//! divan benchmarks of one decision per iteration, cycling through the
//! workload's 10 000 requests, with divan's allocation profiler.
//!
//! `cargo bench --bench decision`. The p99 numbers come from the timing
//! harness (`src/main.rs`): divan reports fastest, slowest, median and mean.

use std::cell::Cell;

use divan::{AllocProfiler, Bencher, black_box};
use tenant_kit_bench::*;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

fn cycle(n: usize) -> impl FnMut() -> usize {
    let next = Cell::new(0usize);
    move || {
        let i = next.get();
        next.set((i + 1) % n);
        i
    }
}

#[divan::bench(args = [1, 100, 10_000], sample_count = 1000, sample_size = 1000)]
fn tenant_kit(bencher: Bencher, tenants: usize) {
    let asks = requests(tenants);
    let docs = tenant_kit_documents(tenants);
    let set = tenant_policy::authz::PolicySet::compile(&docs).unwrap_or_else(|e| panic!("{e}"));
    let reqs: Vec<_> = asks.iter().map(Ask::request).collect();
    let mut next = cycle(reqs.len());
    bencher.bench_local(|| black_box(set.authorize(black_box(&reqs[next()]))));
}

#[divan::bench(args = [1, 100, 10_000], sample_count = 10)]
fn tenant_kit_compile(bencher: Bencher, tenants: usize) {
    let docs = tenant_kit_documents(tenants);
    bencher.bench_local(|| tenant_policy::authz::PolicySet::compile(black_box(&docs)));
}

#[divan::bench(args = [1, 10_000], sample_count = 50)]
fn tenant_kit_update_one_tenant(bencher: Bencher, tenants: usize) {
    let docs = tenant_kit_documents(tenants);
    let set = tenant_policy::authz::PolicySet::compile(&docs).unwrap_or_else(|e| panic!("{e}"));
    let mut changed = docs[0].clone();
    changed.access_control.bindings.pop();
    bencher.bench_local(|| set.with_tenant(black_box(&changed)));
}

#[divan::bench(args = [1, 100], sample_count = 20)]
fn cedar_set_per_tenant(bencher: Bencher, tenants: usize) {
    let asks = requests(tenants);
    let authorizer = cedar_policy::Authorizer::new();
    let creqs: Vec<_> = asks.iter().map(cedar_request).collect();
    let stores: Vec<_> = (0..tenants)
        .map(|i| (cedar_policies(), cedar_tenant_entities(i, tenants)))
        .collect();
    let mut next = cycle(asks.len());
    bencher.bench_local(|| {
        let i = next();
        let (p, e) = &stores[asks[i].tenant];
        black_box(authorizer.is_authorized(&creqs[i], p, e))
    });
}

#[divan::bench(args = [1, 100], sample_count = 20)]
fn cedar_shared_set(bencher: Bencher, tenants: usize) {
    let asks = requests(tenants);
    let authorizer = cedar_policy::Authorizer::new();
    let creqs: Vec<_> = asks.iter().map(cedar_request).collect();
    let policies = cedar_policies();
    let entities = cedar_shared_entities(tenants);
    let mut next = cycle(asks.len());
    bencher
        .bench_local(|| black_box(authorizer.is_authorized(&creqs[next()], &policies, &entities)));
}

#[divan::bench(args = [1, 10], sample_count = 20)]
fn casbin_rbac_with_domains(bencher: Bencher, tenants: usize) {
    use casbin::CoreApi;
    let asks = requests(tenants);
    let creqs: Vec<_> = asks.iter().map(casbin_request).collect();
    let enforcer = casbin_enforcer(tenants);
    let mut next = cycle(asks.len());
    bencher.bench_local(|| black_box(enforcer.enforce(creqs[next()].clone())));
}

//! divan benchmarks of the realistic workload (`src/realistic.rs`): one
//! decision per iteration, cycling through its 10 000 requests, with divan's
//! allocation profiler.
//!
//! `cargo bench --bench realistic`. The DRAM comparison and p99 come from
//! the timing harness (`src/bin/realistic.rs`).

use std::cell::Cell;

use divan::{AllocProfiler, Bencher, black_box};
use tenant_kit_bench::realistic::*;

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
    let shapes = shapes(tenants);
    let asks = requests(&shapes);
    let docs = tenant_kit_documents(&shapes);
    let set = tenant_policy::authz::PolicySet::compile(&docs).unwrap_or_else(|e| panic!("{e}"));
    let reqs: Vec<_> = asks.iter().map(Ask::request).collect();
    let mut next = cycle(reqs.len());
    bencher.bench_local(|| black_box(set.authorize(black_box(&reqs[next()]))));
}

#[divan::bench(args = [1, 100, 10_000], sample_count = 10)]
fn tenant_kit_compile(bencher: Bencher, tenants: usize) {
    let docs = tenant_kit_documents(&shapes(tenants));
    bencher.bench_local(|| tenant_policy::authz::PolicySet::compile(black_box(&docs)));
}

#[divan::bench(args = [1, 100], sample_count = 20)]
fn cedar_set_per_tenant(bencher: Bencher, tenants: usize) {
    let shapes = shapes(tenants);
    let asks = requests(&shapes);
    let authorizer = cedar_policy::Authorizer::new();
    let creqs: Vec<_> = asks.iter().map(cedar_request).collect();
    let stores: Vec<_> = shapes
        .iter()
        .map(|s| (cedar_policies(s), cedar_entities(s)))
        .collect();
    let mut next = cycle(asks.len());
    bencher.bench_local(|| {
        let i = next();
        let (p, e) = &stores[asks[i].tenant];
        black_box(authorizer.is_authorized(&creqs[i], p, e))
    });
}

#[divan::bench(args = [1, 10], sample_count = 20)]
fn casbin_rbac_with_domains(bencher: Bencher, tenants: usize) {
    use casbin::CoreApi;
    let shapes = shapes(tenants);
    let asks = requests(&shapes);
    let creqs: Vec<_> = asks.iter().map(casbin_request).collect();
    let enforcer = casbin_enforcer(&shapes);
    let mut next = cycle(asks.len());
    bencher.bench_local(|| black_box(enforcer.enforce(creqs[next()].clone())));
}

//! The integration tests of tenant-policy, in one binary (one link, one run).

// Helpers outside `#[test]` functions are test code too: a failing test
// should fail loudly, so they may unwrap and index like the tests themselves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

mod policy;

// Isolation, quotas, compliance and audit trail: one module per area in `tests/`.
#[path = "tests/audit.rs"]
mod audit;
#[path = "tests/compliance.rs"]
mod compliance;
#[path = "tests/isolation.rs"]
mod isolation;
#[path = "tests/quota.rs"]
mod quota;
#[path = "tests/sample.rs"]
mod sample;

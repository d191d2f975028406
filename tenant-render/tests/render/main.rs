//! Integration tests of tenant-render: the example tenants and the hostile
//! corpus through every renderer. One test binary, one module per target.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod alertmanager;
mod bundle;
mod corpus;
mod grafana;
mod isolation;
mod prometheus;

//! `tenantctl`.
fn main() {}

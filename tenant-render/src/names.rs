//! Stable names shared by the renderers: dashboard uids and links, rule
//! group names, secret file paths. Several targets refer to one another by
//! these (an alert's `dashboard_url` names the dashboard the Grafana
//! renderer writes), so they are defined once, here.

use sha2::{Digest, Sha256};
use tenant_model::Tenant;

/// The Grafana uid of a tenant's dashboard: `tk-` and the first 24 hex
/// digits of SHA-256 over the tenant's id, a NUL byte and the dashboard's
/// name. It depends on nothing a tenant renames (slug, title), fits
/// Grafana's 40-character limit, and survives re-renders, so links to it
/// keep working.
pub fn dashboard_uid(tenant: &Tenant, dashboard: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(tenant.id.as_str().as_bytes());
    hash.update([0]);
    hash.update(dashboard.as_bytes());
    let digest = hex::encode(hash.finalize());
    format!("tk-{}", digest.get(..24).unwrap_or(&digest))
}

/// The name of the dashboard generated for every tenant when dashboards are
/// `auto`, and the one alerts link to when the tenant has none of its own.
pub const OVERVIEW_DASHBOARD: &str = "overview";

/// The name of the generated SLO dashboard.
pub const SLO_DASHBOARD: &str = "slo";

/// The path of a dashboard in Grafana, relative to Grafana's root URL:
/// `/d/<uid>/<slug>-<name>` (the trailing part is cosmetic; Grafana
/// resolves the uid).
pub fn dashboard_path(tenant: &Tenant, dashboard: &str) -> String {
    format!(
        "/d/{}/{}-{}",
        dashboard_uid(tenant, dashboard),
        tenant.slug.as_str(),
        dashboard
    )
}

/// The Kubernetes namespace of a tenant: its slug.
pub fn namespace(t: &Tenant) -> String {
    t.slug.as_str().to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn uids_are_stable_distinct_and_fit_grafana() {
        let yaml = include_str!("../../examples/tenants/acme-music.yaml");
        let tenant: Tenant = tenant_model::parse(yaml, tenant_model::Format::Yaml).unwrap();
        let a = dashboard_uid(&tenant, "overview");
        assert_eq!(a, dashboard_uid(&tenant, "overview"));
        assert_ne!(a, dashboard_uid(&tenant, "slo"));
        assert!(a.len() <= 40);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        let mut renamed = tenant.clone();
        renamed.slug = tenant_model::Slug::new("other-name".to_owned()).unwrap();
        assert_eq!(dashboard_uid(&renamed, "overview"), a);
    }
}

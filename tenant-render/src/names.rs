//! Stable names shared by the renderers: dashboard uids and links, rule
//! group names, secret file paths. Several targets refer to one another by
//! these (an alert's `dashboard_url` names the dashboard the Grafana
//! renderer writes), so they are defined once, here.
//!
//! # Prometheus rule and label names
//!
//! | name | what |
//! | --- | --- |
//! | group `<slug>-alerts`, `<slug>-records`, `<slug>-slo-<slo>` | [`rule_group`]; `-2`, `-3`, ... when split at `rules_per_group` |
//! | label `<tenant_label>` (platform, default `tenant`) | the slug, on every rule's output; every selector matches it exactly |
//! | label `severity` | on every alert: the rule's severity; `critical` for SLO pages, `warning` for tickets |
//! | label `slo` ([`SLO_LABEL`]) | the SLO's name, on every SLO recording and alert |
//! | `slo:sli_error:ratio_rate<w>` ([`slo_error_ratio`]) | error ÷ total over w ∈ [`SLO_WINDOWS`] (5m, 30m, 1h, 2h, 6h, 1d, 3d) |
//! | `slo:sli_error:ratio_period` ([`SLO_ERROR_RATIO_PERIOD`]) | the same over the SLO's period |
//! | `slo:objective:ratio` ([`SLO_OBJECTIVE`]) | the objective (`0.999`) |
//! | `slo:error_budget:ratio` ([`SLO_ERROR_BUDGET`]) | 1 − objective |
//! | `slo:current_burn_rate:ratio` ([`SLO_CURRENT_BURN_RATE`]) | 5m error ratio ÷ budget |
//! | `slo:period_burn_rate:ratio` ([`SLO_PERIOD_BURN_RATE`]) | period error ratio ÷ budget |
//! | `slo:period_error_budget_remaining:ratio` ([`SLO_BUDGET_REMAINING`]) | 1 − period burn rate |
//! | alert `SloErrorBudgetBurnPage` ([`SLO_PAGE_ALERT`]) | 1h and 5m above 0.02·period/1h × budget, or 6h and 30m above 0.05·period/6h × budget |
//! | alert `SloErrorBudgetBurnTicket` ([`SLO_TICKET_ALERT`]) | 1d and 2h above 0.10·period/1d × budget, or 3d and 6h above 0.10·period/3d × budget |
//!
//! Alerts carry the annotations `summary`, `description` (when the tenant
//! wrote one), `runbook_url` (when written) and `dashboard_url`
//! ([`dashboard_path`], relative to Grafana's root URL: the tenant's first
//! dashboard, else [`OVERVIEW_DASHBOARD`]; SLO alerts link to
//! [`SLO_DASHBOARD`]). Tenant text in alert labels and annotations is quoted
//! for Go templates (`{{` → `{{ "{{" }}`), so Prometheus shows it as written.

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

/// The name of the generated dashboard of quota use against the tenant's
/// effective limits.
pub const QUOTAS_DASHBOARD: &str = "quotas";

/// Where Grafana reads the dashboard files from: the provisioning file's
/// provider of a tenant reads `<root>/<slug>`, so deploy
/// `grafana/dashboards/` of the bundle to this directory.
pub const GRAFANA_DASHBOARDS_ROOT: &str = "/var/lib/grafana/dashboards";

/// The uid of a tenant's Mimir data source in Grafana: `tkds-` and the
/// first 24 hex digits of SHA-256 over the tenant's id and `mimir`, stable
/// across renames like [`dashboard_uid`].
pub fn mimir_datasource_uid(tenant: &Tenant) -> String {
    let mut hash = Sha256::new();
    hash.update(tenant.id.as_str().as_bytes());
    hash.update([0]);
    hash.update(b"datasource:mimir");
    let digest = hex::encode(hash.finalize());
    format!("tkds-{}", digest.get(..24).unwrap_or(&digest))
}

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

/// The namespace of a tenant in Kubernetes: its slug (slugs are valid
/// DNS-1123 labels). The `PrometheusRule` and the isolation manifests both
/// use it.
pub fn namespace(tenant: &Tenant) -> &str {
    tenant.slug.as_str()
}

/// The label that carries an SLO's name on every SLO recording and alert.
pub const SLO_LABEL: &str = "slo";

/// The windows whose error ratio is recorded for every SLO, shortest first
/// (the multiwindow, multi-burn-rate alerts read them). The SLO's period
/// is recorded too, as [`SLO_ERROR_RATIO_PERIOD`].
pub const SLO_WINDOWS: [&str; 7] = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

/// The recording of an SLO's error ratio (bad events / all events) over
/// `window` (one of [`SLO_WINDOWS`]): `slo:sli_error:ratio_rate<window>`,
/// e.g. `slo:sli_error:ratio_rate5m`, labelled with the tenant label and
/// [`SLO_LABEL`].
pub fn slo_error_ratio(window: &str) -> String {
    format!("slo:sli_error:ratio_rate{window}")
}

/// The recording of an SLO's error ratio over its whole period (e.g. 30d).
pub const SLO_ERROR_RATIO_PERIOD: &str = "slo:sli_error:ratio_period";

/// The recording of an SLO's objective as a ratio (`99.9` → `0.999`).
pub const SLO_OBJECTIVE: &str = "slo:objective:ratio";

/// The recording of an SLO's error budget as a ratio (`1 - objective`).
pub const SLO_ERROR_BUDGET: &str = "slo:error_budget:ratio";

/// The recording of the current burn rate: the 5m error ratio divided by
/// the error budget (1 = the budget lasts exactly the period).
pub const SLO_CURRENT_BURN_RATE: &str = "slo:current_burn_rate:ratio";

/// The recording of the burn rate over the whole period.
pub const SLO_PERIOD_BURN_RATE: &str = "slo:period_burn_rate:ratio";

/// The recording of the error budget left over the period
/// (`1 - period burn rate`; negative once overspent).
pub const SLO_BUDGET_REMAINING: &str = "slo:period_error_budget_remaining:ratio";

/// The page alert of an SLO (fast burn: 1h/5m and 6h/30m), severity
/// `critical`.
pub const SLO_PAGE_ALERT: &str = "SloErrorBudgetBurnPage";

/// The ticket alert of an SLO (slow burn: 1d/2h and 3d/6h), severity
/// `warning`.
pub const SLO_TICKET_ALERT: &str = "SloErrorBudgetBurnTicket";

/// The name of a rule group of a tenant: `<slug>-<kind>` for the first
/// group of that kind and `<slug>-<kind>-<n>` (n from 2) for the further
/// groups a kind is split into when it has more rules than the tenant's
/// `rules_per_group`. Kinds: `alerts`, `records`, `slo-<slo name>`.
pub fn rule_group(tenant: &Tenant, kind: &str, part: usize) -> String {
    if part <= 1 {
        format!("{}-{kind}", tenant.slug.as_str())
    } else {
        format!("{}-{kind}-{part}", tenant.slug.as_str())
    }
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

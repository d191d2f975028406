//! Mimir: `mimir/runtime.yml`, the per-tenant limits (`overrides:` keyed by
//! the slug, which is the tenant's org id in Mimir), and
//! `mimir/rules/<slug>.yml`, each tenant's rule namespace in the format
//! `mimirtool rules load` reads (`namespace: <slug>`, `groups: [...]`).
//!
//! The limits are the tenant's effective quotas (its tier's preset with
//! its overrides): `ingestion_rate` (samples per second),
//! `ingestion_burst_size`, `max_global_series_per_user`,
//! `ruler_max_rules_per_rule_group` and `ruler_max_rule_groups_per_tenant`.
//! They are written for every tenant, whatever the monitoring switches say:
//! they bound ingestion, not rules.
//!
//! The rule namespace holds the same groups as the tenant's Prometheus rule
//! files (alerting and recording rules, then the SLO rules), but without
//! the tenant matchers: in Mimir the tenant is the org id, and a tenant's
//! rules only ever read that tenant's series. The rules keep the tenant
//! label on what they produce. It is written when the Prometheus rule files
//! are (see the `prometheus` module's switches).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::prometheus::{Unlocked, report, tenant_rules};
use crate::{Bundle, Context, Problems, internal};

#[derive(Serialize)]
struct Runtime {
    overrides: BTreeMap<String, Limits>,
}

#[derive(Serialize)]
struct Limits {
    ingestion_rate: u64,
    ingestion_burst_size: u64,
    max_global_series_per_user: u64,
    ruler_max_rules_per_rule_group: u32,
    ruler_max_rule_groups_per_tenant: u32,
}

#[derive(Serialize)]
struct Namespace<'a> {
    namespace: String,
    groups: Vec<Unlocked<'a>>,
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    let mut overrides = BTreeMap::new();
    for tenant in cx.tenants {
        let m = cx.limits(tenant).metrics;
        overrides.insert(
            tenant.slug.as_str().to_owned(),
            Limits {
                ingestion_rate: m.ingestion_rate,
                ingestion_burst_size: m.ingestion_burst,
                max_global_series_per_user: m.max_series,
                ruler_max_rules_per_rule_group: m.rules_per_group,
                ruler_max_rule_groups_per_tenant: m.max_rule_groups,
            },
        );
    }
    // Each tenant's rule namespace on every core, in the tenants' order.
    crate::per_tenant(
        cx.tenants,
        bundle,
        problems,
        |tenant, bundle, problems| match tenant_rules(cx, tenant) {
            Ok(Some(rules)) => {
                let groups = rules.unlocked_groups();
                if groups.is_empty() {
                    return;
                }
                let ns = Namespace {
                    namespace: tenant.slug.as_str().to_owned(),
                    groups,
                };
                match crate::escape::yaml::to_string(&ns) {
                    Ok(text) => {
                        if let Err(e) =
                            bundle.insert(format!("mimir/rules/{}.yml", tenant.slug.as_str()), text)
                        {
                            internal(problems, e);
                        }
                    }
                    Err(e) => internal(problems, e),
                }
            }
            Ok(None) => {}
            Err(list) => report(problems, tenant, list),
        },
    );
    match crate::escape::yaml::to_string(&Runtime { overrides }) {
        Ok(text) => {
            if let Err(e) = bundle.insert("mimir/runtime.yml", text) {
                internal(problems, e);
            }
        }
        Err(e) => internal(problems, e),
    }
}

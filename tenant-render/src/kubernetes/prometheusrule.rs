//! Kubernetes: each tenant's Prometheus Operator `PrometheusRule`
//! (`kubernetes/<slug>/prometheusrule.yml`, `monitoring.coreos.com/v1`) in
//! the tenant's namespace ([`crate::names::namespace`]), holding the same
//! tenant-locked groups as its Prometheus rule files (alerting and
//! recording rules, then the SLO rules). It is written when those files
//! are (see the `prometheus` module's switches); the resource is named
//! `<slug>-rules` and labelled with the tenant label.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::prometheus::{report, tenant_rules};
use crate::{Bundle, Context, Problems, internal, names};

/// The resource but its `spec`, which follows it: `spec: {groups: ...}`
/// is the rule files' group lines, two columns in
/// ([`crate::prometheus::TenantRules::all_items`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PrometheusRule {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, String>,
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    crate::per_tenant(cx.tenants, bundle, problems, |tenant, bundle, problems| {
        let rules = match tenant_rules(cx, tenant) {
            Ok(Some(rules)) => rules,
            Ok(None) => return,
            Err(list) => {
                report(problems, tenant, list);
                return;
            }
        };
        if rules.all_groups().next().is_none() {
            return;
        }
        let slug = tenant.slug.as_str();
        let mut labels = BTreeMap::new();
        labels.insert(cx.tenant_label().to_owned(), slug.to_owned());
        let resource = PrometheusRule {
            api_version: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: Metadata {
                name: format!("{slug}-rules"),
                namespace: names::namespace(tenant).to_owned(),
                labels,
            },
        };
        let text = crate::escape::yaml::to_string(&resource).and_then(|mut text| {
            text.push_str("spec:\n  groups:\n");
            text.push_str(&rules.all_items("  ")?);
            Ok(text)
        });
        match text {
            Ok(text) => {
                if let Err(e) = bundle.insert(format!("kubernetes/{slug}/prometheusrule.yml"), text)
                {
                    internal(problems, e);
                }
            }
            Err(e) => internal(problems, e),
        }
    });
}

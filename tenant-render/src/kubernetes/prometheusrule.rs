//! Kubernetes: each tenant's Prometheus Operator `PrometheusRule`
//! (`kubernetes/<slug>/prometheusrule.yml`, `monitoring.coreos.com/v1`) in
//! the tenant's namespace ([`crate::names::namespace`]), holding the same
//! tenant-locked groups as its Prometheus rule files (alerting and
//! recording rules, then the SLO rules). It is written when those files
//! are (see the `prometheus` module's switches); the resource is named
//! `<slug>-rules` and labelled with the tenant label.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::prometheus::{Group, report, tenant_rules};
use crate::{Bundle, Context, Problems, internal, names};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PrometheusRule<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: Spec<'a>,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Spec<'a> {
    /// Borrowed from the rule memo: serialized as they are, not copied.
    groups: Vec<&'a Group>,
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
        let groups: Vec<&Group> = rules.all_groups().collect();
        if groups.is_empty() {
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
            spec: Spec { groups },
        };
        match crate::escape::yaml::to_string(&resource) {
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

//! The `prometheus` target: each tenant's alerting and recording rules
//! (`prometheus/rules/<slug>.rules.yml`), its SLO recordings and burn-rate
//! alerts (`prometheus/rules/<slug>.slo.rules.yml`) and promtool unit tests
//! for those alerts (`prometheus/tests/<slug>.slo.test.yml`).
//!
//! # Groups
//!
//! Every group has an explicit `interval` (the tenant's
//! `monitoring.evaluation_interval`, else the platform's; Prometheus before
//! 2.49 needs it). The tenant's alerting rules go to `<slug>-alerts`, its
//! recording rules to `<slug>-records`, and each SLO's rules to
//! `<slug>-slo-<name>` (see [`crate::names::rule_group`]). A group holds at
//! most the tenant's effective `rules_per_group` rules: a longer list is
//! split into `<slug>-alerts`, `<slug>-alerts-2`, ... in document order.
//! All groups of both rule files together must fit the tenant's effective
//! `max_rule_groups`; more is a document problem at `/monitoring`, never a
//! silent cut.
//!
//! # Rules
//!
//! Every expression is locked to the tenant ([`crate::escape::promql::lock`]):
//! each selector carries `<tenant_label>="<slug>"`. Every rule is labelled
//! with the tenant label; alerts also with `severity` (both set by
//! tenant-kit, over any label of the same name the tenant wrote). Alerts carry
//! the annotations `summary`, `description` (when written), `runbook_url`
//! (when written) and `dashboard_url`: the path
//! ([`crate::names::dashboard_path`]) of the tenant's first dashboard, or of
//! the generated overview dashboard when it has none; SLO alerts link to the
//! SLO dashboard. The path is relative to Grafana's root URL.
//!
//! Prometheus expands alert labels and annotations as Go templates. Tenant
//! text is data, not a template: every `{{` in it is written as
//! `{{ "{{" }}`, so the text the alert carries is exactly the text the tenant
//! wrote (`{{ $value }}` is not expanded).
//!
//! # SLOs
//!
//! For each SLO (objective `o` percent, period `P`, error budget
//! `b = 1 - o/100`), labelled `<tenant_label>="<slug>"` and `slo="<name>"`:
//!
//! | rule | expression |
//! | --- | --- |
//! | `slo:sli_error:ratio_rate<w>` for w in 5m, 30m, 1h, 2h, 6h, 1d, 3d | `(error_query[w]) / (total_query[w])` |
//! | `slo:sli_error:ratio_period` | the same over `P` |
//! | `slo:objective:ratio` | `vector(o/100)` |
//! | `slo:error_budget:ratio` | `vector(b)` |
//! | `slo:current_burn_rate:ratio` | `slo:sli_error:ratio_rate5m / b` |
//! | `slo:period_burn_rate:ratio` | `slo:sli_error:ratio_period / b` |
//! | `slo:period_error_budget_remaining:ratio` | `1 - slo:period_burn_rate:ratio` |
//! | alert `SloErrorBudgetBurnPage`, severity `critical` | 1h and 5m above `0.02·P/1h · b`, or 6h and 30m above `0.05·P/6h · b` |
//! | alert `SloErrorBudgetBurnTicket`, severity `warning` | 1d and 2h above `0.10·P/1d · b`, or 3d and 6h above `0.10·P/3d · b` |
//!
//! For a 30-day period the factors are 14.4, 6, 3 and 1; for 28 days 13.44,
//! 5.6, 2.8 and 0.933 (the multiwindow, multi-burn-rate method of the SRE
//! workbook, as Sloth and Pyrra generate it). The objective is rounded to
//! 10⁻⁹ percent.
//!
//! # Tests
//!
//! The generated promtool tests (the `tests` module): for each SLO whose
//! SLI is a sum of rates (the supported shape, see the `tests` module), three
//! cases with synthetic input series burning the budget at 20× (page and
//! ticket fire), 4× (ticket only) and 0.5× (nothing fires), with the exact
//! labels and annotations expected.
//!
//! # Switches
//!
//! Nothing is rendered for a tenant when the platform's
//! `monitoring_enabled` or `prometheus_metrics` switch is off or the
//! tenant's `monitoring.enabled` is false; the Mimir rule namespace and the
//! `PrometheusRule` follow the same rule ([`tenant_rules`] returns `None`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use tenant_model::{Problem, Tenant};

use crate::escape::yaml::{HEADER, YamlError};
use crate::{Bundle, Context, Problems, internal, names};

mod memo;
mod slo;
mod tests;

pub(crate) use memo::Memo;

/// A rule file: `groups:` (what [`TenantRules::rules_file`] writes,
/// serialized whole: the tests' oracle).
#[cfg(test)]
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleFile<'a> {
    /// Borrowed from the memo: serialized as they are, not copied first.
    pub(crate) groups: &'a [Group],
}

/// A rule group.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) interval: String,
    pub(crate) rules: Vec<Rule>,
}

/// A recording or alerting rule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) alert: Option<String>,
    /// The expression, locked to the tenant.
    pub(crate) expr: String,
    /// The expression without the tenant matchers (for Mimir, where the
    /// tenant is the org id).
    #[serde(skip)]
    pub(crate) unlocked_expr: String,
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    pub(crate) for_duration: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) annotations: BTreeMap<String, String>,
}

/// Everything the rule renderers write for one tenant.
#[derive(Debug, Clone)]
pub(crate) struct TenantRules {
    /// The groups of `<slug>.rules.yml` (alerting and recording rules).
    pub(crate) rules: Vec<Group>,
    /// The groups of `<slug>.slo.rules.yml`.
    pub(crate) slo: Vec<Group>,
    /// The promtool test file, when at least one SLO can be tested.
    pub(crate) tests: Option<tests::TestFile>,
    /// `rules` and `slo` written as the items of a block sequence, once:
    /// the rule files and the PrometheusRule hold the same lines.
    rules_items: OnceLock<Result<String, YamlError>>,
    slo_items: OnceLock<Result<String, YamlError>>,
}

impl TenantRules {
    /// `<slug>.rules.yml` (`None` without groups).
    pub(crate) fn rules_file(&self) -> Option<Result<String, YamlError>> {
        Self::file(&self.rules, &self.rules_items)
    }

    /// `<slug>.slo.rules.yml` (`None` without groups).
    pub(crate) fn slo_file(&self) -> Option<Result<String, YamlError>> {
        Self::file(&self.slo, &self.slo_items)
    }

    /// A rule file of `groups`: `groups:` and the items, which a block
    /// sequence under a key at the first column writes at that column, as
    /// a sequence alone does.
    fn file(
        groups: &[Group],
        items: &OnceLock<Result<String, YamlError>>,
    ) -> Option<Result<String, YamlError>> {
        let items = Self::items(groups, items)?;
        Some(items.map(|items| {
            let mut text = String::with_capacity(HEADER.len() + 8 + items.len());
            text.push_str(HEADER);
            text.push_str("groups:\n");
            text.push_str(items);
            text
        }))
    }

    /// Every group (rule file first) as the items of a block sequence
    /// whose dashes are at column `indent`: the items written once,
    /// shifted. YAML from [`crate::escape::yaml`] has no block scalars, so
    /// every line starts a key or an item, and shifting each line shifts
    /// the structure.
    pub(crate) fn all_items(&self, indent: &str) -> Result<String, YamlError> {
        let mut out = String::new();
        for (groups, items) in [
            (&self.rules, &self.rules_items),
            (&self.slo, &self.slo_items),
        ] {
            if let Some(items) = Self::items(groups, items) {
                let items = items?;
                out.reserve(items.len() + items.len() / 8);
                for line in items.split_inclusive('\n') {
                    out.push_str(indent);
                    out.push_str(line);
                }
            }
        }
        Ok(out)
    }

    fn items<'a>(
        groups: &[Group],
        items: &'a OnceLock<Result<String, YamlError>>,
    ) -> Option<Result<&'a str, YamlError>> {
        if groups.is_empty() {
            return None;
        }
        let written = items.get_or_init(|| {
            crate::escape::yaml::to_string(&groups)
                .map(|text| text.strip_prefix(HEADER).unwrap_or(&text).to_owned())
        });
        Some(written.as_deref().map_err(Clone::clone))
    }

    /// Every group, rule file first.
    pub(crate) fn all_groups(&self) -> impl Iterator<Item = &Group> {
        self.rules.iter().chain(self.slo.iter())
    }

    /// Every group with its expressions unlocked (for Mimir), as a view
    /// that serializes like the groups would with `unlocked_expr` in place
    /// of `expr`: copying every rule for it was the Mimir target's largest
    /// cost after writing.
    pub(crate) fn unlocked_groups(&self) -> Vec<Unlocked<'_>> {
        self.all_groups().map(Unlocked).collect()
    }
}

/// A [`Group`] whose rules serialize with their unlocked expressions.
pub(crate) struct Unlocked<'a>(&'a Group);

impl Serialize for Unlocked<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let g = self.0;
        let mut out = s.serialize_struct("Group", 3)?;
        out.serialize_field("name", &g.name)?;
        out.serialize_field("interval", &g.interval)?;
        out.serialize_field("rules", &UnlockedRules(&g.rules))?;
        out.end()
    }
}

struct UnlockedRules<'a>(&'a [Rule]);

impl Serialize for UnlockedRules<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(UnlockedRule))
    }
}

/// A [`Rule`] serialized as derived, but with `unlocked_expr` as `expr`.
struct UnlockedRule<'a>(&'a Rule);

impl Serialize for UnlockedRule<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.0;
        let len = 1
            + usize::from(r.record.is_some())
            + usize::from(r.alert.is_some())
            + usize::from(r.for_duration.is_some())
            + usize::from(!r.labels.is_empty())
            + usize::from(!r.annotations.is_empty());
        let mut out = s.serialize_struct("Rule", len)?;
        if let Some(record) = &r.record {
            out.serialize_field("record", record)?;
        }
        if let Some(alert) = &r.alert {
            out.serialize_field("alert", alert)?;
        }
        out.serialize_field("expr", &r.unlocked_expr)?;
        if let Some(d) = &r.for_duration {
            out.serialize_field("for", d)?;
        }
        if !r.labels.is_empty() {
            out.serialize_field("labels", &r.labels)?;
        }
        if !r.annotations.is_empty() {
            out.serialize_field("annotations", &r.annotations)?;
        }
        out.end()
    }
}

/// Whether rule files are rendered for `tenant` at all.
pub(crate) fn renders_rules(cx: &Context<'_>, tenant: &Tenant) -> bool {
    cx.switches.monitoring_enabled && cx.switches.prometheus_metrics && tenant.monitoring.enabled
}

/// The tenant's rule groups, or `None` when the switches say nothing is
/// rendered for it; problems (an expression that cannot be locked, more
/// groups than its limits allow) are reported at their pointers.
pub(crate) fn tenant_rules(cx: &Context<'_>, tenant: &Tenant) -> memo::Rules {
    cx.rule_memo.rules(tenant.slug.as_str(), || {
        build(cx, tenant).map(|rules| rules.map(std::sync::Arc::new))
    })
}

fn build(cx: &Context<'_>, tenant: &Tenant) -> Result<Option<TenantRules>, Vec<Problem>> {
    if !renders_rules(cx, tenant) {
        return Ok(None);
    }
    let label = cx.tenant_label();
    let slug = tenant.slug.as_str();
    let m = &tenant.monitoring;
    let limits = cx.limits(tenant).metrics;
    let per_group = usize::try_from(limits.rules_per_group)
        .unwrap_or(usize::MAX)
        .max(1);
    let interval = m
        .evaluation_interval
        .as_ref()
        .unwrap_or(&cx.platform.monitoring.evaluation_interval)
        .as_str()
        .to_owned();
    let mut problems = Vec::new();

    let dashboard = m
        .dashboards
        .first()
        .map_or(names::OVERVIEW_DASHBOARD, |d| d.name.as_str());
    let dashboard_url = names::dashboard_path(tenant, dashboard);

    let mut alerts = Vec::with_capacity(m.alert_rules.len());
    for (i, r) in m.alert_rules.iter().enumerate() {
        let expr = match cx.rule_memo.lock(&r.expr, label, slug) {
            Ok(expr) => expr,
            Err(e) => {
                problems.push(Problem::new(
                    format!("/monitoring/alert_rules/{i}/expr"),
                    e.message(),
                ));
                continue;
            }
        };
        let mut labels: BTreeMap<String, String> = r
            .labels
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), template_text(v)))
            .collect();
        labels.insert(label.to_owned(), slug.to_owned());
        labels.insert("severity".to_owned(), r.severity.as_str().to_owned());
        let mut annotations = BTreeMap::new();
        annotations.insert("summary".to_owned(), template_text(&r.summary));
        if let Some(d) = &r.description {
            annotations.insert("description".to_owned(), template_text(d));
        }
        if let Some(u) = &r.runbook_url {
            annotations.insert("runbook_url".to_owned(), template_text(u));
        }
        annotations.insert("dashboard_url".to_owned(), template_text(&dashboard_url));
        alerts.push(Rule {
            record: None,
            alert: Some(r.alert.as_str().to_owned()),
            expr,
            unlocked_expr: r.expr.clone(),
            for_duration: r.for_duration.as_ref().map(|d| d.as_str().to_owned()),
            labels,
            annotations,
        });
    }

    let mut records = Vec::with_capacity(m.recording_rules.len());
    for (i, r) in m.recording_rules.iter().enumerate() {
        let expr = match cx.rule_memo.lock(&r.expr, label, slug) {
            Ok(expr) => expr,
            Err(e) => {
                problems.push(Problem::new(
                    format!("/monitoring/recording_rules/{i}/expr"),
                    e.message(),
                ));
                continue;
            }
        };
        let mut labels: BTreeMap<String, String> = r
            .labels
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect();
        labels.insert(label.to_owned(), slug.to_owned());
        records.push(Rule {
            record: Some(r.record.as_str().to_owned()),
            alert: None,
            expr,
            unlocked_expr: r.expr.clone(),
            for_duration: None,
            labels,
            annotations: BTreeMap::new(),
        });
    }

    let mut slo_groups = Vec::new();
    let mut slo_rules = Vec::with_capacity(m.slos.len());
    for (i, s) in m.slos.iter().enumerate() {
        match slo::rules(&cx.rule_memo, tenant, label, i, s) {
            Ok(rules) => slo_rules.push(rules),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut rule_groups = Vec::new();
    split(
        &mut rule_groups,
        tenant,
        "alerts",
        &interval,
        alerts,
        per_group,
    );
    split(
        &mut rule_groups,
        tenant,
        "records",
        &interval,
        records,
        per_group,
    );
    for (s, rules) in m.slos.iter().zip(slo_rules) {
        let kind = format!("slo-{}", s.name.as_str());
        split(&mut slo_groups, tenant, &kind, &interval, rules, per_group);
    }

    let count = rule_groups.len() + slo_groups.len();
    let max = usize::try_from(limits.max_rule_groups).unwrap_or(usize::MAX);
    if count > max {
        return Err(vec![Problem::new(
            "/monitoring",
            format!(
                "needs {count} rule groups ({} for alerting and recording rules, {} for SLOs, at most {per_group} rules each, the tenant's `rules_per_group`), more than the tenant's `max_rule_groups` of {max}",
                rule_groups.len(),
                slo_groups.len(),
            ),
        )]);
    }

    let tests = tests::file(&cx.rule_memo, tenant, label, &m.slos);
    Ok(Some(TenantRules {
        rules: rule_groups,
        slo: slo_groups,
        tests,
        rules_items: OnceLock::new(),
        slo_items: OnceLock::new(),
    }))
}

/// Appends `rules` to `out` as groups of at most `per_group` rules.
fn split(
    out: &mut Vec<Group>,
    tenant: &Tenant,
    kind: &str,
    interval: &str,
    rules: Vec<Rule>,
    per_group: usize,
) {
    let mut part = 0;
    let mut rules = rules.into_iter().peekable();
    while rules.peek().is_some() {
        part += 1;
        let chunk: Vec<Rule> = rules.by_ref().take(per_group).collect();
        out.push(Group {
            name: names::rule_group(tenant, kind, part),
            interval: interval.to_owned(),
            rules: chunk,
        });
    }
}

/// Tenant text as a Go template that expands to exactly that text: every
/// `{{` becomes `{{ "{{" }}` (Prometheus expands alert labels and
/// annotations as templates; tenant text is data).
pub(crate) fn template_text(text: &str) -> String {
    text.replace("{{", "{{ \"{{\" }}")
}

/// Records a tenant's rule problems once: the prometheus, mimir and
/// kubernetes targets build the same rules and find the same problems.
pub(crate) fn report(problems: &mut Problems, tenant: &Tenant, list: Vec<Problem>) {
    for p in list {
        problems.tenant_once(tenant, p);
    }
}

/// The path of a tenant's rule file.
pub(crate) fn rules_path(tenant: &Tenant) -> String {
    format!("prometheus/rules/{}.rules.yml", tenant.slug.as_str())
}

/// The path of a tenant's SLO rule file.
pub(crate) fn slo_rules_path(tenant: &Tenant) -> String {
    format!("prometheus/rules/{}.slo.rules.yml", tenant.slug.as_str())
}

/// The path of a tenant's promtool test file.
pub(crate) fn tests_path(tenant: &Tenant) -> String {
    format!("prometheus/tests/{}.slo.test.yml", tenant.slug.as_str())
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
        let mut write =
            |path: String, text: Result<String, crate::escape::yaml::YamlError>| match text {
                Ok(text) => {
                    if let Err(e) = bundle.insert(path, text) {
                        internal(problems, e);
                    }
                }
                Err(e) => internal(problems, e),
            };
        if let Some(text) = rules.rules_file() {
            write(rules_path(tenant), text);
        }
        if let Some(text) = rules.slo_file() {
            write(slo_rules_path(tenant), text);
        }
        if let Some(t) = &rules.tests {
            write(tests_path(tenant), crate::escape::yaml::to_string(t));
        }
    });
}

#[cfg(test)]
mod view_tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    /// The view writes what a copy of the groups with `unlocked_expr` as
    /// `expr` wrote, for rules with and without each optional field.
    #[test]
    fn unlocked_view_serializes_like_an_unlocked_copy() {
        let full = Rule {
            record: None,
            alert: Some("HighErrorRate".into()),
            expr: "up{tenant=\"a\"} == 0".into(),
            unlocked_expr: "up == 0".into(),
            for_duration: Some("5m".into()),
            labels: BTreeMap::from([("severity".into(), "page".into())]),
            annotations: BTreeMap::from([("summary".into(), "a: b #c".into())]),
        };
        let bare = Rule {
            record: Some("job:up:sum".into()),
            alert: None,
            expr: "sum(up{tenant=\"a\"})".into(),
            unlocked_expr: "sum(up)".into(),
            for_duration: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        };
        let groups = [
            Group {
                name: "g".into(),
                interval: "30s".into(),
                rules: vec![full, bare],
            },
            Group {
                name: "empty".into(),
                interval: "1m".into(),
                rules: vec![],
            },
        ];
        let copy: Vec<Group> = groups
            .iter()
            .map(|g| Group {
                rules: g
                    .rules
                    .iter()
                    .map(|r| Rule {
                        expr: r.unlocked_expr.clone(),
                        unlocked_expr: String::new(),
                        ..r.clone()
                    })
                    .collect(),
                ..g.clone()
            })
            .collect();
        let view: Vec<Unlocked<'_>> = groups.iter().map(Unlocked).collect();
        let a = crate::escape::yaml::to_string(&copy).unwrap();
        assert_eq!(crate::escape::yaml::to_string(&view).unwrap(), a);
        assert!(a.contains("expr: up == 0") && !a.contains("tenant="), "{a}");
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            serde_json::to_string(&copy).unwrap()
        );
    }

    /// The rule files and the PrometheusRule's groups, written from the
    /// items once, are the documents serialized whole; hostile text in
    /// names and annotations (quoted, escaped) included.
    #[test]
    fn files_from_shared_items_are_the_documents_serialized_whole() {
        let rule = |n: &str| Rule {
            record: None,
            alert: Some(n.into()),
            expr: "up == 0".into(),
            unlocked_expr: "up == 0".into(),
            for_duration: Some("5m".into()),
            labels: BTreeMap::from([("- x".into(), "yes".into())]),
            annotations: BTreeMap::from([("d".into(), "a\nb: \"c\" #d\u{85}".into())]),
        };
        let group = |n: &str| Group {
            name: n.into(),
            interval: "30s".into(),
            rules: vec![rule(n), rule("two")],
        };
        #[derive(Serialize)]
        struct Doc<'a> {
            kind: &'static str,
            spec: Spec<'a>,
        }
        #[derive(Serialize)]
        struct Spec<'a> {
            groups: Vec<&'a Group>,
        }
        #[derive(Serialize)]
        struct Head {
            kind: &'static str,
        }
        let shapes = [
            (vec![group("a: b"), group("c")], vec![group("slo")]),
            (vec![], vec![group("slo"), group("#2")]),
            (vec![group("only")], vec![]),
        ];
        for (rules, slo) in shapes {
            let t = TenantRules {
                rules,
                slo,
                tests: None,
                rules_items: OnceLock::new(),
                slo_items: OnceLock::new(),
            };
            for (file, groups) in [(t.rules_file(), &t.rules), (t.slo_file(), &t.slo)] {
                match file {
                    Some(text) => assert_eq!(
                        text.unwrap(),
                        crate::escape::yaml::to_string(&RuleFile { groups }).unwrap()
                    ),
                    None => assert!(groups.is_empty()),
                }
            }
            let whole = crate::escape::yaml::to_string(&Doc {
                kind: "PrometheusRule",
                spec: Spec {
                    groups: t.all_groups().collect(),
                },
            })
            .unwrap();
            let mut parts = crate::escape::yaml::to_string(&Head {
                kind: "PrometheusRule",
            })
            .unwrap();
            parts.push_str("spec:\n  groups:\n");
            parts.push_str(&t.all_items("  ").unwrap());
            assert_eq!(parts, whole);
        }
    }
}

//! The prometheus, mimir and kubernetes rule renderers over the examples
//! and the hostile corpus: file layout, every selector locked (parsed back
//! with promql-parser), limits enforced, hostile text intact after a YAML
//! round trip, switches, burn-rate factors, determinism. promtool and a real
//! Prometheus check the same files in `.ci/conformance/prometheus.sh`.

use std::collections::BTreeMap;

use promql_parser::label::MatchOp;
use promql_parser::parser::{self, Expr, VectorSelector};
use serde::Deserialize;
use tenant_model::{PlatformConfig, Tenant};
use tenant_render::{Bundle, FakeSecrets, Options, Target, names, render};

use crate::corpus::{HOSTILE, examples, hostile, platform};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    name: String,
    interval: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    record: Option<String>,
    alert: Option<String>,
    expr: String,
    #[serde(rename = "for")]
    for_duration: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MimirNamespace {
    namespace: String,
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PrometheusRule {
    api_version: String,
    kind: String,
    metadata: Metadata,
    spec: RuleFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    rule_files: Vec<String>,
    evaluation_interval: String,
    tests: Vec<TestGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestGroup {
    name: String,
    interval: String,
    input_series: Vec<InputSeries>,
    alert_rule_test: Vec<AlertTest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputSeries {
    series: String,
    values: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertTest {
    eval_time: String,
    alertname: String,
    exp_alerts: Vec<ExpAlert>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpAlert {
    exp_labels: BTreeMap<String, String>,
    exp_annotations: BTreeMap<String, String>,
}

fn targets() -> [Target; 3] {
    [Target::Prometheus, Target::Mimir, Target::Kubernetes]
}

fn render_rules(tenants: &[Tenant], platform: &PlatformConfig) -> Bundle {
    render(
        tenants,
        platform,
        &Options::new(&FakeSecrets).with_targets(targets()),
    )
    .unwrap_or_else(|p| panic!("{p}"))
}

fn parse<T: for<'de> Deserialize<'de>>(bundle: &Bundle, path: &str) -> T {
    let file = bundle.get(path).unwrap_or_else(|| panic!("{path} missing"));
    assert!(!file.is_secret(), "{path}");
    serde_saphyr::from_str(file.contents()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every vector selector of `expr`, at any depth.
fn selectors(expr: &str) -> Vec<VectorSelector> {
    fn walk(e: &Expr, out: &mut Vec<VectorSelector>) {
        match e {
            Expr::Aggregate(a) => {
                walk(&a.expr, out);
                if let Some(p) = &a.param {
                    walk(p, out);
                }
            }
            Expr::Unary(u) => walk(&u.expr, out),
            Expr::Binary(b) => {
                walk(&b.lhs, out);
                walk(&b.rhs, out);
            }
            Expr::Paren(p) => walk(&p.expr, out),
            Expr::Subquery(s) => walk(&s.expr, out),
            Expr::VectorSelector(v) => out.push(v.clone()),
            Expr::MatrixSelector(m) => out.push(m.vs.clone()),
            Expr::Call(c) => c.args.args.iter().for_each(|a| walk(a, out)),
            _ => {}
        }
    }
    let tree = parser::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let mut out = Vec::new();
    walk(&tree, &mut out);
    out
}

/// The tenant matchers of a selector: (is exact, value).
fn tenant_matchers(sel: &VectorSelector, label: &str) -> Vec<(bool, String)> {
    sel.matchers
        .matchers
        .iter()
        .filter(|m| m.name == label)
        .map(|m| (matches!(m.op, MatchOp::Equal), m.value.clone()))
        .collect()
}

/// Undoes the Go-template quoting of tenant text (what Prometheus' template
/// expansion does to it).
fn expand(text: &str) -> String {
    text.replace("{{ \"{{\" }}", "{{")
}

#[test]
fn examples_render_every_rule_file_with_locked_selectors() {
    let tenants = examples();
    let platform = platform();
    let bundle = render_rules(&tenants, &platform);
    let label = platform.monitoring.tenant_label.as_str();
    let mut selectors_seen = 0;
    for t in &tenants {
        let slug = t.slug.as_str();
        let m = &t.monitoring;
        let interval = m
            .evaluation_interval
            .as_ref()
            .unwrap_or(&platform.monitoring.evaluation_interval)
            .as_str();
        let rules: RuleFile = parse(&bundle, &format!("prometheus/rules/{slug}.rules.yml"));
        let alerts: Vec<&Rule> = rules
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.alert.is_some())
            .collect();
        let records: Vec<&Rule> = rules
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.record.is_some())
            .collect();
        assert_eq!(alerts.len(), m.alert_rules.len(), "{slug}");
        assert_eq!(records.len(), m.recording_rules.len(), "{slug}");
        assert_eq!(rules.groups[0].name, format!("{slug}-alerts"));
        for (rule, source) in alerts.iter().zip(&m.alert_rules) {
            assert_eq!(rule.alert.as_deref(), Some(source.alert.as_str()));
            assert_eq!(rule.labels[label], slug);
            assert_eq!(rule.labels["severity"], source.severity.as_str());
            assert_eq!(
                rule.for_duration.as_deref(),
                source.for_duration.as_ref().map(|d| d.as_str())
            );
            assert_eq!(expand(&rule.annotations["summary"]), source.summary);
            let dashboard = m
                .dashboards
                .first()
                .map_or(names::OVERVIEW_DASHBOARD, |d| d.name.as_str());
            assert_eq!(
                rule.annotations["dashboard_url"],
                names::dashboard_path(t, dashboard)
            );
            assert_eq!(
                rule.annotations.get("runbook_url"),
                source.runbook_url.as_ref()
            );
        }
        let mut groups: Vec<&Group> = rules.groups.iter().collect();
        let slo_path = format!("prometheus/rules/{slug}.slo.rules.yml");
        if m.slos.is_empty() {
            assert!(bundle.get(&slo_path).is_none());
        }
        let slo: Option<RuleFile> = bundle.get(&slo_path).map(|_| parse(&bundle, &slo_path));
        if let Some(slo) = &slo {
            assert_eq!(
                slo.groups.len(),
                m.slos.len(),
                "{slug}: one group per SLO at these limits"
            );
            for (g, s) in slo.groups.iter().zip(&m.slos) {
                assert_eq!(g.name, format!("{slug}-slo-{}", s.name.as_str()));
                let recorded: Vec<&str> =
                    g.rules.iter().filter_map(|r| r.record.as_deref()).collect();
                for w in names::SLO_WINDOWS {
                    assert!(
                        recorded.contains(&names::slo_error_ratio(w).as_str()),
                        "{w}"
                    );
                }
                for name in [
                    names::SLO_ERROR_RATIO_PERIOD,
                    names::SLO_OBJECTIVE,
                    names::SLO_ERROR_BUDGET,
                    names::SLO_CURRENT_BURN_RATE,
                    names::SLO_PERIOD_BURN_RATE,
                    names::SLO_BUDGET_REMAINING,
                ] {
                    assert!(recorded.contains(&name), "{name}");
                }
                let alerts: Vec<&str> = g.rules.iter().filter_map(|r| r.alert.as_deref()).collect();
                assert_eq!(alerts, [names::SLO_PAGE_ALERT, names::SLO_TICKET_ALERT]);
                for r in &g.rules {
                    assert_eq!(r.labels[label], slug);
                    assert_eq!(r.labels[names::SLO_LABEL], s.name.as_str());
                }
            }
            groups.extend(&slo.groups);
        }
        for g in &groups {
            assert_eq!(g.interval, interval, "{}", g.name);
            for r in &g.rules {
                for sel in selectors(&r.expr) {
                    selectors_seen += 1;
                    assert_eq!(
                        tenant_matchers(&sel, label),
                        [(true, slug.to_owned())],
                        "{slug}: {}",
                        r.expr
                    );
                }
            }
        }

        // Mimir: the same groups, no tenant matcher at all.
        let ns: MimirNamespace = parse(&bundle, &format!("mimir/rules/{slug}.yml"));
        assert_eq!(ns.namespace, slug);
        assert_eq!(
            ns.groups.iter().map(|g| &g.name).collect::<Vec<_>>(),
            groups.iter().map(|g| &g.name).collect::<Vec<_>>()
        );
        for (mg, pg) in ns.groups.iter().zip(&groups) {
            assert_eq!(mg.rules.len(), pg.rules.len());
            for r in &mg.rules {
                for sel in selectors(&r.expr) {
                    assert!(tenant_matchers(&sel, label).is_empty(), "{}", r.expr);
                }
                assert_eq!(r.labels[label], slug);
            }
        }

        // PrometheusRule: the same locked groups, in the tenant's namespace.
        let pr: PrometheusRule = parse(&bundle, &format!("kubernetes/{slug}/prometheusrule.yml"));
        assert_eq!(pr.api_version, "monitoring.coreos.com/v1");
        assert_eq!(pr.kind, "PrometheusRule");
        assert_eq!(pr.metadata.namespace, names::namespace(t));
        assert_eq!(pr.metadata.name, format!("{slug}-rules"));
        assert_eq!(pr.metadata.labels[label], slug);
        assert_eq!(pr.spec.groups.len(), groups.len());
        for (a, b) in pr.spec.groups.iter().zip(&groups) {
            assert_eq!(a.name, b.name);
            let exprs = |g: &Group| g.rules.iter().map(|r| r.expr.clone()).collect::<Vec<_>>();
            assert_eq!(exprs(a), exprs(b));
        }
    }
    assert!(selectors_seen > 50, "{selectors_seen}");
}

#[test]
fn mimir_runtime_carries_every_tenants_effective_limits() {
    let tenants = examples();
    let platform = platform();
    let bundle = render_rules(&tenants, &platform);
    #[derive(Deserialize)]
    struct Runtime {
        overrides: BTreeMap<String, BTreeMap<String, u64>>,
    }
    let runtime: Runtime = parse(&bundle, "mimir/runtime.yml");
    assert_eq!(runtime.overrides.len(), tenants.len());
    for t in &tenants {
        let limits = platform.tiers.get(t.tier).with_overrides(&t.quotas).metrics;
        let o = &runtime.overrides[t.slug.as_str()];
        assert_eq!(o["ingestion_rate"], limits.ingestion_rate);
        assert_eq!(o["ingestion_burst_size"], limits.ingestion_burst);
        assert_eq!(o["max_global_series_per_user"], limits.max_series);
        assert_eq!(
            o["ruler_max_rules_per_rule_group"],
            u64::from(limits.rules_per_group)
        );
        assert_eq!(
            o["ruler_max_rule_groups_per_tenant"],
            u64::from(limits.max_rule_groups)
        );
        assert_eq!(o.len(), 5);
    }
}

fn acme() -> Tenant {
    examples()
        .into_iter()
        .find(|t| t.slug.as_str() == "acme-music")
        .unwrap()
}

#[test]
fn long_rule_lists_are_split_by_rules_per_group_and_counted_against_max_rule_groups() {
    let platform = platform();
    let mut t = acme();
    // Two alerts, one recording rule, two SLOs of 15 rules: with 1 rule a
    // group that is 2 + 1 + 30 groups.
    t.quotas.metrics.rules_per_group = Some(1);
    t.quotas.metrics.max_rule_groups = Some(33);
    let bundle = render_rules(std::slice::from_ref(&t), &platform);
    let rules: RuleFile = parse(&bundle, "prometheus/rules/acme-music.rules.yml");
    let names: Vec<&str> = rules.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "acme-music-alerts",
            "acme-music-alerts-2",
            "acme-music-records"
        ]
    );
    assert!(rules.groups.iter().all(|g| g.rules.len() == 1));
    let slo: RuleFile = parse(&bundle, "prometheus/rules/acme-music.slo.rules.yml");
    assert_eq!(slo.groups.len(), 30);
    assert_eq!(slo.groups[1].name, "acme-music-slo-api-availability-2");

    t.quotas.metrics.max_rule_groups = Some(32);
    let problems = render(
        std::slice::from_ref(&t),
        &platform,
        &Options::new(&FakeSecrets).with_targets(targets()),
    )
    .unwrap_err();
    let list: Vec<_> = problems.iter().collect();
    assert_eq!(
        list.len(),
        1,
        "reported once, not once per target: {problems}"
    );
    assert_eq!(list[0].tenant.as_deref(), Some("acme-music"));
    assert_eq!(list[0].problem.pointer(), "/monitoring");
    assert!(
        list[0].problem.message().contains("needs 33 rule groups"),
        "{problems}"
    );
    assert!(
        list[0]
            .problem
            .message()
            .contains("`max_rule_groups` of 32"),
        "{problems}"
    );

    // Each target alone still refuses.
    for target in targets() {
        let result = render(
            std::slice::from_ref(&t),
            &platform,
            &Options::new(&FakeSecrets).with_targets([target]),
        );
        assert!(result.is_err(), "{target}");
    }
}

#[test]
fn a_query_reading_another_tenant_is_refused_at_its_pointer() {
    let mut t = acme();
    t.monitoring.alert_rules[1].expr = r#"up{tenant="beatforge"} == 0"#.to_owned();
    t.monitoring.slos[0].sli.total_query = r#"sum(rate(x{tenant=~".+"}[$window]))"#.to_owned();
    let problems = render(
        std::slice::from_ref(&t),
        &platform(),
        &Options::new(&FakeSecrets).with_targets(targets()),
    )
    .unwrap_err();
    let pointers: Vec<&str> = problems.iter().map(|p| p.problem.pointer()).collect();
    assert_eq!(
        pointers,
        [
            "/monitoring/alert_rules/1/expr",
            "/monitoring/slos/0/sli/total_query"
        ],
        "{problems}"
    );
}

#[test]
fn switches_decide_what_is_rendered() {
    let tenants = examples();
    let mut platform = platform();
    let all = render_rules(&tenants, &platform);
    assert!(all.get("prometheus/rules/acme-music.rules.yml").is_some());

    for off in [
        |p: &mut PlatformConfig| p.switches.monitoring_enabled = false,
        |p: &mut PlatformConfig| p.switches.prometheus_metrics = false,
    ] {
        let mut p = platform.clone();
        off(&mut p);
        let bundle = render_rules(&tenants, &p);
        let paths: Vec<&str> = bundle.iter().map(|(path, _)| path).collect();
        let rules: Vec<&str> = paths
            .iter()
            .copied()
            .filter(|p| {
                p.starts_with("prometheus/")
                    || p.starts_with("mimir/rules/")
                    || p.ends_with("/prometheusrule.yml")
            })
            .collect();
        assert_eq!(rules, Vec::<&str>::new(), "rules rendered while off");
        assert!(
            paths.contains(&"mimir/runtime.yml"),
            "limits are still rendered"
        );
    }

    let mut tenants = tenants;
    tenants[0].monitoring.enabled = false;
    let slug = tenants[0].slug.as_str().to_owned();
    let bundle = render_rules(&tenants, &platform);
    assert!(
        bundle
            .iter()
            .filter(|(path, _)| path.contains(&slug))
            .all(|(path, _)| !path.ends_with("rules.yml")
                && !path.ends_with("/prometheusrule.yml")
                && !path.starts_with("mimir/rules/"))
    );
    assert!(
        bundle
            .get("mimir/runtime.yml")
            .unwrap()
            .contents()
            .contains(&slug)
    );
    assert!(
        bundle
            .get(&format!(
                "prometheus/rules/{}.rules.yml",
                tenants[1].slug.as_str()
            ))
            .is_some()
    );

    // The platform's evaluation interval applies when the tenant sets none.
    platform.monitoring.evaluation_interval = tenant_model::PromDuration::new("45s").unwrap();
    let bundle = render_rules(&tenants[1..], &platform);
    let beatforge: RuleFile = parse(&bundle, "prometheus/rules/beatforge.rules.yml");
    assert!(beatforge.groups.iter().all(|g| g.interval == "45s"));
}

#[test]
fn burn_rate_factors_follow_the_period() {
    let bundle = render_rules(&[acme()], &platform());
    let slo: RuleFile = parse(&bundle, "prometheus/rules/acme-music.slo.rules.yml");
    let alert = |g: &Group, name: &str| {
        g.rules
            .iter()
            .find(|r| r.alert.as_deref() == Some(name))
            .unwrap()
            .expr
            .clone()
    };
    // api-availability: 30d, 99.9 %.
    let page = alert(&slo.groups[0], names::SLO_PAGE_ALERT);
    assert!(
        page.contains("(14.4 * 0.001)") && page.contains("(6 * 0.001)"),
        "{page}"
    );
    let ticket = alert(&slo.groups[0], names::SLO_TICKET_ALERT);
    assert!(
        ticket.contains("(3 * 0.001)") && ticket.contains("(1 * 0.001)"),
        "{ticket}"
    );
    // generation-latency: 28d, 99 %.
    let page = alert(&slo.groups[1], names::SLO_PAGE_ALERT);
    assert!(
        page.contains("(13.44 * 0.01)") && page.contains("(5.6 * 0.01)"),
        "{page}"
    );
    let ticket = alert(&slo.groups[1], names::SLO_TICKET_ALERT);
    assert!(
        ticket.contains("(2.8 * 0.01)") && ticket.contains("(0.9333333333333333 * 0.01)"),
        "{ticket}"
    );
    let objective = slo.groups[0]
        .rules
        .iter()
        .find(|r| r.record.as_deref() == Some(names::SLO_OBJECTIVE))
        .unwrap();
    assert_eq!(objective.expr, "vector(0.999)");
}

#[test]
fn generated_tests_cover_every_example_slo_with_three_burn_rates() {
    let tenants = examples();
    let platform = platform();
    let bundle = render_rules(&tenants, &platform);
    let label = platform.monitoring.tenant_label.as_str();
    for t in tenants.iter().filter(|t| !t.monitoring.slos.is_empty()) {
        let slug = t.slug.as_str();
        let file: TestFile = parse(&bundle, &format!("prometheus/tests/{slug}.slo.test.yml"));
        assert_eq!(file.rule_files, [format!("../rules/{slug}.slo.rules.yml")]);
        assert_eq!(file.evaluation_interval, "1m");
        assert_eq!(
            file.tests.len(),
            3 * t.monitoring.slos.len(),
            "{slug}: every SLO tested"
        );
        for (s, cases) in t.monitoring.slos.iter().zip(file.tests.chunks(3)) {
            let fired = |case: &TestGroup, alert: &str| -> Vec<String> {
                case.alert_rule_test
                    .iter()
                    .filter(|a| a.alertname == alert)
                    .flat_map(|a| &a.exp_alerts)
                    .map(|e| e.exp_labels[names::SLO_LABEL].clone())
                    .collect()
            };
            let me = vec![s.name.as_str().to_owned()];
            assert_eq!(
                fired(&cases[0], names::SLO_PAGE_ALERT),
                me,
                "{}",
                cases[0].name
            );
            assert_eq!(fired(&cases[0], names::SLO_TICKET_ALERT), me);
            assert!(
                fired(&cases[1], names::SLO_PAGE_ALERT).is_empty(),
                "{}",
                cases[1].name
            );
            assert_eq!(fired(&cases[1], names::SLO_TICKET_ALERT), me);
            assert!(fired(&cases[2], names::SLO_PAGE_ALERT).is_empty());
            assert!(fired(&cases[2], names::SLO_TICKET_ALERT).is_empty());
            for case in cases {
                assert_eq!(case.interval, "1m");
                assert!(case.input_series.len() >= 2, "{}", case.name);
                for series in &case.input_series {
                    assert!(series.values.starts_with("0+") && series.values.ends_with("x150"));
                    for sel in selectors(&series.series) {
                        assert_eq!(tenant_matchers(&sel, label), [(true, slug.to_owned())]);
                    }
                }
                for a in &case.alert_rule_test {
                    assert_eq!(a.eval_time, "2h");
                    for e in &a.exp_alerts {
                        assert_eq!(e.exp_labels[label], slug);
                        assert_eq!(e.exp_annotations.get("description"), s.description.as_ref());
                    }
                }
            }
        }
    }
}

#[test]
fn hostile_text_comes_back_intact_after_yaml_and_template_expansion() {
    let corpus = hostile();
    let platform = platform();
    let bundle = render_rules(&corpus, &platform);
    let mut checked = 0;
    for t in &corpus {
        let slug = t.slug.as_str();
        let rules: RuleFile = parse(&bundle, &format!("prometheus/rules/{slug}.rules.yml"));
        let alerts: Vec<&Rule> = rules
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.alert.is_some())
            .collect();
        for (rule, source) in alerts.iter().zip(&t.monitoring.alert_rules) {
            assert_eq!(expand(&rule.annotations["summary"]), source.summary);
            assert_eq!(
                rule.annotations.get("description").map(|d| expand(d)),
                source.description
            );
            for (k, v) in &source.labels {
                assert_eq!(expand(&rule.labels[k.as_str()]), *v);
            }
            assert!(
                !rule.annotations["summary"]
                    .replace("{{ \"{{\" }}", "")
                    .contains("{{")
            );
            checked += 1;
        }
        let records: Vec<&Rule> = rules
            .groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.record.is_some())
            .collect();
        for (rule, source) in records.iter().zip(&t.monitoring.recording_rules) {
            for (k, v) in &source.labels {
                assert_eq!(
                    rule.labels[k.as_str()],
                    *v,
                    "recording labels are not templates"
                );
            }
        }
        if let Some(file) = bundle.get(&format!("prometheus/tests/{slug}.slo.test.yml")) {
            let tests: TestFile = serde_saphyr::from_str(file.contents()).unwrap();
            for case in &tests.tests {
                for a in &case.alert_rule_test {
                    for e in &a.exp_alerts {
                        let s = t
                            .monitoring
                            .slos
                            .iter()
                            .find(|s| s.name.as_str() == e.exp_labels["slo"])
                            .unwrap();
                        assert_eq!(e.exp_annotations.get("description"), s.description.as_ref());
                        checked += 1;
                    }
                }
            }
        }
        // The PrometheusRule and Mimir copies parse to the same text too.
        let pr: PrometheusRule = parse(&bundle, &format!("kubernetes/{slug}/prometheusrule.yml"));
        let ns: MimirNamespace = parse(&bundle, &format!("mimir/rules/{slug}.yml"));
        for (a, b) in pr
            .spec
            .groups
            .iter()
            .zip(&ns.groups)
            .flat_map(|(a, b)| a.rules.iter().zip(&b.rules))
        {
            assert_eq!(a.annotations, b.annotations);
            assert_eq!(a.labels, b.labels);
        }
    }
    assert!(checked > 5, "{checked}");
    // The corpus does carry the hostile strings into these files.
    let all: String = bundle.iter().map(|(_, f)| f.contents()).collect();
    let yaml_all: Vec<RuleFile> = corpus
        .iter()
        .map(|t| {
            parse(
                &bundle,
                &format!("prometheus/rules/{}.rules.yml", t.slug.as_str()),
            )
        })
        .collect();
    let texts: String = yaml_all
        .iter()
        .flat_map(|f| &f.groups)
        .flat_map(|g| &g.rules)
        .flat_map(|r| r.annotations.values())
        .map(|v| expand(v))
        .collect();
    assert!(HOSTILE.iter().filter(|h| texts.contains(*h)).count() >= 3);
    assert!(!all.is_empty());
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let platform = platform();
    assert_eq!(
        render_rules(&tenants, &platform),
        render_rules(&tenants, &platform)
    );
}

#[test]
fn sli_shapes_get_tests_where_the_synthetic_series_can_be_predicted() {
    let path = crate::corpus::root().join("tenant-render/tests/slo-shapes/slo-shapes.yaml");
    let t: Tenant = tenant_model::parse(
        &std::fs::read_to_string(path).unwrap(),
        tenant_model::Format::Yaml,
    )
    .unwrap();
    let bundle = render_rules(std::slice::from_ref(&t), &platform());
    let file: TestFile = parse(&bundle, "prometheus/tests/slo-shapes.slo.test.yml");
    let tested: Vec<&str> = file
        .tests
        .iter()
        .map(|c| c.name.split(' ').nth(1).unwrap())
        .collect();
    // `routed` groups by a label its own selectors set: several series, no
    // prediction, no test. Every other shape gets its three cases.
    let expected: Vec<&str> = [
        "api-availability",
        "generation-latency",
        "api-strict",
        "odd-shape",
        "histogram",
    ]
    .into_iter()
    .flat_map(|s| [s; 3])
    .collect();
    assert_eq!(tested, expected);
    // api-availability and api-strict read the same series: a 20x burn of
    // the first (99.9 %) is 2x for the second (99 %), which then opens a
    // ticket but does not page.
    let case = &file.tests[0];
    let slos = |alert: &str| -> Vec<String> {
        case.alert_rule_test
            .iter()
            .filter(|a| a.alertname == alert)
            .flat_map(|a| &a.exp_alerts)
            .map(|e| e.exp_labels["slo"].clone())
            .collect()
    };
    assert_eq!(slos(names::SLO_PAGE_ALERT), ["api-availability"]);
    assert_eq!(
        slos(names::SLO_TICKET_ALERT),
        ["api-availability", "api-strict", "odd-shape"]
    );
}

/// SLI queries with a `#` comment and generous layout are valid PromQL on
/// their own; the ratios composed of them (Mimir's ratio records, the
/// Grafana overview's error ratio) must stay valid too: a comment would
/// swallow the rest of a ratio composed of the text as written, and the
/// layout take it past the length limit.
#[test]
fn sli_queries_with_comments_and_layout_still_compose() {
    let mut t = acme();
    let pad = " ".repeat(4_000);
    let slo = &mut t.monitoring.slos[0];
    slo.sli.error_query =
        format!("{pad}sum(rate(http_requests_total{{code=~\"5..\"}}[$window])) # 5xx only");
    slo.sli.total_query = format!("{pad}sum(rate(http_requests_total[$window]))");
    let tenants = [t];
    let bundle = render(
        &tenants,
        &platform(),
        &Options::new(&FakeSecrets).with_targets([
            Target::Prometheus,
            Target::Mimir,
            Target::Grafana,
        ]),
    )
    .unwrap_or_else(|p| panic!("{p}"));
    let ns: MimirNamespace = parse(&bundle, "mimir/rules/acme-music.yml");
    let mut ratios = 0;
    for rule in ns.groups.iter().flat_map(|g| &g.rules) {
        parser::parse(&rule.expr).unwrap_or_else(|e| panic!("{}: {e}", rule.expr));
        if rule.record.as_deref() == Some("slo:sli_error:ratio_rate5m") {
            ratios += 1;
        }
    }
    assert!(ratios >= 1, "{ratios}");
    // The overview's ratio is the two locked queries composed and locked.
    let overview: serde_json::Value = serde_json::from_str(
        bundle
            .get("grafana/dashboards/acme-music/overview.json")
            .unwrap()
            .contents(),
    )
    .unwrap();
    let e = tenant_model::promql::lock_sli(
        &tenants[0].monitoring.slos[0].sli.error_query,
        "5m",
        "tenant",
        "acme-music",
    )
    .unwrap();
    let t = tenant_model::promql::lock_sli(
        &tenants[0].monitoring.slos[0].sli.total_query,
        "5m",
        "tenant",
        "acme-music",
    )
    .unwrap();
    let ratio =
        tenant_model::promql::lock(&format!("({e}) / ({t})"), "tenant", "acme-music").unwrap();
    let exprs: Vec<&str> = overview["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .filter_map(|t| t["expr"].as_str())
        .collect();
    assert!(exprs.contains(&ratio.as_str()), "{ratio} not in {exprs:#?}");
}

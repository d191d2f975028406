//! The dashboards generated for every tenant when dashboards are `auto`:
//! `overview`, `slo` (when the tenant has SLOs) and `quotas`. Titles come
//! from the tenant-i18n catalogs in the tenant's locale.
//!
//! What "the tenant defines those metrics" means here:
//!
//! - request rate and error ratio: the tenant's SLIs (each SLO's
//!   `total_query` and `error_query` over 5 minutes, one series per SLO);
//! - latency: every histogram (`<name>_bucket`) named in the tenant's
//!   queries (rules, SLIs, dashboards), at most four, as the p99 of
//!   `rate(<name>_bucket[5m])`;
//! - SLO panels read the recordings the metrics renderer writes
//!   ([`crate::names`]: `slo:sli_error:ratio_rate<window>`,
//!   `slo:error_budget:ratio`, `slo:objective:ratio`,
//!   `slo:current_burn_rate:ratio`, `slo:period_error_budget_remaining:ratio`,
//!   labelled `slo`);
//! - quota use: active series are `count({__name__=~".+"})` and ingestion
//!   is `sum(sum_over_time(scrape_samples_scraped[1m])) / 60` (samples per
//!   second, assuming the tenant label is a target label), drawn against
//!   the tenant's effective `metrics.max_series` and `ingestion_rate`.

use std::collections::BTreeSet;

use super::model::{Dashboard, Step, Thresholds, Variable, VariableOption};
use super::{Builder, Entry, Frame, Kind, Spec};
use crate::escape::promql;
use crate::names;

/// At most this many histograms get a latency series on the overview.
const MAX_HISTOGRAMS: usize = 4;

pub(crate) fn all(b: &mut Builder<'_, '_>) -> Vec<(String, Dashboard)> {
    let mut out = vec![(names::OVERVIEW_DASHBOARD.to_owned(), overview(b))];
    if !b.tenant.monitoring.slos.is_empty() {
        out.push((names::SLO_DASHBOARD.to_owned(), slo(b)));
    }
    out.push((names::QUOTAS_DASHBOARD.to_owned(), quotas(b)));
    out
}

fn frame() -> Frame {
    Frame {
        refresh: Some("1m".to_owned()),
        range: "6h".to_owned(),
        generated: true,
    }
}

fn steps(steps: &[(Option<f64>, &'static str)]) -> Thresholds {
    Thresholds {
        mode: "absolute",
        steps: steps
            .iter()
            .map(|&(value, color)| Step { value, color })
            .collect(),
    }
}

/// A panel with its title and description from the catalogs.
fn spec(b: &mut Builder<'_, '_>, kind: Kind, message: &str) -> Spec {
    let mut spec = Spec::new(kind, b.text(message));
    spec.description = Some(b.text(&format!("{message}.description")));
    spec
}

/// Locks a query tenant-kit wrote itself; failing is a bug, reported.
fn own(b: &mut Builder<'_, '_>, expr: &str) -> Option<String> {
    match b
        .cx
        .rule_memo
        .lock(expr, b.cx.tenant_label(), b.tenant.slug.as_str())
    {
        Ok(locked) => Some(locked),
        Err(e) => {
            crate::internal(b.problems, format!("generated query `{expr}`: {e}"));
            None
        }
    }
}

fn overview(b: &mut Builder<'_, '_>) -> Dashboard {
    let mut items = Vec::new();

    let mut alerts = spec(b, Kind::Stat, "panel-alerts-firing");
    alerts.width = 8;
    alerts.thresholds = Some(steps(&[(None, "green"), (Some(1.0), "red")]));
    alerts.queries.extend(
        own(b, r#"sum by (severity) (ALERTS{alertstate="firing"})"#)
            .map(|e| (e, Some("{{severity}}".to_owned()))),
    );
    items.push(Entry::Panel(alerts));

    let slos = b.tenant.monitoring.slos.clone();
    if !slos.is_empty() {
        let mut rate = spec(b, Kind::Timeseries, "panel-request-rate");
        rate.width = 8;
        rate.unit = Some("reqps".to_owned());
        let mut errors = spec(b, Kind::Timeseries, "panel-error-ratio");
        errors.width = 8;
        errors.unit = Some("percentunit".to_owned());
        for (i, s) in slos.iter().enumerate() {
            let pointer = format!("/monitoring/slos/{i}/sli");
            let legend = Some(s.name.as_str().to_owned());
            let total = b.lock_sli(&s.sli.total_query, "5m", &format!("{pointer}/total_query"));
            let error = b.lock_sli(&s.sli.error_query, "5m", &format!("{pointer}/error_query"));
            if let (Some(total), Some(_)) = (total, error) {
                let ratio = b.cx.rule_memo.lock_sli_ratio(
                    &s.sli.error_query,
                    &s.sli.total_query,
                    "5m",
                    b.cx.tenant_label(),
                    b.tenant.slug.as_str(),
                );
                let ratio = match ratio {
                    Ok(ratio) => Some(ratio),
                    Err(e) => {
                        crate::internal(b.problems, format!("generated SLI ratio: {e}"));
                        None
                    }
                };
                if let Some(ratio) = ratio {
                    errors.queries.push((ratio, legend.clone()));
                }
                rate.queries.push((total, legend));
            }
        }
        items.push(Entry::Panel(rate));
        items.push(Entry::Panel(errors));
    }

    let histograms = histograms(b.tenant);
    if !histograms.is_empty() {
        let mut latency = spec(b, Kind::Timeseries, "panel-latency-p99");
        latency.width = if slos.is_empty() { 16 } else { 12 };
        if histograms.iter().all(|h| h.ends_with("_seconds")) {
            latency.unit = Some("s".to_owned());
        }
        for h in &histograms {
            let expr = format!("histogram_quantile(0.99, sum by (le) (rate({h}_bucket[5m])))");
            if let Some(e) = own(b, &expr) {
                latency.queries.push((e, Some(h.clone())));
            }
        }
        items.push(Entry::Panel(latency));
    }

    if !slos.is_empty() {
        let mut budget = spec(b, Kind::Bargauge, "panel-slo-error-budget");
        budget.unit = Some("percentunit".to_owned());
        budget.max = Some(1.0);
        budget.thresholds = Some(budget_steps());
        budget
            .queries
            .extend(own(b, names::SLO_BUDGET_REMAINING).map(|e| (e, Some("{{slo}}".to_owned()))));
        items.push(Entry::Panel(budget));
    }
    items.push(Entry::Panel(quota_usage(b)));

    let title = b.text("dashboard-tenant-overview");
    let description = b.text("dashboard-tenant-overview.description");
    b.dashboard(
        names::OVERVIEW_DASHBOARD,
        title,
        Some(description),
        frame(),
        Vec::new(),
        items,
    )
}

/// Red once overspent, orange in the last quarter, green above.
fn budget_steps() -> Thresholds {
    steps(&[(None, "red"), (Some(0.0), "orange"), (Some(0.25), "green")])
}

fn slo(b: &mut Builder<'_, '_>) -> Dashboard {
    let slos = b.tenant.monitoring.slos.clone();
    let slo_label = names::SLO_LABEL;
    let mut items = Vec::new();

    let mut budget = spec(b, Kind::Bargauge, "panel-slo-error-budget");
    budget.width = 16;
    budget.unit = Some("percentunit".to_owned());
    budget.max = Some(1.0);
    budget.thresholds = Some(budget_steps());
    budget.queries.extend(
        own(
            b,
            &format!(r#"{}{{{slo_label}=~"$slo"}}"#, names::SLO_BUDGET_REMAINING),
        )
        .map(|e| (e, Some(format!("{{{{{slo_label}}}}}")))),
    );
    items.push(Entry::Panel(budget));

    let mut burn = spec(b, Kind::Stat, "panel-slo-current-burn-rate");
    burn.width = 8;
    burn.thresholds = Some(steps(&[
        (None, "green"),
        (Some(1.0), "orange"),
        (Some(14.4), "red"),
    ]));
    burn.queries.extend(
        own(
            b,
            &format!(r#"{}{{{slo_label}=~"$slo"}}"#, names::SLO_CURRENT_BURN_RATE),
        )
        .map(|e| (e, Some(format!("{{{{{slo_label}}}}}")))),
    );
    items.push(Entry::Panel(burn));

    for s in &slos {
        let name = s.name.as_str();
        let matcher = promql::matcher(slo_label, name);
        items.push(Entry::Row(name.to_owned()));

        let mut sli = spec(b, Kind::Timeseries, "panel-slo-error-ratio");
        if let Some(d) = &s.description {
            sli.description = Some(d.clone());
        }
        sli.unit = Some("percentunit".to_owned());
        let error_ratio = b.text("panel-error-ratio");
        let error_budget = b.text("panel-legend-error-budget");
        let five = names::slo_error_ratio("5m");
        sli.queries
            .extend(own(b, &format!("{five}{{{matcher}}}")).map(|e| (e, Some(error_ratio))));
        sli.queries.extend(
            own(b, &format!("{}{{{matcher}}}", names::SLO_ERROR_BUDGET))
                .map(|e| (e, Some(error_budget))),
        );
        items.push(Entry::Panel(sli));

        let mut burn = spec(b, Kind::Timeseries, "panel-slo-burn-rate");
        burn.width = 8;
        for window in names::SLO_WINDOWS {
            let expr = format!(
                "{}{{{matcher}}} / on ({slo_label}) group_left () {}{{{matcher}}}",
                names::slo_error_ratio(window),
                names::SLO_ERROR_BUDGET
            );
            burn.queries
                .extend(own(b, &expr).map(|e| (e, Some(window.to_owned()))));
        }
        items.push(Entry::Panel(burn));

        let mut objective = spec(b, Kind::Stat, "panel-slo-objective");
        objective.width = 4;
        objective.unit = Some("percentunit".to_owned());
        objective
            .queries
            .extend(own(b, &format!("{}{{{matcher}}}", names::SLO_OBJECTIVE)).map(|e| (e, None)));
        items.push(Entry::Panel(objective));
    }

    let options: Vec<VariableOption> = slos
        .iter()
        .map(|s| VariableOption {
            selected: false,
            text: s.name.as_str().to_owned(),
            value: s.name.as_str().to_owned(),
        })
        .collect();
    let all = VariableOption {
        selected: true,
        text: "All".to_owned(),
        value: "$__all".to_owned(),
    };
    let variable = Variable {
        kind: "custom",
        name: slo_label.to_owned(),
        label: b.text("dashboard-variable-slo"),
        query: slos
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
        current: all,
        options,
        multi: true,
        include_all: true,
    };
    let title = b.text("dashboard-slo");
    let description = b.text("dashboard-slo.description");
    b.dashboard(
        names::SLO_DASHBOARD,
        title,
        Some(description),
        frame(),
        vec![variable],
        items,
    )
}

/// The active series query.
const SERIES: &str = r#"count({__name__=~".+"})"#;

/// Samples per second scraped for the tenant, over the last minute.
const INGESTION: &str = "sum(sum_over_time(scrape_samples_scraped[1m])) / 60";

/// Both quotas as a share of their limit, orange from the soft limit.
fn quota_usage(b: &mut Builder<'_, '_>) -> Spec {
    let limits = b.cx.limits(b.tenant);
    let mut usage = spec(b, Kind::Bargauge, "panel-quota-usage");
    usage.width = 24;
    usage.height = 6;
    usage.unit = Some("percentunit".to_owned());
    usage.min = Some(0.0);
    usage.max = Some(1.0);
    let soft = f64::from(limits.soft_limit_percent) / 100.0;
    usage.thresholds = Some(steps(&[
        (None, "green"),
        (Some(soft), "orange"),
        (Some(1.0), "red"),
    ]));
    let series = b.text("panel-series-usage");
    let ingestion = b.text("panel-ingestion-rate");
    let max_series = limits.metrics.max_series.max(1);
    let max_rate = limits.metrics.ingestion_rate.max(1);
    usage
        .queries
        .extend(own(b, &format!("{SERIES} / {max_series}")).map(|e| (e, Some(series))));
    usage
        .queries
        .extend(own(b, &format!("({INGESTION}) / {max_rate}")).map(|e| (e, Some(ingestion))));
    usage
}

fn quotas(b: &mut Builder<'_, '_>) -> Dashboard {
    let limits = b.cx.limits(b.tenant);
    let used = b.text("panel-legend-used");
    let limit = b.text("panel-legend-limit");
    let mut items = vec![Entry::Panel(quota_usage(b))];
    for (message, query, max, unit) in [
        (
            "panel-series-usage",
            SERIES,
            limits.metrics.max_series,
            "short",
        ),
        (
            "panel-ingestion-rate",
            INGESTION,
            limits.metrics.ingestion_rate,
            "short",
        ),
    ] {
        let mut panel = spec(b, Kind::Timeseries, message);
        panel.unit = Some(unit.to_owned());
        panel
            .queries
            .extend(own(b, query).map(|e| (e, Some(used.clone()))));
        panel
            .queries
            .extend(own(b, &format!("vector({max})")).map(|e| (e, Some(limit.clone()))));
        items.push(Entry::Panel(panel));
    }
    let title = b.text("dashboard-quotas");
    let description = b.text("dashboard-quotas.description");
    b.dashboard(
        names::QUOTAS_DASHBOARD,
        title,
        Some(description),
        frame(),
        Vec::new(),
        items,
    )
}

/// The histograms (`<name>` of `<name>_bucket`) the tenant's queries name,
/// sorted, at most [`MAX_HISTOGRAMS`].
fn histograms(tenant: &tenant_model::Tenant) -> Vec<String> {
    let m = &tenant.monitoring;
    let texts = m
        .alert_rules
        .iter()
        .map(|r| r.expr.as_str())
        .chain(m.recording_rules.iter().map(|r| r.expr.as_str()))
        .chain(
            m.slos
                .iter()
                .flat_map(|s| [s.sli.error_query.as_str(), s.sli.total_query.as_str()]),
        )
        .chain(
            m.dashboards
                .iter()
                .flat_map(|d| d.panels.iter())
                .flat_map(|p| p.queries.iter())
                .map(|q| q.expr.as_str()),
        );
    let mut found = BTreeSet::new();
    for text in texts {
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')) {
            let Some(base) = word.strip_suffix("_bucket") else {
                continue;
            };
            let starts_well = base
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':');
            if starts_well {
                found.insert(base.to_owned());
            }
        }
    }
    found.into_iter().take(MAX_HISTOGRAMS).collect()
}

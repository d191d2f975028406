//! The rules of one SLO: error-ratio recordings over the burn-rate windows
//! and the period, meta recordings, and the page and ticket burn-rate
//! alerts (see the parent module for the table).

use std::collections::BTreeMap;

use tenant_model::Slo;
use tenant_model::{Problem, Tenant};

use super::{Rule, template_text};
use crate::escape::promql;
use crate::names;

/// One hour in milliseconds.
const HOUR_MS: u64 = 3_600_000;

/// A burn-rate condition: the long and short windows, and the share of the
/// error budget (in percent) that burning at the threshold for the long
/// window spends.
pub(crate) struct Burn {
    pub(crate) long: &'static str,
    pub(crate) short: &'static str,
    pub(crate) long_ms: u64,
    pub(crate) budget_percent: u64,
}

/// The page alert's two conditions (2 % of the budget in 1h, 5 % in 6h).
pub(crate) const PAGE: [Burn; 2] = [
    Burn {
        long: "1h",
        short: "5m",
        long_ms: HOUR_MS,
        budget_percent: 2,
    },
    Burn {
        long: "6h",
        short: "30m",
        long_ms: 6 * HOUR_MS,
        budget_percent: 5,
    },
];

/// The ticket alert's two conditions (10 % of the budget in 1d, in 3d).
pub(crate) const TICKET: [Burn; 2] = [
    Burn {
        long: "1d",
        short: "2h",
        long_ms: 24 * HOUR_MS,
        budget_percent: 10,
    },
    Burn {
        long: "3d",
        short: "6h",
        long_ms: 72 * HOUR_MS,
        budget_percent: 10,
    },
];

impl Burn {
    /// The burn-rate factor for an SLO period: `share × period ÷ long
    /// window` (14.4 for 2 % of 30 days in 1h), one rounding from exact
    /// integers so it prints as the decimal it is.
    pub(crate) fn factor(&self, period_ms: u64) -> f64 {
        // u64 → f64 is exact below 2^53 ms (285 000 years).
        (self.budget_percent as f64 * period_ms as f64) / (100.0 * self.long_ms as f64)
    }
}

/// `objective` percent as a ratio, rounded to 10⁻⁹ percent so `99.9` gives
/// `0.999`, not `0.9990000000000001`.
pub(crate) fn objective_ratio(objective: f64) -> f64 {
    (objective * 1e9).round() / 1e11
}

/// The error budget of `objective` percent as a ratio (`99.9` → `0.001`).
pub(crate) fn budget_ratio(objective: f64) -> f64 {
    ((100.0 - objective) * 1e9).round() / 1e11
}

/// A number as PromQL reads it back (Rust prints the shortest text that
/// round-trips, without exponent).
pub(crate) fn number(value: f64) -> String {
    format!("{value}")
}

/// The selector of an SLO's recorded series: `{slo="<name>",<label>="<slug>"}`
/// (locked) or `{slo="<name>"}` (unlocked).
fn selector(label: &str, slug: &str, slo: &str, locked: bool) -> String {
    if locked {
        format!(
            "{{{},{}}}",
            promql::matcher(names::SLO_LABEL, slo),
            promql::matcher(label, slug)
        )
    } else {
        format!("{{{}}}", promql::matcher(names::SLO_LABEL, slo))
    }
}

/// The summary annotation of an SLO alert.
pub(crate) fn summary(slo: &str, page: bool) -> String {
    if page {
        format!("SLO {slo} is burning its error budget fast")
    } else {
        format!("SLO {slo} is burning its error budget")
    }
}

/// The annotations of an SLO alert (as the tenant sees them after
/// expansion: the promtool tests expect these).
pub(crate) fn annotations(tenant: &Tenant, s: &Slo, page: bool) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    a.insert("summary".to_owned(), summary(s.name.as_str(), page));
    if let Some(d) = &s.description {
        a.insert("description".to_owned(), d.clone());
    }
    a.insert(
        "dashboard_url".to_owned(),
        names::dashboard_path(tenant, names::SLO_DASHBOARD),
    );
    a
}

/// The rules of SLO number `index` of `tenant`.
/// An SLI query over `window` as written, for Mimir's ratio rules (no
/// tenant matcher there): a query with a `#` comment ends in a line break,
/// which ends the comment, so that it does not swallow the rest of the
/// ratio (PromQL reads a line break as white space).
fn unlocked_part(query: &str, window: &str) -> String {
    let mut part = query.replace(tenant_model::promql::WINDOW_PLACEHOLDER, window);
    if part.contains('#') {
        part.push('\n');
    }
    part
}

pub(crate) fn rules(
    memo: &super::Memo,
    tenant: &Tenant,
    label: &str,
    index: usize,
    s: &Slo,
) -> Result<Vec<Rule>, Vec<Problem>> {
    let slug = tenant.slug.as_str();
    let name = s.name.as_str();
    let mut problems = Vec::new();
    let mut rules = Vec::with_capacity(15);
    let mut labels = BTreeMap::new();
    labels.insert(label.to_owned(), slug.to_owned());
    labels.insert(names::SLO_LABEL.to_owned(), name.to_owned());

    let period = s.period.as_str();
    let windows = names::SLO_WINDOWS
        .iter()
        .map(|w| (names::slo_error_ratio(w), *w))
        .chain(std::iter::once((
            names::SLO_ERROR_RATIO_PERIOD.to_owned(),
            period,
        )));
    for (record, window) in windows {
        let mut pair = [String::new(), String::new()];
        for (slot, (field, query)) in pair.iter_mut().zip([
            ("error_query", &s.sli.error_query),
            ("total_query", &s.sli.total_query),
        ]) {
            match memo.lock_sli(query, window, label, slug) {
                Ok(locked) => *slot = locked,
                Err(e) => {
                    let pointer = format!("/monitoring/slos/{index}/sli/{field}");
                    if !problems.iter().any(|p: &Problem| p.pointer() == pointer) {
                        problems.push(Problem::new(pointer, e.message()));
                    }
                }
            }
        }
        let [error, total] = pair;
        let unlocked = format!(
            "({}) / ({})",
            unlocked_part(&s.sli.error_query, window),
            unlocked_part(&s.sli.total_query, window)
        );
        rules.push(record_rule(
            record,
            format!("({error}) / ({total})"),
            unlocked,
            &labels,
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let objective = objective_ratio(s.objective);
    let budget = budget_ratio(s.objective);
    let locked = selector(label, slug, name, true);
    let unlocked = selector(label, slug, name, false);
    let both = |f: &dyn Fn(&str) -> String| (f(&locked), f(&unlocked));

    let (l, u) = both(&|_| format!("vector({})", number(objective)));
    rules.push(record_rule(names::SLO_OBJECTIVE.to_owned(), l, u, &labels));
    let (l, u) = both(&|_| format!("vector({})", number(budget)));
    rules.push(record_rule(
        names::SLO_ERROR_BUDGET.to_owned(),
        l,
        u,
        &labels,
    ));
    let (l, u) = both(&|sel| format!("{}{sel} / {}", names::slo_error_ratio("5m"), number(budget)));
    rules.push(record_rule(
        names::SLO_CURRENT_BURN_RATE.to_owned(),
        l,
        u,
        &labels,
    ));
    let (l, u) = both(&|sel| {
        format!(
            "{}{sel} / {}",
            names::SLO_ERROR_RATIO_PERIOD,
            number(budget)
        )
    });
    rules.push(record_rule(
        names::SLO_PERIOD_BURN_RATE.to_owned(),
        l,
        u,
        &labels,
    ));
    let (l, u) = both(&|sel| format!("1 - {}{sel}", names::SLO_PERIOD_BURN_RATE));
    rules.push(record_rule(
        names::SLO_BUDGET_REMAINING.to_owned(),
        l,
        u,
        &labels,
    ));

    let period_ms = s.period.millis();
    for (alert, severity, burns, page) in [
        (names::SLO_PAGE_ALERT, "critical", &PAGE, true),
        (names::SLO_TICKET_ALERT, "warning", &TICKET, false),
    ] {
        let (l, u) = both(&|sel| {
            burns
                .iter()
                .map(|b| {
                    let threshold =
                        format!("({} * {})", number(b.factor(period_ms)), number(budget));
                    format!(
                        "({}{sel} > {threshold} and {}{sel} > {threshold})",
                        names::slo_error_ratio(b.long),
                        names::slo_error_ratio(b.short),
                    )
                })
                .collect::<Vec<_>>()
                .join(" or ")
        });
        let mut alert_labels = labels.clone();
        alert_labels.insert("severity".to_owned(), severity.to_owned());
        rules.push(Rule {
            record: None,
            alert: Some(alert.to_owned()),
            expr: l,
            unlocked_expr: u,
            for_duration: None,
            labels: alert_labels,
            annotations: annotations(tenant, s, page)
                .into_iter()
                .map(|(k, v)| (k, template_text(&v)))
                .collect(),
        });
    }
    Ok(rules)
}

fn record_rule(
    record: String,
    expr: String,
    unlocked_expr: String,
    labels: &BTreeMap<String, String>,
) -> Rule {
    Rule {
        record: Some(record),
        alert: None,
        expr,
        unlocked_expr,
        for_duration: None,
        labels: labels.clone(),
        annotations: BTreeMap::new(),
    }
}

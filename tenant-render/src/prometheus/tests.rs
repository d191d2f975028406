//! Generated promtool unit tests (`prometheus/tests/<slug>.slo.test.yml`)
//! for the SLO burn-rate alerts.
//!
//! For each SLO, three test groups feed synthetic counters that burn the
//! error budget at 20× (the page and the ticket alert fire), 4× (only the
//! ticket fires) and 0.5× (nothing fires), and check at 2h the exact alerts
//! of every SLO of the tenant, with their labels and annotations.
//!
//! The input series are derived from the SLI queries themselves, parsed
//! with `promql-parser`: an SLI is supported when both queries are linear
//! combinations (`+`, `-`, multiplication or division by a number) of
//! `sum(rate(selector[$window]))` or `sum(irate(...))` terms (`sum by
//! (...)` too, when the synthetic series lack those labels) — the shape of
//! request-ratio SLIs (`code=~"5.."` over all requests) and of latency SLIs
//! (`_count` minus the `_bucket{le="..."}` under the threshold). For each
//! selector one series is made that it matches (exact matchers give the
//! value; a regular expression a string it matches, found by a small
//! heuristic and checked with the regex; negative matchers leave the label
//! out), and the counters' rates are solved so that error ÷ total is the
//! wanted ratio. Every counter starts at 0 and rises linearly, so every
//! window's ratio is the same. An SLO whose SLI has another shape (grouping,
//! `increase`, functions of the ratio, ...) gets no test; neither does a
//! case in which an untestable SLO of the same tenant would read the
//! synthetic series, or in which any SLO's ratio lands within 10⁻⁶ of a
//! threshold.

use std::collections::BTreeMap;
use std::sync::Arc;

use promql_parser::parser::{self, Expr, LabelModifier, VectorSelector, token};
use serde::Serialize;
use tenant_model::{Slo, Tenant};

use super::memo::{PLACEHOLDER_SLUG, shareable};
use super::slo;
use crate::escape::promql;
use crate::names;

/// A promtool test file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TestFile {
    rule_files: Vec<String>,
    evaluation_interval: String,
    tests: Vec<TestGroup>,
}

#[derive(Debug, Clone, Serialize)]
struct TestGroup {
    name: String,
    interval: String,
    input_series: Vec<InputSeries>,
    alert_rule_test: Vec<AlertTest>,
}

#[derive(Debug, Clone, Serialize)]
struct InputSeries {
    series: String,
    values: String,
}

#[derive(Debug, Clone, Serialize)]
struct AlertTest {
    eval_time: String,
    alertname: String,
    exp_alerts: Vec<ExpAlert>,
}

#[derive(Debug, Clone, Serialize)]
struct ExpAlert {
    exp_labels: BTreeMap<String, String>,
    exp_annotations: BTreeMap<String, String>,
}

/// The burn rates tested, with what they are called in the test names.
const CASES: [(f64, &str); 3] = [
    (20.0, "burns 20x: page and ticket fire"),
    (4.0, "burns 4x: ticket fires, page does not"),
    (0.5, "burns 0.5x: nothing fires"),
];

/// The samples of every synthetic counter: one a minute for 150 minutes.
const SAMPLES: u32 = 150;

/// When the alerts are checked (every window then holds samples).
const EVAL_TIME: &str = "2h";

/// All events per minute in the synthetic series.
const EVENTS_PER_MINUTE: f64 = 600.0;

/// A labelled series: `__name__` and its labels.
type Labels = BTreeMap<String, String>;

/// One `sum(rate(selector))` term of a linear SLI, with its coefficient.
struct Term {
    coefficient: f64,
    selector: VectorSelector,
    /// The labels of `sum by (...)`: the term is one series only when no
    /// input series it reads carries them.
    by: Vec<String>,
}

/// An SLO's SLI as linear forms, when it has the supported shape.
struct Model {
    error: Vec<Term>,
    total: Vec<Term>,
}

/// An SLO's SLI, parsed once: its model (when it has the supported shape)
/// and all its selectors, locked to `slug` (the tenant's, or the memo's
/// placeholder when the queries are shared between tenants).
pub(crate) struct SloModel {
    model: Option<Model>,
    selectors: Vec<VectorSelector>,
    slug: String,
}

fn slo_model(
    memo: Option<&super::Memo>,
    s: &Slo,
    label: &str,
    slug: &str,
) -> Option<Arc<SloModel>> {
    let (error, total) = (&s.sli.error_query, &s.sli.total_query);
    let make = |slug: &str| {
        Some(SloModel {
            model: model(s, label, slug),
            selectors: all_selectors(s, label, slug),
            slug: slug.to_owned(),
        })
    };
    match memo {
        Some(memo) if shareable(error, label) && shareable(total, label) => {
            memo.model(error, total, || make(PLACEHOLDER_SLUG))
        }
        _ => make(slug).map(Arc::new),
    }
}

/// The test file of `tenant`'s SLOs, or `None` when none can be tested.
pub(crate) fn file(
    memo: &super::Memo,
    tenant: &Tenant,
    label: &str,
    slos: &[Slo],
) -> Option<TestFile> {
    let slug = tenant.slug.as_str();
    let mut parsed: Vec<Arc<SloModel>> = slos
        .iter()
        .map(|s| slo_model(Some(memo), s, label, slug))
        .collect::<Option<_>>()?;
    // The expectations compare every SLO with the same series: when some
    // SLIs are shared and some are not, parse them all for this tenant.
    if parsed.iter().any(|p| p.slug != PLACEHOLDER_SLUG)
        && parsed.iter().any(|p| p.slug == PLACEHOLDER_SLUG)
    {
        parsed = slos
            .iter()
            .map(|s| slo_model(None, s, label, slug))
            .collect::<Option<_>>()?;
    }
    let mut tests = Vec::new();
    for (s, sm) in slos.iter().zip(&parsed) {
        let Some(m) = &sm.model else { continue };
        let Some(candidates) = candidates(m) else {
            continue;
        };
        let budget = slo::budget_ratio(s.objective);
        for (burn, what) in CASES {
            let Some(rates) = solve(m, &candidates, burn * budget) else {
                continue;
            };
            if let Some(group) = case(
                tenant,
                label,
                slos,
                &parsed,
                &sm.slug,
                s,
                what,
                &candidates,
                &rates,
            ) {
                tests.push(group);
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    Some(TestFile {
        rule_files: vec![format!("../rules/{slug}.slo.rules.yml")],
        evaluation_interval: "1m".to_owned(),
        tests,
    })
}

/// One test group: the input series and the expected alerts of every SLO.
#[expect(clippy::too_many_arguments, reason = "one call site, all context")]
fn case(
    tenant: &Tenant,
    label: &str,
    slos: &[Slo],
    parsed: &[Arc<SloModel>],
    model_slug: &str,
    slo_under_test: &Slo,
    what: &str,
    candidates: &[Labels],
    rates: &[f64],
) -> Option<TestGroup> {
    let mut page = Vec::new();
    let mut ticket = Vec::new();
    for (s, sm) in slos.iter().zip(parsed) {
        // Never true (see `file`); a mix would compare unlike series.
        if sm.slug != model_slug {
            debug_assert!(false, "SLI models locked to different slugs");
            return None;
        }
        let Some(m) = &sm.model else {
            // An SLO we cannot model must not read the synthetic series.
            if sm
                .selectors
                .iter()
                .any(|sel| candidates.iter().any(|c| matches(sel, c)))
            {
                return None;
            }
            continue;
        };
        let (Some(error), Some(total)) = (
            value(&m.error, candidates, rates).ok()?,
            value(&m.total, candidates, rates).ok()?,
        ) else {
            continue;
        };
        let ratio = error / total;
        let budget = slo::budget_ratio(s.objective);
        let period_ms = s.period.millis();
        let fires = |burns: &[slo::Burn]| -> Option<bool> {
            let mut any = false;
            for b in burns {
                let threshold = b.factor(period_ms) * budget;
                if (ratio - threshold).abs() <= 1e-6 * threshold.abs().max(1e-12) {
                    return None;
                }
                any |= ratio > threshold;
            }
            Some(any)
        };
        let pages = fires(&slo::PAGE)?;
        let tickets = fires(&slo::TICKET)?;
        let expected = |page: bool, severity: &str| {
            let mut labels = BTreeMap::new();
            labels.insert(label.to_owned(), tenant.slug.as_str().to_owned());
            labels.insert(names::SLO_LABEL.to_owned(), s.name.as_str().to_owned());
            labels.insert("severity".to_owned(), severity.to_owned());
            ExpAlert {
                exp_labels: labels,
                exp_annotations: slo::annotations(tenant, s, page),
            }
        };
        if pages {
            page.push(expected(true, "critical"));
        }
        if tickets {
            ticket.push(expected(false, "warning"));
        }
    }
    let input_series = candidates
        .iter()
        .zip(rates)
        .map(|(c, r)| InputSeries {
            series: series_text(c, label, model_slug, tenant.slug.as_str()),
            values: format!("0+{}x{SAMPLES}", slo::number(r * EVENTS_PER_MINUTE)),
        })
        .collect();
    Some(TestGroup {
        name: format!("SLO {} {what}", slo_under_test.name.as_str()),
        interval: "1m".to_owned(),
        input_series,
        alert_rule_test: vec![
            AlertTest {
                eval_time: EVAL_TIME.to_owned(),
                alertname: names::SLO_PAGE_ALERT.to_owned(),
                exp_alerts: page,
            },
            AlertTest {
                eval_time: EVAL_TIME.to_owned(),
                alertname: names::SLO_TICKET_ALERT.to_owned(),
                exp_alerts: ticket,
            },
        ],
    })
}

/// `metric{label="value",...}` in promtool's series notation, the tenant
/// label's value `model_slug` replaced by the tenant's `slug`.
fn series_text(labels: &Labels, label: &str, model_slug: &str, slug: &str) -> String {
    let name = labels.get("__name__").map_or("", String::as_str);
    let rest: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != "__name__")
        .map(|(k, v)| {
            if k == label && v == model_slug {
                promql::matcher(k, slug)
            } else {
                promql::matcher(k, v)
            }
        })
        .collect();
    format!("{name}{{{}}}", rest.join(","))
}

/// The SLI of `s`, locked and parsed with a 5m window, as linear forms.
fn model(s: &Slo, label: &str, slug: &str) -> Option<Model> {
    let parse = |q: &str| -> Option<Vec<Term>> {
        let locked = promql::lock_sli(q, "5m", label, slug).ok()?;
        let tree = parser::parse(&locked).ok()?;
        linear(&tree, 0)
    };
    Some(Model {
        error: parse(&s.sli.error_query)?,
        total: parse(&s.sli.total_query)?,
    })
}

/// Every vector selector of the SLO's two queries (locked), for checking
/// whether an untestable SLO reads the synthetic series.
fn all_selectors(s: &Slo, label: &str, slug: &str) -> Vec<VectorSelector> {
    let mut out = Vec::new();
    for q in [&s.sli.error_query, &s.sli.total_query] {
        if let Some(tree) = promql::lock_sli(q, "5m", label, slug)
            .ok()
            .and_then(|l| parser::parse(&l).ok())
        {
            collect(&tree, &mut out, 0);
        }
    }
    out
}

fn collect(e: &Expr, out: &mut Vec<VectorSelector>, depth: usize) {
    if depth > 64 {
        return;
    }
    let d = depth + 1;
    match e {
        Expr::Aggregate(a) => {
            collect(&a.expr, out, d);
            if let Some(p) = &a.param {
                collect(p, out, d);
            }
        }
        Expr::Unary(u) => collect(&u.expr, out, d),
        Expr::Binary(b) => {
            collect(&b.lhs, out, d);
            collect(&b.rhs, out, d);
        }
        Expr::Paren(p) => collect(&p.expr, out, d),
        Expr::Subquery(s) => collect(&s.expr, out, d),
        Expr::VectorSelector(v) => out.push(v.clone()),
        Expr::MatrixSelector(m) => out.push(m.vs.clone()),
        Expr::Call(c) => {
            for a in &c.args.args {
                collect(a, out, d);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// The expression as a linear combination of `sum(rate(selector))` terms.
fn linear(e: &Expr, depth: usize) -> Option<Vec<Term>> {
    if depth > 32 {
        return None;
    }
    match e {
        Expr::Paren(p) => linear(&p.expr, depth + 1),
        Expr::Aggregate(a) => {
            if a.op.id() != token::T_SUM || a.param.is_some() {
                return None;
            }
            let by = match &a.modifier {
                None => Vec::new(),
                Some(LabelModifier::Include(labels)) => labels.labels.clone(),
                Some(LabelModifier::Exclude(_)) => return None,
            };
            let Expr::Call(c) = a.expr.as_ref() else {
                return None;
            };
            if !matches!(c.func.name, "rate" | "irate") {
                return None;
            }
            let [arg] = c.args.args.as_slice() else {
                return None;
            };
            let Expr::MatrixSelector(m) = arg.as_ref() else {
                return None;
            };
            let vs = &m.vs;
            if vs.offset.is_some()
                || vs.at.is_some()
                || vs.name.is_none()
                || !vs.matchers.or_matchers.is_empty()
                || vs.matchers.matchers.iter().any(|m| m.name == "__name__")
            {
                return None;
            }
            Some(vec![Term {
                coefficient: 1.0,
                selector: vs.clone(),
                by,
            }])
        }
        Expr::Binary(b) => {
            if let Some(m) = &b.modifier
                && (m.return_bool || m.matching.is_some())
            {
                return None;
            }
            let op = b.op.id();
            if op == token::T_ADD || op == token::T_SUB {
                let mut lhs = linear(&b.lhs, depth + 1)?;
                let rhs = linear(&b.rhs, depth + 1)?;
                let sign = if op == token::T_SUB { -1.0 } else { 1.0 };
                lhs.extend(rhs.into_iter().map(|t| Term {
                    coefficient: sign * t.coefficient,
                    ..t
                }));
                Some(lhs)
            } else if op == token::T_MUL || op == token::T_DIV {
                let (terms, factor) = match (b.lhs.as_ref(), b.rhs.as_ref()) {
                    (inner, Expr::NumberLiteral(n)) => {
                        let f = if op == token::T_DIV {
                            1.0 / n.val
                        } else {
                            n.val
                        };
                        (linear(inner, depth + 1)?, f)
                    }
                    (Expr::NumberLiteral(n), inner) if op == token::T_MUL => {
                        (linear(inner, depth + 1)?, n.val)
                    }
                    _ => return None,
                };
                if !factor.is_finite() || factor <= 0.0 {
                    return None;
                }
                Some(
                    terms
                        .into_iter()
                        .map(|t| Term {
                            coefficient: t.coefficient * factor,
                            ..t
                        })
                        .collect(),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether `sel` selects the series `labels` (absent labels are empty).
fn matches(sel: &VectorSelector, labels: &Labels) -> bool {
    let get = |name: &str| labels.get(name).map_or("", String::as_str);
    if let Some(name) = &sel.name
        && get("__name__") != name
    {
        return false;
    }
    sel.matchers.or_matchers.is_empty()
        && sel
            .matchers
            .matchers
            .iter()
            .all(|m| m.is_match(get(&m.name)))
}

/// One series per selector of the model that it matches, deduplicated, in
/// a stable order; `None` when a selector's matchers cannot be satisfied
/// by the heuristic.
fn candidates(m: &Model) -> Option<Vec<Labels>> {
    let mut out: Vec<Labels> = Vec::new();
    for t in m.error.iter().chain(&m.total) {
        let sel = &t.selector;
        let mut labels = Labels::new();
        labels.insert("__name__".to_owned(), sel.name.clone()?);
        for matcher in &sel.matchers.matchers {
            let value = match &matcher.op {
                promql_parser::label::MatchOp::Equal => matcher.value.clone(),
                promql_parser::label::MatchOp::Re(_) => regex_example(&matcher.value),
                _ => continue,
            };
            if !value.is_empty() {
                labels.insert(matcher.name.clone(), value);
            }
        }
        if !matches(sel, &labels) {
            return None;
        }
        if !out.contains(&labels) {
            out.push(labels);
        }
    }
    Some(out)
}

/// A string a simple regular expression probably matches: the first
/// alternative, `.` and classes replaced by one character they accept,
/// quantifiers and groups dropped. The caller checks it with the regex.
fn regex_example(re: &str) -> String {
    let first = re.split('|').next().unwrap_or("");
    let mut out = String::new();
    let mut chars = first.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push('0'),
                Some('w') => out.push('a'),
                Some('s') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            },
            '.' => out.push('0'),
            '[' => {
                let class: String = chars.by_ref().take_while(|&c| c != ']').collect();
                out.extend(class.chars().find(|&c| c != '^'));
            }
            '(' | ')' | '?' | '*' | '+' | '^' | '$' => {}
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The value of a linear form given each candidate's rate: `Ok(None)` when
/// a term selects no series (PromQL then returns nothing), `Err(Unknown)`
/// when a `sum by` would split the series into several.
fn value(terms: &[Term], candidates: &[Labels], rates: &[f64]) -> Result<Option<f64>, Unknown> {
    let mut sum = 0.0;
    for t in terms {
        let mut any = false;
        for (c, r) in candidates.iter().zip(rates) {
            if matches(&t.selector, c) {
                if t.by.iter().any(|l| c.contains_key(l)) {
                    return Err(Unknown);
                }
                any = true;
                sum += t.coefficient * r;
            }
        }
        if !any {
            return Ok(None);
        }
    }
    Ok(Some(sum))
}

/// A query whose value the model cannot predict for the input series.
struct Unknown;

/// Rates (total rate 1 per second) for the candidates so that error ÷ total
/// is `ratio`: two candidates carry all events, the others none.
fn solve(m: &Model, candidates: &[Labels], ratio: f64) -> Option<Vec<f64>> {
    let coefficients = |terms: &[Term]| -> Vec<f64> {
        candidates
            .iter()
            .map(|c| {
                terms
                    .iter()
                    .filter(|t| matches(&t.selector, c))
                    .map(|t| t.coefficient)
                    .sum()
            })
            .collect()
    };
    let a = coefficients(&m.error);
    let b = coefficients(&m.total);
    let n = candidates.len();
    for i in 0..n {
        for j in 0..n {
            let (ai, aj, bi, bj) = (*a.get(i)?, *a.get(j)?, *b.get(i)?, *b.get(j)?);
            let rates = if i == j {
                if bi <= 0.0 || ((ai / bi) - ratio).abs() > 1e-12 {
                    continue;
                }
                let mut r = vec![0.0; n];
                *r.get_mut(i)? = 1.0 / bi;
                r
            } else {
                if j < i {
                    continue;
                }
                let det = ai * bj - aj * bi;
                if det.abs() < 1e-12 {
                    continue;
                }
                let x = (ratio * bj - aj) / det;
                let y = (ai - ratio * bi) / det;
                if x < 0.0 || y < 0.0 || !x.is_finite() || !y.is_finite() {
                    continue;
                }
                let mut r = vec![0.0; n];
                *r.get_mut(i)? = x;
                *r.get_mut(j)? = y;
                r
            };
            let error = value(&m.error, candidates, &rates).ok()??;
            let total = value(&m.total, candidates, &rates).ok()??;
            if total > 0.0 && ((error / total) - ratio).abs() <= 1e-9 * ratio.max(1e-12) {
                return Some(rates);
            }
        }
    }
    None
}

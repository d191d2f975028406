//! The PromQL tenant lock: every vector and matrix selector of a tenant's
//! query, at any depth, gets the exact matcher `<tenant_label>="<slug>"`,
//! through a real PromQL parser (`promql-parser`, the grammar of Prometheus
//! 3.x), and the expression is printed again for Prometheus to load.
//!
//! prom-label-proxy and the Prometheus Operator's `enforcedNamespaceLabel`
//! enforce a label when a query runs; this lock enforces it when rules and
//! dashboards are generated, so a rule that could read another tenant's
//! series never reaches Prometheus. A query that already matches the tenant
//! label is refused unless it matches exactly the tenant's own value: another
//! value, a regular expression or a negative matcher would widen or
//! contradict the lock.
//!
//! The printed expression must load in Prometheus 2.42 (the compatibility
//! floor), so the grammar of later versions is refused with a clear message:
//! `or` inside a selector's braces, quoted (UTF-8) metric and label names,
//! and functions and aggregations that 2.42 does not have.
//!
//! ```
//! use tenant_model::promql::lock;
//!
//! let locked = lock(r#"sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))"#, "tenant", "acme-music")?;
//! assert_eq!(
//!     locked,
//!     r#"sum(rate(http_requests_total{code=~"5..",tenant="acme-music"}[5m])) / sum(rate(http_requests_total{tenant="acme-music"}[5m]))"#
//! );
//! assert!(lock(r#"up{tenant="other"}"#, "tenant", "acme-music").is_err());
//! # Ok::<(), tenant_model::promql::LockError>(())
//! ```

use std::fmt;

use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::{self, Expr, VectorSelector};

/// Why a query cannot be locked to its tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LockError {
    message: String,
}

impl LockError {
    fn new(message: impl Into<String>) -> Self {
        LockError {
            message: message.into(),
        }
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LockError {}

/// What the SLI queries' `$window` placeholder stands for.
pub const WINDOW_PLACEHOLDER: &str = "$window";

/// Queries longer than this are refused before parsing (the model allows
/// 10 000 characters; the parser's work grows with the text).
const MAX_QUERY_BYTES: usize = 10_000;

/// Binary and unary operators at most per query, counted before parsing:
/// the parser's work grows with the square of their number (4 000 `+` take
/// about 0.1 s, 200 take about 0.3 ms), and no hand-written rule needs more than a few dozen.
const MAX_OPERATORS: usize = 200;

/// Selectors at most this deep in the expression tree; deeper trees are
/// refused (the walk is recursive, like the parser's own).
const MAX_DEPTH: usize = 256;

/// Parses `expr`, adds `label="value"` to every selector and prints it again.
///
/// Fails when the text is not PromQL, uses grammar or functions Prometheus
/// 2.42 does not read, or already matches `label` with anything but
/// `="value"`.
pub fn lock(expr: &str, label: &str, value: &str) -> Result<String, LockError> {
    if expr.len() > MAX_QUERY_BYTES {
        return Err(LockError::new(format!(
            "is longer than {MAX_QUERY_BYTES} bytes"
        )));
    }
    if expr.trim().is_empty() {
        return Err(LockError::new("is not a PromQL expression: it is empty"));
    }
    let operators = count_operators(expr);
    if operators > MAX_OPERATORS {
        return Err(LockError::new(format!(
            "has more than {MAX_OPERATORS} operators; split it into recording rules"
        )));
    }
    let mut tree = parser::parse(expr).map_err(|e| {
        LockError::new(format!(
            "is not valid PromQL: {}",
            crate::show::escape_controls(&one_line(&e))
        ))
    })?;
    let mut lock = Lock { label, value };
    lock.expr(&mut tree, 0)?;
    Ok(tree.to_string())
}

/// [`lock`] for an SLI query: `$window` is replaced by `window` first.
pub fn lock_sli(query: &str, window: &str, label: &str, value: &str) -> Result<String, LockError> {
    if !query.contains(WINDOW_PLACEHOLDER) {
        return Err(LockError::new(format!(
            "has no `{WINDOW_PLACEHOLDER}` placeholder where the range of its rate goes, e.g. `rate(requests_total[{WINDOW_PLACEHOLDER}])`"
        )));
    }
    lock(&query.replace(WINDOW_PLACEHOLDER, window), label, value)
}

/// Operators of `expr` (symbols outside strings and braces, and the words
/// `and`, `or`, `unless`, `atan2`), counted in one pass; an over-count
/// (a `-` in `1e-5`) only makes the bound stricter.
pub(crate) fn count_operators(expr: &str) -> usize {
    // Byte by byte: every byte that matters here is ASCII, and no byte of
    // a multi-byte character is one of them (such a byte ends a word, as
    // the character did). This runs for every query of every tenant
    // validated, so it allocates nothing.
    let bytes = expr.as_bytes();
    let is_keyword = |word: &[u8]| {
        [b"and".as_slice(), b"or", b"unless", b"atan2"]
            .iter()
            .any(|k| word.eq_ignore_ascii_case(k))
    };
    let mut count = 0;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut braces = 0usize;
    let mut word_start: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' && q != b'`' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'_' {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take()
            && bytes.get(start..i).is_some_and(is_keyword)
        {
            count += 1;
        }
        match b {
            b'"' | b'\'' | b'`' => quote = Some(b),
            b'{' => braces += 1,
            b'}' => braces = braces.saturating_sub(1),
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'<' | b'>' | b'=' | b'!' if braces == 0 => {
                count += 1
            }
            _ => {}
        }
    }
    if let Some(start) = word_start
        && bytes.get(start..).is_some_and(is_keyword)
    {
        count += 1;
    }
    count
}

/// The parser's messages can span lines; a diagnostic is one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Functions of Prometheus 2.42's PromQL. Later ones (`sort_by_label`,
/// `mad_over_time`, `info`, `double_exponential_smoothing`, ...) are refused:
/// the rendered rules must load in 2.42.
const FUNCTIONS_2_42: &[&str] = &[
    "abs",
    "absent",
    "absent_over_time",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "avg_over_time",
    "ceil",
    "changes",
    "clamp",
    "clamp_max",
    "clamp_min",
    "cos",
    "cosh",
    "count_over_time",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "deg",
    "delta",
    "deriv",
    "exp",
    "floor",
    "histogram_count",
    "histogram_fraction",
    "histogram_quantile",
    "histogram_sum",
    "hour",
    "idelta",
    "increase",
    "irate",
    "label_join",
    "label_replace",
    "last_over_time",
    "ln",
    "log10",
    "log2",
    "max_over_time",
    "min_over_time",
    "minute",
    "month",
    "pi",
    "predict_linear",
    "present_over_time",
    "quantile_over_time",
    "rad",
    "rate",
    "resets",
    "round",
    "scalar",
    "sgn",
    "sin",
    "sinh",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev_over_time",
    "stdvar_over_time",
    "sum_over_time",
    "tan",
    "tanh",
    "time",
    "timestamp",
    "vector",
    "year",
];

/// Aggregation operators of Prometheus 2.42 (not `limitk`, `limit_ratio`).
const AGGREGATIONS_2_42: &[&str] = &[
    "avg",
    "bottomk",
    "count",
    "count_values",
    "group",
    "max",
    "min",
    "quantile",
    "stddev",
    "stdvar",
    "sum",
    "topk",
];

struct Lock<'a> {
    label: &'a str,
    value: &'a str,
}

impl Lock<'_> {
    fn expr(&mut self, expr: &mut Expr, depth: usize) -> Result<(), LockError> {
        if depth > MAX_DEPTH {
            return Err(LockError::new(format!(
                "nests deeper than {MAX_DEPTH} levels"
            )));
        }
        let depth = depth + 1;
        match expr {
            Expr::Aggregate(a) => {
                let op = a.op.to_string();
                if !AGGREGATIONS_2_42.contains(&op.to_ascii_lowercase().as_str()) {
                    return Err(LockError::new(format!(
                        "uses the aggregation `{op}`, which Prometheus 2.42 does not have"
                    )));
                }
                self.expr(&mut a.expr, depth)?;
                if let Some(param) = &mut a.param {
                    self.expr(param, depth)?;
                }
                Ok(())
            }
            Expr::Unary(u) => self.expr(&mut u.expr, depth),
            Expr::Binary(b) => {
                self.expr(&mut b.lhs, depth)?;
                self.expr(&mut b.rhs, depth)
            }
            Expr::Paren(p) => self.expr(&mut p.expr, depth),
            Expr::Subquery(s) => self.expr(&mut s.expr, depth),
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) => Ok(()),
            Expr::VectorSelector(v) => self.selector(v),
            Expr::MatrixSelector(m) => self.selector(&mut m.vs),
            Expr::Call(call) => {
                let name = call.func.name;
                if !FUNCTIONS_2_42.contains(&name) {
                    return Err(LockError::new(format!(
                        "calls `{name}`, which Prometheus 2.42 does not have"
                    )));
                }
                if matches!(name, "label_replace" | "label_join")
                    && let Some(Expr::StringLiteral(destination)) =
                        call.args.args.get(1).map(|a| &**a)
                    && destination.val == self.label
                {
                    return Err(LockError::new(format!(
                        "`{name}` writes the tenant label `{}`",
                        self.label
                    )));
                }
                for arg in &mut call.args.args {
                    self.expr(arg, depth)?;
                }
                Ok(())
            }
            Expr::Extension(_) => Err(LockError::new("holds an expression tenant-kit cannot lock")),
        }
    }

    fn selector(&mut self, v: &mut VectorSelector) -> Result<(), LockError> {
        if !v.matchers.or_matchers.is_empty() {
            return Err(LockError::new(
                "uses `or` inside a selector's braces, which Prometheus 2.42 does not read",
            ));
        }
        if let Some(name) = &v.name
            && !is_legacy_name(name, true)
        {
            return Err(LockError::new(format!(
                "uses the quoted metric name {}, which Prometheus 2.42 does not read",
                crate::show::quote(name)
            )));
        }
        let mut locked = false;
        for m in &v.matchers.matchers {
            if !is_legacy_name(&m.name, false) {
                return Err(LockError::new(format!(
                    "uses the quoted label name {}, which Prometheus 2.42 does not read",
                    crate::show::quote(&m.name)
                )));
            }
            if m.name == "__name__" && !is_legacy_name(&m.value, true) && m.op == MatchOp::Equal {
                return Err(LockError::new(format!(
                    "matches the metric name {}, which Prometheus 2.42 cannot store",
                    crate::show::quote(&m.value)
                )));
            }
            if m.name != self.label {
                continue;
            }
            match &m.op {
                MatchOp::Equal if m.value == self.value => locked = true,
                MatchOp::Equal => {
                    return Err(LockError::new(format!(
                        "matches the tenant label `{}` with {}, not the tenant's own `{}`",
                        self.label,
                        crate::show::quote(&m.value),
                        self.value
                    )));
                }
                MatchOp::NotEqual | MatchOp::Re(_) | MatchOp::NotRe(_) => {
                    return Err(LockError::new(format!(
                        "matches the tenant label `{}` with `{}`; only the exact matcher `{}=\"{}\"` is allowed (tenant-kit adds it)",
                        self.label, m.op, self.label, self.value
                    )));
                }
            }
        }
        if !locked {
            v.matchers
                .matchers
                .push(Matcher::new(MatchOp::Equal, self.label, self.value));
        }
        Ok(())
    }
}

/// Whether `name` is a metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) or, without
/// colons, a label name, as Prometheus 2.42 reads them unquoted.
fn is_legacy_name(name: &str, colons: bool) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || (colons && c == ':'));
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colons && c == ':'))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

    use super::*;

    fn locked(expr: &str) -> String {
        lock(expr, "tenant", "acme").unwrap()
    }

    #[test]
    fn operators_are_counted_outside_strings_and_braces() {
        for (expr, expected) in [
            ("up", 0),
            ("a and b", 1),
            ("a AND b Or c UnLess d", 3),
            ("atan2(a, b) + land + orange + android", 4),
            ("sum(x{a=\"-+*\", b!~'x\\'-'}) - 1e-5", 2),
            ("`a-b` / x{c=\"and\"} > 0", 2),
            ("é-é and é", 2),
            ("andandand", 0),
            ("x or", 1),
        ] {
            assert_eq!(count_operators(expr), expected, "{expr}");
        }
    }

    fn refused(expr: &str) -> String {
        lock(expr, "tenant", "acme")
            .unwrap_err()
            .message()
            .to_owned()
    }

    /// Counts the selectors of a printed expression that carry the lock, by
    /// parsing it again: the printed text must be PromQL and every selector
    /// in it locked.
    fn all_locked(printed: &str) -> bool {
        fn walk(e: &Expr, ok: &mut bool) {
            match e {
                Expr::Aggregate(a) => {
                    walk(&a.expr, ok);
                    if let Some(p) = &a.param {
                        walk(p, ok);
                    }
                }
                Expr::Unary(u) => walk(&u.expr, ok),
                Expr::Binary(b) => {
                    walk(&b.lhs, ok);
                    walk(&b.rhs, ok);
                }
                Expr::Paren(p) => walk(&p.expr, ok),
                Expr::Subquery(s) => walk(&s.expr, ok),
                Expr::VectorSelector(v) => *ok &= has(v),
                Expr::MatrixSelector(m) => *ok &= has(&m.vs),
                Expr::Call(c) => c.args.args.iter().for_each(|a| walk(a, ok)),
                _ => {}
            }
        }
        fn has(v: &VectorSelector) -> bool {
            v.matchers
                .matchers
                .iter()
                .any(|m| m.name == "tenant" && m.op == MatchOp::Equal && m.value == "acme")
        }
        let tree = parser::parse(printed).unwrap();
        let mut ok = true;
        walk(&tree, &mut ok);
        ok
    }

    #[test]
    fn every_selector_at_any_depth_is_locked() {
        let cases = [
            "up",
            "up == 0",
            r#"sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / ignoring(code) group_left sum by (job) (rate(http_requests_total[5m]))"#,
            "max_over_time(rate(errors_total[5m])[1h:1m])",
            "absent(up{job=\"api\"})",
            r#"label_replace(up, "instance_short", "$1", "instance", "(.*):.*")"#,
            "rate(x[5m] offset 1h)",
            "x @ 1700000000",
            "x offset -5m",
            "topk(3, sum by (route) (rate(x[5m])))",
            "quantile(0.9, x) > bool 2",
            "-x",
            "histogram_quantile(0.99, sum by (le) (rate(latency_bucket[5m])))",
            "x and on(instance) y unless z",
            r#"{__name__=~"job:.+"}"#,
            "vector(1) + x",
            "count_values(\"version\", build_info)",
        ];
        for case in cases {
            let out = locked(case);
            assert!(all_locked(&out), "{case} -> {out}");
            // Locking is idempotent: the locked text locks to itself.
            assert_eq!(locked(&out), out, "{case}");
        }
    }

    #[test]
    fn the_tenants_own_matcher_is_kept_once() {
        assert_eq!(locked(r#"up{tenant="acme"}"#), r#"up{tenant="acme"}"#);
    }

    #[test]
    fn other_tenant_matchers_are_refused() {
        for case in [
            r#"up{tenant="other"}"#,
            r#"up{tenant="ACME"}"#,
            r#"up{tenant!="acme"}"#,
            r#"up{tenant=~"acme|other"}"#,
            r#"up{tenant=~".*"}"#,
            r#"up{tenant!~"x"}"#,
            r#"sum(rate(x{tenant="acme"}[5m])) / sum(rate(x{tenant="b"}[5m]))"#,
            r#"max_over_time(x{tenant=""}[5m:1m])"#,
        ] {
            let message = refused(case);
            assert!(
                message.contains("tenant label `tenant`"),
                "{case}: {message}"
            );
        }
    }

    #[test]
    fn later_grammar_and_bad_text_are_refused() {
        assert!(refused("sum(rate(x[5m]").starts_with("is not valid PromQL"));
        assert!(refused("").contains("empty"));
        assert!(refused(r#"x{a="1" or b="2"}"#).contains("`or`"));
        let m = refused(r#"{"my.metric"}"#);
        assert!(m.contains("metric name"), "{m}");
        assert!(
            refused(r#"label_replace(x, "tenant", "b", "", "")"#)
                .contains("writes the tenant label")
        );
        assert!(!refused("sum(rate(x[5m]\n+\n").contains('\n'));
        assert!(refused(&"(".repeat(200)).len() < 400);
        assert!(refused(&format!("{}x{}", "(".repeat(300), ")".repeat(300))).contains("deeper"));
        assert!(refused(&"x+".repeat(6000)).contains("longer"));
        // Work is bounded before the parser sees the text.
        assert!(refused(&("x+".repeat(201) + "x")).contains("operators"));
        assert!(refused(&("x and ".repeat(201) + "x")).contains("operators"));
        assert!(refused(&format!("{}x", "-".repeat(201))).contains("operators"));
        // Operators inside strings and matchers do not count.
        let many = format!(
            "x{{a=\"{}\"}} + label_replace(y, \"b\", \"{}\", \"c\", \"\")",
            "+".repeat(500),
            "-".repeat(500)
        );
        assert!(lock(&many, "tenant", "acme").is_ok());
    }

    #[test]
    fn sli_queries_need_their_window() {
        let out = lock_sli("sum(rate(x[$window]))", "30m", "tenant", "acme").unwrap();
        assert_eq!(out, r#"sum(rate(x{tenant="acme"}[30m]))"#);
        assert!(lock_sli("sum(rate(x[5m]))", "30m", "tenant", "acme").is_err());
    }
}

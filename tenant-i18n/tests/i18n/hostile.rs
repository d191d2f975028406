//! Hostile override and catalog sources: deep nesting, long chains, wide
//! fans, cycles, huge lines and floods of problems. Each must give its
//! problems (asserted exactly, not timed) and never overflow the stack.

use tenant_i18n::{
    Catalog, LintKind, MAX_OVERRIDE_PROBLEMS, OVERRIDE_SIZE_LIMIT, OverrideProblem, ProblemKind,
    TenantOverrides, check_overrides, lint,
};

use crate::support::lang;

fn problems(source: &str) -> Vec<OverrideProblem> {
    assert!(
        source.len() <= OVERRIDE_SIZE_LIMIT,
        "{} bytes",
        source.len()
    );
    check_overrides(&lang("en"), source)
}

fn lines(problems: &[OverrideProblem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

const TOO_DEEP: &str = "placeables, select expressions and call arguments nest more than 32 levels deep; the source is not parsed further";

#[test]
fn deep_nesting_of_every_shape_is_one_problem() {
    let n = 10_000;
    let shapes = [
        // Nested placeables, with and without blanks, closed and unclosed.
        (
            format!("acme-x = {}$tenant{}\n", "{ ".repeat(n), " }".repeat(n)),
            "1:74",
        ),
        (format!("acme-x = {}\n", "{".repeat(n)), "1:42"),
        (format!("acme-x = {}\n", "{{{{\n".repeat(n / 4)), "9:1"),
        // Nested select expressions.
        (
            format!("acme-x = {}z\n", "{ $count ->\n *[other] ".repeat(n / 5)),
            "33:11",
        ),
        // Nested call arguments of functions, and placeables as arguments.
        (
            format!("acme-x = {{ {}$count }}\n", "NUMBER(".repeat(n / 2)),
            "1:235",
        ),
        (
            format!("acme-x = {{ {}$count }}\n", "NUMBER({ ".repeat(n / 2)),
            "1:154",
        ),
        // Nested term arguments.
        (
            format!("acme-x = {{ {}\"a\" }}\n", "-acme-t(a: ".repeat(n / 2)),
            "1:360",
        ),
    ];
    for (source, at) in shapes {
        let found = problems(&source);
        assert_eq!(
            lines(&found),
            [format!("{at}: {TOO_DEEP}")],
            "{}",
            &source[..60]
        );
        assert_eq!(found[0].kind(), ProblemKind::TooDeep);
        assert!(TenantOverrides::new([(lang("en"), source)]).is_err());
    }
    // Thirty-two levels are still parsed and checked.
    let ok = format!("acme-x = {}$tenant{}\n", "{ ".repeat(32), " }".repeat(32));
    assert_eq!(lines(&problems(&ok)), Vec::<String>::new());
}

#[test]
fn the_lint_bounds_nesting_too() {
    let deep = format!("hello = {}\n", "{".repeat(100_000));
    let catalogs = [
        Catalog {
            locale: lang("en"),
            source: "hello = Hello\n",
        },
        Catalog {
            locale: lang("fr"),
            source: &deep,
        },
    ];
    let findings = lint(&catalogs);
    assert_eq!(findings[0].kind(), LintKind::Syntax);
    assert_eq!(
        findings[0].message(),
        format!("1:41: syntax error: {TOO_DEEP}")
    );
}

/// `count` messages `m0 = { m1 }`, ..., the last one `last`.
fn chain(count: usize, term: bool, last: &str) -> String {
    let dash = if term { "-" } else { "" };
    let mut source: String = (0..count)
        .map(|i| format!("{dash}m{i} = {{ {dash}m{} }}\n", i + 1))
        .collect();
    source.push_str(&format!("{dash}m{count} = {last}\n"));
    source
}

#[test]
fn chains_of_three_thousand_references() {
    // Messages: the head needs the tail's variable, and expands too far.
    let source = format!(
        "slack-button-silence = {{ m0 }}\n{}",
        chain(3_000, false, "{ $alert }")
    );
    let found = problems(&source);
    assert_eq!(found.len(), MAX_OVERRIDE_PROBLEMS + 1);
    assert_eq!(
        lines(&found[..3]),
        [
            "1:1: message `slack-button-silence` may expand to more than 100 placeables",
            "1:26: message `m0` needs variable `$alert`, which `slack-button-silence` does not get",
            "2:1: message `m0` may expand to more than 100 placeables",
        ]
    );
    assert_eq!(
        found[MAX_OVERRIDE_PROBLEMS].to_string(),
        format!(
            "{}:1: the check stopped after 100 problems; fix these first",
            source.lines().count() + 1
        )
    );
    // A chain short enough to format is accepted.
    assert_eq!(
        lines(&problems(&chain(99, false, "end"))),
        Vec::<String>::new()
    );
    // Terms: the same chain, the same bound.
    let terms = format!(
        "slack-button-silence = {{ -m0 }}\n{}",
        chain(3_000, true, "end")
    );
    let found = problems(&terms);
    assert_eq!(found.len(), MAX_OVERRIDE_PROBLEMS + 1);
    assert_eq!(
        found[0].to_string(),
        "1:1: message `slack-button-silence` may expand to more than 100 placeables"
    );
    assert_eq!(
        found[1].to_string(),
        "2:1: term `-m0` may expand to more than 100 placeables"
    );
}

#[test]
fn cycles_long_and_short() {
    let n = 3_000;
    let cycle: String = (0..n)
        .map(|i| format!("m{i} = {{ m{} }}\n", (i + 1) % n))
        .collect();
    let found = problems(&cycle);
    assert_eq!(found.len(), MAX_OVERRIDE_PROBLEMS + 1);
    assert!(
        found[..MAX_OVERRIDE_PROBLEMS]
            .iter()
            .all(|p| p.kind() == ProblemKind::Cyclic)
    );
    assert_eq!(
        found[0].to_string(),
        "1:8: message `m0` refers back to itself through `m1`"
    );
    assert_eq!(
        lines(&problems(
            "acme-a = { acme-a }\n-acme-t = { -acme-u }\n-acme-u = { -acme-t }\n"
        )),
        [
            "1:12: message `acme-a` refers back to itself through `acme-a`",
            "2:13: term `-acme-t` refers back to itself through `-acme-u`",
            "3:13: term `-acme-u` refers back to itself through `-acme-t`",
        ]
    );
    // A message may use its own attribute: that is no cycle in Fluent.
    assert_eq!(
        lines(&problems("acme-a = { acme-a.title }\n    .title = Title\n")),
        Vec::<String>::new()
    );
}

#[test]
fn wide_fans_and_diamonds() {
    // One message referring to 3 000 others, each a leaf.
    let leaves: String = (0..3_000).map(|i| format!("l{i} = leaf\n")).collect();
    let fan: String = (0..3_000).map(|i| format!("{{ l{i} }}")).collect();
    let found = problems(&format!("acme-root = {fan}\n{leaves}"));
    assert_eq!(
        lines(&found),
        ["1:1: message `acme-root` may expand to more than 100 placeables"]
    );
    // 3 000 messages all referring to one: each is small.
    let many: String = (0..3_000).map(|i| format!("r{i} = {{ leaf }}\n")).collect();
    assert_eq!(
        lines(&problems(&format!("{many}leaf = leaf\n"))),
        Vec::<String>::new()
    );
    // Forty levels of diamonds expand to 2^40 placeables; the bound is found
    // level by level (d39 expands to 2, d38 to 6, ..., d34 to 126).
    let diamonds: String = (0..40)
        .map(|i| format!("acme-d{i} = {{ acme-d{0} }}{{ acme-d{0} }}\n", i + 1))
        .collect();
    let found = problems(&format!("{diamonds}acme-d40 = x\n"));
    assert_eq!(found.len(), 35);
    assert!(found.iter().all(|p| p.kind() == ProblemKind::TooComplex));
    assert_eq!(
        found[34].to_string(),
        "35:1: message `acme-d34` may expand to more than 100 placeables"
    );
}

#[test]
fn huge_lines_and_floods_of_problems_are_bounded() {
    // One line of 60 KiB of placeables.
    let line = format!("acme-big = {}\n", "{ $tenant }".repeat(5_000));
    assert_eq!(
        lines(&problems(&line)),
        ["1:1: message `acme-big` may expand to more than 100 placeables"]
    );
    // One line of 60 KiB of unknown references and variables.
    let unknown = format!("acme-big = {}\n", "{ acme-nope } { $nope }".repeat(2_500));
    let found = problems(&unknown);
    assert_eq!(
        lines(&found[..3]),
        [
            "1:1: message `acme-big` may expand to more than 100 placeables",
            "1:14: message `acme-nope` exists neither in the catalog nor in the overrides",
            "1:28: variable `$nope` is not given to message `acme-big`, which gets `$alert`, `$allowed`, `$binding`, `$burn_rate`, `$count`, `$days`, `$duration`, `$ends_at`, `$failed`, `$generated_at`, `$hours`, `$limit`, `$limit_days`, `$max_days`, `$minutes`, `$passed`, `$quota`, `$ratio`, `$region`, `$resolved_at`, `$role`, `$sent_at`, `$severity`, `$since`, `$slo`, `$starts_at`, `$subject`, `$tenant`, `$total`, `$used`",
        ]
    );
    assert!(found.len() <= MAX_OVERRIDE_PROBLEMS + 1);
    // Floods of forbidden content on one line: the first hundred, then one
    // last problem.
    for flood in [
        "@here ".repeat(10_000),
        "<!".repeat(30_000),
        "\u{1}".repeat(60_000),
    ] {
        let found = problems(&format!("acme-x = {flood}\n"));
        assert_eq!(found.len(), MAX_OVERRIDE_PROBLEMS + 1);
        assert!(
            found[..MAX_OVERRIDE_PROBLEMS]
                .iter()
                .all(|p| p.kind() == ProblemKind::ForbiddenContent)
        );
        assert_eq!(
            found[MAX_OVERRIDE_PROBLEMS].kind(),
            ProblemKind::TooManyProblems
        );
    }
    // A long sequence is quoted shortened.
    let long = format!("acme-x = <!{}>\n", "a".repeat(1_000));
    assert_eq!(
        lines(&problems(&long)),
        [format!(
            "1:10: slack control sequence `<!{}…>` is not allowed in templates",
            "a".repeat(38)
        )]
    );
    // Many good messages are fine.
    let many: String = (0..4_000).map(|i| format!("acme-m{i} = ok\n")).collect();
    assert_eq!(lines(&problems(&many)), Vec::<String>::new());
}

#[test]
fn problems_are_one_line_each() {
    let found = problems("acme-x = <!\u{1b}[31m\u{7f}x> { \"a\\u000a\" }\n");
    for problem in &found {
        let line = problem.to_string();
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{2028}'),
            "{line:?}"
        );
    }
    assert_eq!(
        lines(&found),
        [
            "1:10: slack control sequence `<!\\u{001b}[31m\\u{007f}x>` is not allowed in templates",
            "1:12: control character U+001B is not allowed",
            "1:17: control character U+007F is not allowed",
        ]
    );
}

#[test]
fn a_hostile_accept_language_entry_is_quoted_short_and_on_one_line() {
    let header = format!("fr, x\n\u{1b}[2J{}", "y".repeat(10_000));
    let error = tenant_i18n::AcceptLanguage::parse(&header).unwrap_err();
    let text = error.to_string();
    assert_eq!(
        text,
        format!(
            "invalid language preference `x\\u{{000a}}\\u{{001b}}[2J{}…`: not a language tag",
            "y".repeat(58)
        )
    );
}

#[test]
fn the_size_limit_counts_bytes_not_characters() {
    // 9 + 2 × 32 763 + 1 = 65 536 bytes, but only 32 773 characters.
    let exact = format!("acme-x = {}\n", "é".repeat(32_763));
    assert_eq!(exact.len(), OVERRIDE_SIZE_LIMIT);
    assert_eq!(
        lines(&check_overrides(&lang("fr"), &exact)),
        Vec::<String>::new()
    );
    let over = format!("acme-x = {}a\n", "é".repeat(32_763));
    assert_eq!(
        lines(&check_overrides(&lang("fr"), &over)),
        ["1:1: overrides are 65537 bytes, more than the limit of 65536 bytes"]
    );
}

#[test]
fn the_lint_reports_a_repeated_reference_once() {
    let repeated = format!("hello = {}\n", "{ nope } { -nope }".repeat(5_000));
    let catalogs = [Catalog {
        locale: lang("en"),
        source: &repeated,
    }];
    let findings: Vec<String> = lint(&catalogs).iter().map(ToString::to_string).collect();
    assert_eq!(findings.len(), 2, "{findings:?}");
}

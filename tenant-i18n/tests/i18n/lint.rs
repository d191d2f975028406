//! The catalog lint: quiet on the shipped catalogs, loud on broken ones.

use tenant_i18n::{Catalog, LintKind, lint};

use crate::support::lang;

/// Lints `en` plus one other catalog; `expect` is every finding, one per line.
fn check(english: &str, other: (&str, &str), expect: &str) {
    let catalogs = [
        Catalog {
            locale: lang("en"),
            source: english,
        },
        Catalog {
            locale: lang(other.0),
            source: other.1,
        },
    ];
    let got: Vec<String> = lint(&catalogs).iter().map(ToString::to_string).collect();
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn shipped_catalogs_are_complete() {
    let findings: Vec<String> = lint(&Catalog::shipped())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn missing_extra_and_obsolete_entries() {
    check(
        "-brand = Kit\nhello = Hello { $name }\n    .title = Greeting\nbye = Goodbye\n",
        ("fr", "hello = Bonjour { $nom }\nold = Vieux\n"),
        "
        fr: `-brand` of `en` is missing
        fr: message `hello` does not use variable `$name` of `en`
        fr: message `hello` uses variable `$nom`, which `en` does not give it
        fr: message `hello` lacks attribute `.title` of `en`
        fr: `bye` of `en` is missing
        fr: `old` is not in `en`
        ",
    );
}

#[test]
fn plural_variants_must_cover_the_language() {
    let english = "items = { $n ->\n    [one] one item\n   *[other] { $n } items\n}\n";
    check(
        english,
        ("de", "items = { $n ->\n   *[other] { $n } Dinge\n}\n"),
        "de: a plural select of `items` has no variant for `one`",
    );
    check(
        english,
        (
            "fr",
            "items = { $n ->\n    [one] un objet\n    [few] quelques objets\n   *[other] { $n } objets\n}\n",
        ),
        "fr: a plural select of `items` has a variant `few`, a category the language does not use",
    );
    check(
        "items = { $n ->\n   *[other] { $n } items\n}\n",
        (
            "it",
            "items = { $n ->\n    [one] un oggetto\n   *[other] { $n } oggetti\n}\n",
        ),
        "en: a plural select of `items` has no variant for `one`",
    );
}

#[test]
fn untranslated_copies_of_english_are_found() {
    check(
        "a = Error ratio\nb = SLO\nc = Latency p99\nd = { $slo } SLO\n",
        (
            "es",
            "a = Error ratio\nb = SLO\nc = Latencia p99\nd = { $slo } SLO\n",
        ),
        "es: message `a` is the English text; translate it",
    );
}

/// German borrows `Runbook`, `Status` and `Limit`; French does not.
#[test]
fn loanwords_are_accepted_in_their_language_only() {
    let english = "a = Runbook\nb = Status\nc = Limit\nd = Storage\n";
    check(
        english,
        ("de", "a = Runbook\nb = Status\nc = Limit\nd = Storage\n"),
        "de: message `d` is the English text; translate it",
    );
    check(
        english,
        ("fr", "a = Runbook\nb = Status\nc = Limite\nd = Stockage\n"),
        "
        fr: message `a` is the English text; translate it
        fr: message `b` is the English text; translate it
        ",
    );
}

#[test]
fn broken_syntax_references_and_functions() {
    check(
        "a = A\nb = { a } { -t }\n-t = T\n",
        (
            "it",
            "a = A it\nb = { a } { -t } { missing } { SHOUT($x) }\nc d e\n-t = T\n",
        ),
        "
        it: 3:3: syntax error: Expected a token starting with \"=\"
        it: `b` refers to `missing`, which the catalog lacks
        it: `b` calls unknown function `SHOUT`
        it: message `b` uses variable `$x`, which `en` does not give it
        ",
    );
}

#[test]
fn a_mutilated_shipped_catalog_is_caught() {
    let french = include_str!("../../locales/fr/tenant-kit.ftl")
        .replace("{ $count } autres alertes", "autres alertes")
        .replace("slack-button-runbook = Procédure\n", "")
        .replace(
            "slack-button-silence = Mettre en sourdine",
            "slack-button-silence = Silence",
        )
        .replace(
            "    .remediation = Activez le journal d'audit pour ce client.\n",
            "",
        );
    let catalogs = [
        Catalog {
            locale: lang("en"),
            source: include_str!("../../locales/en/tenant-kit.ftl"),
        },
        Catalog {
            locale: lang("fr"),
            source: &french,
        },
    ];
    let findings = lint(&catalogs);
    let mut got: Vec<(LintKind, Option<String>)> = findings
        .iter()
        .map(|f| (f.kind(), f.id().map(str::to_owned)))
        .collect();
    got.sort_by_key(|(_, id)| id.clone());
    assert_eq!(
        got,
        [
            (
                LintKind::MissingPart,
                Some("compliance-audit-logging".to_owned())
            ),
            (
                LintKind::MissingMessage,
                Some("slack-button-runbook".to_owned())
            ),
            (
                LintKind::Untranslated,
                Some("slack-button-silence".to_owned())
            ),
        ],
        "{findings:?}"
    );
    // Dropping a placeable from one variant keeps the variable used in the
    // selector, so the lint stays quiet there; compare-locales would too.
}

#[test]
fn no_reference_catalog() {
    let catalogs = [Catalog {
        locale: lang("fr"),
        source: "a = b\n",
    }];
    let got: Vec<String> = lint(&catalogs).iter().map(ToString::to_string).collect();
    assert_eq!(got, [": no `en` catalog to compare with"]);
}

//! Tenant overrides: what `check_overrides` rejects, where, and how a
//! localizer applies the ones that pass.

use tenant_i18n::{
    Args, Error, Localizer, LocalizerConfig, OVERRIDE_SIZE_LIMIT, ProblemKind, TenantOverrides, Tz,
    check_overrides,
};

use crate::support::lang;

/// `expect` is every problem as `line:column: message`, one per line.
fn check(locale: &str, source: &str, expect: &str) {
    let problems = check_overrides(&lang(locale), source);
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, expect, "source:\n{source}");
}

#[test]
fn good_overrides_pass() {
    check("en", "slack-button-silence = Mute for an hour\n", "");
    check(
        "fr",
        "# Notre propre pied de page.\n\
         -team = Équipe Ops\n\
         acme-greeting = Bonjour { $tenant }\n\
         slack-footer = { acme-greeting }, de la part de { -team }, le { DATETIME($sent_at, dateStyle: \"short\") }\n\
         alerts-firing-count = { $count ->\n    [one] une alerte\n   *[other] { $count } alertes\n}\n",
        "",
    );
}

#[test]
fn syntax_errors_point_at_the_error() {
    check(
        "en",
        "slack-button-silence = Mute\nthis is not fluent\n",
        "2:6: syntax error: expected a token starting with `=`",
    );
    check(
        "de",
        "slack-button-silence = { $count ->\n    [one] eins\n}\n",
        // The parser notices at the closing brace.
        "3:1: syntax error: the select expression must have a default variant",
    );
    check(
        "es",
        "slack-footer = Enviado { \"sin cerrar }\n",
        "1:39: syntax error: unterminated string literal",
    );
}

#[test]
fn unknown_references_and_variables() {
    check(
        "en",
        "slack-button-silence = Mute { $who }\n",
        "1:31: variable `$who` is not given to message `slack-button-silence`, which gets no variables",
    );
    check(
        "en",
        "alert-firing-summary = { $alert } on { $tenant }\n    in { $region }\n",
        "2:10: variable `$region` is not given to message `alert-firing-summary`, which gets `$alert`, `$severity`, `$tenant`",
    );
    check(
        "it",
        "slack-button-silence = { nessuno } e { -nessuno } e { compliance-audit-logging.nope }\n",
        "
        1:26: message `nessuno` exists neither in the catalog nor in the overrides
        1:40: term `-nessuno` exists neither in the catalog nor in the overrides
        1:55: message `compliance-audit-logging` has no attribute `.nope`
        ",
    );
    check(
        "en",
        "slack-button-silence = Mute { alert-firing-summary }\n",
        "
        1:31: message `alert-firing-summary` needs variable `$alert`, which `slack-button-silence` does not get
        1:31: message `alert-firing-summary` needs variable `$severity`, which `slack-button-silence` does not get
        1:31: message `alert-firing-summary` needs variable `$tenant`, which `slack-button-silence` does not get
        ",
    );
    // A new message may use any variable the catalog uses, but no other.
    check(
        "en",
        "acme-note = For { $tenant } with { $password }\n",
        "1:36: variable `$password` is not given to message `acme-note`, which gets `$alert`, `$allowed`, `$binding`, `$burn_rate`, `$count`, `$days`, `$duration`, `$ends_at`, `$failed`, `$generated_at`, `$hours`, `$limit`, `$limit_days`, `$max_days`, `$minutes`, `$passed`, `$quota`, `$ratio`, `$region`, `$resolved_at`, `$role`, `$sent_at`, `$severity`, `$since`, `$slo`, `$starts_at`, `$subject`, `$tenant`, `$total`, `$used`",
    );
}

#[test]
fn hostile_content_is_rejected() {
    check(
        "en",
        "-brand = Evil Corp\n",
        "1:1: term `-brand` is defined by the catalog and cannot be overridden",
    );
    check(
        "en",
        "slack-button-silence = { SHELL(\"rm -rf\") }\n",
        "1:26: function `SHELL` does not exist; use `NUMBER` or `DATETIME`",
    );
    check(
        "en",
        "slack-button-silence = Hey <!channel> and @here, \u{202e}reversed\n",
        "
        1:28: slack control sequence `<!channel>` is not allowed in templates
        1:43: slack mention `@here` is not allowed in templates
        1:50: bidirectional control character U+202E is not allowed
        ",
    );
    check(
        "en",
        "acme-a = { acme-b }\nacme-b = { acme-a }\n",
        "
        1:12: message `acme-a` refers back to itself through `acme-b`
        2:12: message `acme-b` refers back to itself through `acme-a`
        ",
    );
    check(
        "en",
        "acme-a = x\nacme-a = y\n",
        "2:1: message `acme-a` is defined more than once",
    );
    let ten = |name: &str, next: &str| format!("{name} = {}\n", format!("{{ {next} }}").repeat(10));
    let source = [
        ten("acme-a", "acme-b"),
        ten("acme-b", "acme-c"),
        "acme-c = c\n".to_owned(),
    ]
    .concat();
    check(
        "en",
        &source,
        "1:1: message `acme-a` may expand to more than 100 placeables",
    );
    let huge = format!("acme-big = {}\n", "x".repeat(OVERRIDE_SIZE_LIMIT));
    check(
        "en",
        &huge,
        &format!(
            "1:1: overrides are {} bytes, more than the limit of 65536 bytes",
            huge.len()
        ),
    );
}

#[test]
fn overrides_keep_what_the_renderers_use() {
    check(
        "fr",
        "compliance-audit-logging = Journalisation\n    .finding = Rien n'est journalisé.\n",
        "1:1: override of `compliance-audit-logging` drops attribute `.remediation`, which the renderers use",
    );
    check(
        "pt",
        "a = b\n",
        "1:1: locale `pt` has no catalog; overrides can be given for `en`, `fr`, `de`, `es`, `it`",
    );
}

#[test]
fn problems_carry_kinds_for_tools() {
    let problems = check_overrides(&lang("en"), "-brand = x\nslack-button-silence = { $x }\n");
    let kinds: Vec<ProblemKind> = problems.iter().map(|p| p.kind()).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::ShadowsCatalogTerm,
            ProblemKind::UnknownVariable
        ]
    );
    assert_eq!((problems[1].line(), problems[1].column()), (2, 26));
    assert!(problems[1].message().starts_with("variable `$x`"));
}

#[test]
fn overrides_apply_to_their_tenant_only() {
    let overrides = TenantOverrides::new([
        (lang("fr"), "slack-button-silence = Faire taire\nacme-hello = Bonjour { $tenant }\nslack-footer = { acme-hello } ({ -brand })\n"),
        (lang("en"), "slack-button-silence = Hush\n"),
    ])
    .unwrap();
    let mut config = LocalizerConfig::new(lang("fr"), Tz::Europe__Paris);
    config.overrides = overrides;
    let tenant = Localizer::new(&config);
    let other = Localizer::new(&LocalizerConfig::new(lang("fr"), Tz::Europe__Paris));
    let none = Args::new();
    assert_eq!(
        tenant.format("slack-button-silence", &none).unwrap(),
        "Faire taire"
    );
    assert_eq!(
        other.format("slack-button-silence", &none).unwrap(),
        "Mettre en sourdine"
    );
    let args = Args::new().with("tenant", "Acme");
    assert_eq!(
        tenant.format("slack-footer", &args).unwrap(),
        "Bonjour Acme (tenant-kit)"
    );
    // Messages the tenant did not override come from the catalog.
    assert_eq!(tenant.format("status-firing", &none).unwrap(), "En cours");
}

#[test]
fn invalid_overrides_are_refused_with_their_problems() {
    let error = TenantOverrides::new([
        (lang("en"), "slack-button-silence = Hush\n"),
        (lang("de"), "slack-button-silence = { $x }\n-brand = y\n"),
    ])
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "overrides for locale `de` are invalid: 1:26: variable `$x` is not given to message `slack-button-silence`, which gets no variables (and 1 more)"
    );
    let Error::InvalidOverrides { locale, problems } = error else {
        panic!("unexpected error");
    };
    assert_eq!(locale, "de");
    assert_eq!(problems.len(), 2);
}

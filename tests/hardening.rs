//! Regression tests of the hardening issue, one area per function, each
//! built from several hostile spellings of its class: secrets in
//! diagnostics, wrong documents accepted, forged output, lost problems and
//! unbounded work.

use tenant_kit::model::{self, Format, MAX_PROBLEMS, Problems, Tenant};

use crate::root;

fn lofi(format: Format) -> String {
    let file = match format {
        Format::Yaml => "examples/tenants/lofi-labs.yaml",
        Format::Json => "examples/tenants/json/lofi-labs.json",
        other => unreachable!("the examples have no {other:?} tenant"),
    };
    std::fs::read_to_string(root().join(file)).unwrap()
}

fn refused(text: &str, format: Format) -> Problems {
    match model::parse::<Tenant>(text, format) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(problems) => problems,
    }
}

/// Every way a problem is shown: Display, alternate Display, Debug, and
/// each problem's pointer and message.
fn everything_shown(problems: &Problems) -> String {
    let mut shown = format!("{problems} {problems:#} {problems:?}");
    for p in problems {
        shown.push_str(&format!("\n{p} {} {}", p.pointer(), p.message()));
    }
    shown
}

/// A tenant document in TOML, from the YAML example.
fn lofi_toml() -> String {
    let value: serde_json::Value = serde_saphyr::from_str(&lofi(Format::Yaml)).unwrap();
    toml::to_string(&value).unwrap()
}

#[test]
fn nothing_at_a_secret_position_is_echoed() {
    let base = lofi(Format::Yaml);
    let at_cache = |secret: &str| {
        base.replace(
            "    acl_user: lofi-labs\n    password: { env: LOFI_LABS_REDIS_PASSWORD }\n",
            &format!("    acl_user: lofi-labs\n    password: {secret}\n"),
        )
    };
    for (text, secret) in [
        (at_cache("{s3cr3tKey}"), "s3cr3tKey"),
        (at_cache("{s3cr3tKey: hunter2}"), "hunter2"),
        (at_cache("{env: \"hunter2 with spaces\"}"), "hunter2"),
        (at_cache("{env: ok_name, hunter2: x}"), "hunter2"),
        (at_cache("{file: ''}"), "file: ''"),
        (at_cache("[hunter2]"), "hunter2"),
        (at_cache("123456789"), "123456789"),
        (at_cache("{env: {nested: hunter2}}"), "hunter2"),
    ] {
        let problems = refused(&text, Format::Yaml);
        let shown = everything_shown(&problems);
        assert!(!shown.contains(secret), "{secret}: {shown}");
        assert!(
            problems
                .iter()
                .all(|p| p.pointer() == "/isolation/cache/password"),
            "{shown}"
        );
        assert!(shown.contains("invalid secret"), "{shown}");
    }
}

#[test]
fn credentials_are_never_echoed_wherever_they_appear() {
    let base = lofi(Format::Yaml);
    let credentials = [
        "https://hooks.slack.com/services/T0SECRET/B0SECRET/sEcReTtOkEn",
        "hooks.slack.com/services/T0SECRET/B0SECRET/sEcReTtOkEn",
        "services/T0SECRET/B0SECRET/sEcReTtOkEn",
        "xoxb-0000-sEcReTtOkEn",
        "XOXP-0000-sEcReTtOkEn",
        "admin:sEcReTtOkEn@db.example.com",
        "https://hooks.slack.com/services/T0 B0/sEcReT tOkEn",
        "https://hooks.slack.com/services/T0`B0/sEcReT`tOkEn",
    ];
    for credential in credentials {
        let quoted = serde_json::to_string(credential).unwrap();
        let texts = [
            // As a value of a validated text type.
            base.replace("locale: en-US", &format!("locale: {quoted}")),
            base.replace(
                "time_zone: America/New_York",
                &format!("time_zone: {quoted}"),
            ),
            // As a value of the wrong type.
            base.replace("  enabled: true", &format!("  enabled: {quoted}")),
            // As an enum value.
            base.replace("tier: starter", &format!("tier: {quoted}")),
            // As a key.
            format!("{base}{quoted}: 1\n"),
            base.replace(
                "  retention_days: 90",
                &format!("  retention_days: 90\n  {quoted}: x"),
            ),
        ];
        for text in texts {
            let problems = refused(&text, Format::Yaml);
            let shown = everything_shown(&problems);
            assert!(!shown.contains("sEcReT"), "{credential}: {shown}");
            assert!(!shown.to_lowercase().contains("hooks.slack"), "{shown}");
            assert!(shown.contains("not shown"), "{shown}");
        }
    }
}

#[test]
fn environment_switches_never_echo_a_credential() {
    let platform: model::PlatformConfig = model::parse(
        &std::fs::read_to_string(root().join("examples/platform.yaml")).unwrap(),
        Format::Yaml,
    )
    .unwrap();
    for value in [
        "https://hooks.slack.com/services/T0/B0/sEcReTtOkEn",
        "hooks.slack.com/services/T0/B0/sEcReTtOkEn",
        "xoxb-1-sEcReTtOkEn",
    ] {
        for name in [
            "SLACK_WEBHOOKS_ENABLED",
            "GRAFANA_DASHBOARDS",
            "TENANT_ISOLATION_MODE",
        ] {
            let vars = [(name.to_owned(), value.to_owned())].into_iter().collect();
            let problems = platform.switches.with_environment(&vars).unwrap_err();
            let shown = everything_shown(&problems);
            assert!(!shown.contains("sEcReT"), "{shown}");
            assert!(shown.contains(name), "{shown}");
        }
    }
    let vars = [(
        "MONITORING_ENABLED".to_owned(),
        "tr\nue\u{1b}[2J".to_owned(),
    )]
    .into_iter()
    .collect();
    let problems = platform.switches.with_environment(&vars).unwrap_err();
    assert!(!problems.to_string().contains('\n'), "{problems}");
    assert!(!problems.to_string().contains('\u{1b}'), "{problems}");
}

#[test]
fn wrong_documents_are_refused() {
    let yaml = lofi(Format::Yaml);
    let json = lofi(Format::Json);
    let toml = lofi_toml();
    let cases: Vec<(Format, String, &str, &str)> = vec![
        // Non-finite numbers are not "use the default".
        (
            Format::Toml,
            toml.replace(
                "api_requests_per_minute = 900",
                "api_requests_per_minute = nan",
            ),
            "/quotas/api_requests_per_minute",
            "finite number",
        ),
        (
            Format::Toml,
            toml.replace(
                "api_requests_per_minute = 900",
                "api_requests_per_minute = -inf",
            ),
            "/quotas/api_requests_per_minute",
            "finite number",
        ),
        (
            Format::Toml,
            toml.replace(
                "api_requests_per_minute = 900",
                "api_requests_per_minute = [1.0, +inf]",
            ),
            "/quotas/api_requests_per_minute/1",
            "finite number",
        ),
        (
            Format::Yaml,
            yaml.replace(
                "api_requests_per_minute: 900",
                "api_requests_per_minute: .nan",
            ),
            "",
            "finite number",
        ),
        (
            Format::Yaml,
            yaml.replace(
                "api_requests_per_minute: 900",
                "api_requests_per_minute: -.INF",
            ),
            "",
            "finite number",
        ),
        // A list is not a mapping.
        (
            Format::Yaml,
            yaml.replace("audit:\n", "audit: [true, 730]\nx_audit:\n"),
            "/audit",
            "invalid type: list, expected a mapping",
        ),
        (
            Format::Yaml,
            yaml.replace(
                "data_residency:\n  region: us-east-1",
                "data_residency: [us-east-1]",
            ),
            "/data_residency",
            "invalid type: list, expected a mapping",
        ),
        (
            Format::Json,
            json.replacen(
                "\"contacts\": [",
                "\"contacts\": [[\"Maya\", \"maya@lofi-labs.example\", \"owner\"], ",
                1,
            ),
            "/contacts/0",
            "invalid type: list, expected a mapping",
        ),
        // Keys written twice.
        (
            Format::Json,
            json.replacen(
                "\"slug\": \"lofi-labs\",",
                "\"slug\": \"lofi-labs\", \"slug\": \"other-one\",",
                1,
            ),
            "/slug",
            "duplicate key `slug`",
        ),
        (
            Format::Json,
            json.replacen(
                "\"region\": \"us-east-1\"",
                "\"region\": \"us-east-1\", \"region\": \"eu-west-1\"",
                1,
            ),
            "/data_residency/region",
            "duplicate key `region`",
        ),
        (
            Format::Yaml,
            yaml.replacen("slug: lofi-labs\n", "slug: lofi-labs\nslug: other-one\n", 1),
            "",
            "duplicate key `slug`",
        ),
    ];
    for (format, text, pointer, message) in cases {
        let problems = refused(&text, format);
        let found = problems
            .iter()
            .any(|p| p.pointer() == pointer && p.message().contains(message));
        assert!(found, "{format:?} {pointer} {message}: {problems:#}");
    }
    // The strict reader keeps what is valid valid.
    assert!(model::parse::<Tenant>(&toml, Format::Toml).is_ok());
    assert!(model::parse::<Tenant>(&json, Format::Json).is_ok());
}

#[test]
fn one_problem_is_one_line_whatever_the_document_holds() {
    let base = lofi(Format::Yaml);
    let hostile = [
        "a\nb",
        "a\r\nfake.yaml:1:1: /slug: forged",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{1b}]8;;http://x\u{7}link",
        "bidi\u{202e}txet",
        "nel\u{85}line",
        "ls\u{2028}ps\u{2029}",
        "del\u{7f}",
        "bom\u{feff}",
    ];
    for text in hostile {
        let quoted = serde_json::to_string(text).unwrap();
        for document in [
            base.replace(
                "time_zone: America/New_York",
                &format!("time_zone: {quoted}"),
            ),
            base.replace("tier: starter", &format!("tier: {quoted}")),
            base.replace("  enabled: true", &format!("  enabled: {quoted}")),
            format!("{base}{quoted}: 1\n"),
            base.replace(
                "  retention_days: 90",
                &format!("  retention_days: 90\n  {quoted}: {{ {quoted}: 1 }}"),
            ),
        ] {
            let problems = refused(&document, Format::Yaml);
            for p in &problems {
                let line = format!("{p}");
                assert!(
                    !line.chars().any(|c| c.is_control()
                        || matches!(
                            c,
                            '\u{202a}'..='\u{202e}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
                        )),
                    "{line:?}"
                );
            }
        }
    }
}

#[test]
fn no_problem_is_lost() {
    let base = lofi(Format::Yaml);
    // Unknown keys with backticks, quotes and escapes, and more after them.
    let text = format!(
        "{base}\"x`y\": 1\n\"a``\": 2\n\"unknown field `z`, expected `w`\": 3\n\"back\\\\slash\": 4\nlast_one: 5\n"
    );
    let problems = refused(&text, Format::Yaml);
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer()).collect();
    assert_eq!(
        pointers,
        [
            "/x`y",
            "/a``",
            "/unknown field `z`, expected `w`",
            "/back\\slash",
            "/last_one"
        ],
        "{problems:#}"
    );
    assert!(
        problems
            .iter()
            .all(|p| p.message().contains("expected one of `schema_version`"))
    );

    // A list over its maximum still shows the problems inside it.
    let contacts: String = (0..60)
        .map(|i| format!("  - {{ name: N{i}, email: not-an-email-{i}, role: owner }}\n"))
        .collect();
    let text = base.replace(
        "  - { name: Maya O'Neil, email: maya@lofi-labs.example, role: owner }\n",
        &contacts,
    );
    let problems = refused(&text, Format::Yaml);
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer(), p.message()))
        .collect();
    assert!(
        messages.contains(
            &"/contacts: must list 1 to 50 contacts, found 60; the first 50 are checked".to_owned()
        ),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"/contacts/0/email: must be an email address".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"/contacts/49/email: must be an email address".to_owned()),
        "{messages:#?}"
    );
    assert_eq!(messages.len(), 51, "{messages:#?}");

    // Every kind of line break counts, in every format.
    let marked = base.replace("time_zone: America/New_York", "time_zone: Mars/Olympus");
    for (format, text) in [
        (Format::Yaml, marked.replace('\n', "\r")),
        (Format::Yaml, marked.replace('\n', "\r\n")),
        (Format::Yaml, marked.clone()),
    ] {
        let problems = refused(&text, format);
        let p = problems.iter().next().unwrap();
        assert_eq!(
            (p.pointer(), p.line()),
            ("/time_zone", Some(11)),
            "{format:?}: {p}"
        );
    }
    let json = lofi(Format::Json).replace("\"time_zone\"", "\"time_zone\" x");
    let line = lofi(Format::Json)
        .lines()
        .position(|l| l.contains("\"time_zone\""))
        .unwrap()
        + 1;
    for text in [
        json.replace('\n', "\r"),
        json.replace('\n', "\r\n"),
        json.clone(),
    ] {
        let problems = refused(&text, Format::Json);
        assert_eq!(
            problems.iter().next().unwrap().line(),
            Some(line),
            "{problems}"
        );
    }
}

#[test]
fn large_documents_are_checked_in_bounded_work() {
    // A document near the size limit with a problem in every one of many
    // list items: the retries are bounded by the document's size and the
    // problems by the limit, and the answer says so.
    let base = lofi(Format::Json);
    let mut value: serde_json::Value = serde_json::from_str(&base).unwrap();
    let rules: Vec<serde_json::Value> = (0..40_000)
        .map(|i| {
            serde_json::json!({
                "alert": format!("Rule{i}"),
                "expr": "up == 0",
                "severity": "warning",
                "summary": "x".repeat(300),
                format!("unknown_{i}"): 1,
            })
        })
        .collect();
    value["monitoring"]["alert_rules"] = serde_json::Value::Array(rules);
    let text = serde_json::to_string(&value).unwrap();
    assert!(text.len() > 10 * 1024 * 1024, "{}", text.len());
    let problems = refused(&text, Format::Json);
    assert!(problems.len() <= MAX_PROBLEMS + 1, "{}", problems.len());
    assert!(
        problems
            .iter()
            .any(|p| p.message().contains("too large to check further")),
        "{problems:#}"
    );
}

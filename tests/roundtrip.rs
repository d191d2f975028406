//! Serialize → parse is the identity, in every format, for tenants whose free
//! text (names, descriptions, summaries, templates) holds anything: any
//! Unicode, quotes, braces, newlines, YAML and template syntax.

use proptest::prelude::*;
use tenant_kit::model::{
    self, Format, Permission, QuotaOverrides, REDACTED, Secret, Tenant, TenantStatus, Tier,
};

use crate::{documents_under, root};

fn example_tenants() -> Vec<Tenant> {
    documents_under(&root().join("examples/tenants"))
        .iter()
        .filter(|p| p.extension().unwrap() == "yaml")
        .map(|p| model::parse(&std::fs::read_to_string(p).unwrap(), Format::Yaml).unwrap())
        .collect()
}

/// Text that tends to break serializers and template engines.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{{ .Labels.x }}",
        "}}",
        "{",
        "\"",
        "'",
        "\\",
        "\n",
        "\r\n",
        "\t",
        "${x}",
        "{ $x }",
        "# not a comment",
        ": ",
        "- ",
        "&anchor",
        "*alias",
        "!!str",
        "%",
        "@channel",
        "<!here>",
        "\u{200b}",
        "\u{feff}",
        " ",
        "yes",
        "no",
        "on",
        "~",
        "null",
        "1e3",
        "0x1F",
        "2026-01-01",
        "<script>",
        "'; DROP TABLE t; --",
        "é",
        "日本語",
        "🎵",
        "\u{0}",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "[",
        "]",
        ",",
        "|",
        ">",
        "`",
    ]);
    prop_oneof![
        prop::collection::vec(any::<char>(), 1..40).prop_map(String::from_iter),
        prop::collection::vec(pieces, 1..12).prop_map(|p| p.concat()),
    ]
    .prop_filter("within the length limits", |s| {
        (1..=200).contains(&s.chars().count())
    })
}

fn permission() -> impl Strategy<Value = Permission> {
    let part = prop_oneof![Just("*".to_owned()), "[a-z][a-z0-9_-]{0,12}"];
    (part.clone(), part).prop_map(|(r, a)| Permission::new(format!("{r}:{a}")).unwrap())
}

prop_compose! {
    fn quota_overrides()(
        rpm in prop::option::of(1u32..1_000_000),
        storage in prop::option::of(1u32..100_000),
        seats in prop::option::of(1u32..100_000),
        soft in prop::option::of(1u8..=100),
        series in prop::option::of(1u64..100_000_000),
        min in prop::option::of(1u32..=10),
    ) -> QuotaOverrides {
        let mut q = QuotaOverrides {
            api_requests_per_minute: rpm,
            storage_gb: storage,
            seats,
            soft_limit_percent: soft,
            ..QuotaOverrides::default()
        };
        q.metrics.max_series = series;
        q.autoscaling.min_replicas = min;
        q.autoscaling.max_replicas = min.map(|m| m + 5);
        q
    }
}

prop_compose! {
    fn mutated_tenant()(
        base in prop::sample::select(example_tenants()),
        texts in prop::collection::vec(tricky_text(), 12),
        tier in prop::sample::select(Tier::ALL.to_vec()),
        status in prop::sample::select(vec![TenantStatus::Provisioning, TenantStatus::Active, TenantStatus::Suspended, TenantStatus::Offboarding]),
        quotas in quota_overrides(),
        permissions in prop::collection::vec(prop::collection::vec(permission(), 0..6), 4),
        objective in 0.001f64..99.999,
    ) -> Tenant {
        let mut t = base;
        t.quotas = quotas;
        for (role, perms) in t.access_control.roles.iter_mut().zip(permissions) {
            role.permissions = perms;
        }
        for slo in &mut t.monitoring.slos {
            slo.objective = objective;
        }
        let mut text = texts.into_iter().cycle();
        let mut next = || text.next().unwrap();
        t.tier = tier;
        t.status = status;
        t.display_name = next();
        t.description = Some(next());
        t.contacts[0].name = next();
        for role in &mut t.access_control.roles {
            role.description = Some(next());
        }
        for deny in &mut t.access_control.denies {
            deny.reason = next();
        }
        for grant in &mut t.access_control.cross_tenant_grants {
            grant.reason = next();
        }
        for rule in &mut t.monitoring.alert_rules {
            rule.summary = next();
            rule.description = Some(next());
            if let Some(label) = rule.labels.values_mut().next() {
                *label = next();
            }
        }
        for dashboard in &mut t.monitoring.dashboards {
            dashboard.title = next();
            for panel in &mut dashboard.panels {
                panel.title = next();
            }
        }
        for template in &mut t.slack.templates {
            for message in template.messages.values_mut() {
                *message = next();
            }
        }
        for receiver in &mut t.slack.receivers {
            receiver.username = Some(next().chars().take(80).collect());
        }
        t
    }
}

/// The tenant with inline secrets moved to environment references: inline
/// secrets are redacted when serialized, by design, so they cannot round-trip.
fn by_reference(mut t: Tenant) -> Tenant {
    let redact = |s: &mut Secret| {
        if s.expose_inline().is_some() {
            *s = Secret::Env("SECRET_FROM_ENVIRONMENT".to_owned());
        }
    };
    for r in &mut t.slack.receivers {
        redact(&mut r.webhook_url);
    }
    if let Some(p) = &mut t.isolation.database.password {
        redact(p);
    }
    if let Some(p) = &mut t.isolation.cache.password {
        redact(p);
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn serialize_then_parse_is_the_identity(tenant in mutated_tenant()) {
        let expected = by_reference(tenant.clone());
        for format in [Format::Json, Format::Yaml, Format::Toml] {
            let text = model::to_text(&tenant, format).unwrap();
            prop_assert!(!text.contains("aCmEoNcAlLsEcReTtOkEn01"), "{format:?} leaked a secret");
            prop_assert_eq!(text.contains(REDACTED), tenant.slack.receivers.iter().any(|r| r.webhook_url.expose_inline().is_some()));
            let text = model::to_text(&expected, format).unwrap();
            let back = model::parse::<Tenant>(&text, format);
            prop_assert!(back.is_ok(), "{format:?}: {}\n{text}", back.unwrap_err());
            prop_assert_eq!(back.unwrap(), expected.clone(), "{:?}", format);
        }
    }
}

#[test]
fn debug_and_errors_never_show_webhook_urls() {
    for tenant in example_tenants() {
        let shown = format!("{tenant:?} {tenant:#?}");
        assert!(!shown.contains("hooks.slack.com"), "{shown}");
    }
    // A webhook URL written in the wrong field is not quoted back either.
    let text = std::fs::read_to_string(root().join("examples/tenants/acme-music.yaml"))
        .unwrap()
        .replace(
            "channel: \"#acme-oncall\"",
            "channel: https://hooks.slack.com/services/T0ACME000/B0ONCALL0/aCmEoNcAlLsEcReTtOkEn01",
        );
    let problems = model::parse::<Tenant>(&text, Format::Yaml).unwrap_err();
    let shown = format!("{problems} {problems:?}");
    assert!(shown.contains("/slack/receivers/0/channel"), "{shown}");
    assert!(!shown.contains("hooks.slack.com"), "{shown}");

    // Nor when a slip of the keyboard makes the URL a key, or a value of the
    // wrong type.
    let base = std::fs::read_to_string(root().join("examples/tenants/lofi-labs.yaml")).unwrap();
    let url = "https://hooks.slack.com/services/T0/B0/aCmEoNcAlLsEcReTtOkEn01";
    for text in [
        format!("{base}{url}: 1\n"),
        base.replace("  enabled: true", &format!("  enabled: {url}")),
    ] {
        let problems = model::parse::<Tenant>(&text, Format::Yaml).unwrap_err();
        let shown = format!("{problems} {problems:?}");
        assert!(shown.contains("<not shown"), "{shown}");
        assert!(!shown.contains("hooks.slack.com"), "{shown}");
    }
}

/// `write` gives text that `parse` reads back equal, for every example
/// tenant in every format: references stay references, and an inline secret
/// is refused by pointer unless kept on purpose.
#[test]
fn write_then_parse_gives_the_same_tenant() {
    use tenant_kit::model::{InlineSecrets, Tenant, parse, validate, write};
    let mut refused = 0;
    for name in ["acme-music", "beatforge", "lofi-labs"] {
        let path = crate::root().join(format!("examples/tenants/{name}.yaml"));
        let tenant: Tenant = parse(&std::fs::read_to_string(path).unwrap(), Format::Yaml).unwrap();
        validate(&tenant).unwrap();
        for format in [Format::Json, Format::Yaml, Format::Toml] {
            let kept = write(&tenant, format, InlineSecrets::Keep).unwrap();
            let again: Tenant = parse(&kept, format).unwrap_or_else(|p| panic!("{name}: {p:#}"));
            assert_eq!(again, tenant, "{name} in {format:?}");
            match write(&tenant, format, InlineSecrets::Refuse) {
                Ok(text) => assert_eq!(parse::<Tenant>(&text, format).unwrap(), tenant),
                Err(problem) => {
                    refused += 1;
                    assert!(problem.pointer().ends_with("/webhook_url"), "{problem}");
                    assert!(!problem.to_string().contains("hooks.slack.com"));
                }
            }
        }
    }
    // acme-music has an inline Slack webhook; the others use references.
    assert_eq!(refused, 3);
}

/// The named enums print as they are written in documents (metrics labels
/// and logs use them), and a decision's explanation serializes.
#[test]
fn named_values_print_as_written() {
    use tenant_kit::model::{Classification, FindingSeverity};
    use tenant_kit::policy::authz::{Condition, Reason};
    for tier in Tier::ALL {
        let written = serde_json::to_value(tier).unwrap();
        assert_eq!(written.as_str(), Some(tier.to_string().as_str()));
    }
    for status in [
        TenantStatus::Provisioning,
        TenantStatus::Active,
        TenantStatus::Suspended,
        TenantStatus::Offboarding,
    ] {
        assert_eq!(
            serde_json::to_value(status).unwrap().as_str(),
            Some(status.as_str())
        );
    }
    for c in [
        Classification::Public,
        Classification::Internal,
        Classification::Confidential,
        Classification::Restricted,
    ] {
        assert_eq!(
            serde_json::to_value(c).unwrap().as_str(),
            Some(c.to_string().as_str())
        );
    }
    for s in [
        FindingSeverity::Low,
        FindingSeverity::Medium,
        FindingSeverity::High,
        FindingSeverity::Critical,
    ] {
        assert_eq!(
            serde_json::to_value(s).unwrap().as_str(),
            Some(s.to_string().as_str())
        );
    }
    assert_eq!(
        serde_json::to_value(Reason::ExplicitDeny).unwrap().as_str(),
        Some(Reason::ExplicitDeny.as_str())
    );
    let failed = Reason::ConditionFailed(Condition::Mfa);
    assert_eq!(failed.to_string(), "condition_failed");
    assert_eq!(
        serde_json::to_value(failed).unwrap(),
        serde_json::json!({ "condition_failed": "mfa" })
    );
}

//! The alerting renderers (shared Alertmanager tree, templates, Mimir
//! configs, Operator AlertmanagerConfig, Block Kit messages) over the
//! examples and the hostile corpus. The real Alertmanager checks the same
//! files in `.ci/conformance/alertmanager.sh`.

use std::collections::BTreeMap;

use serde_json::Value;
use tenant_i18n::{Localizer, LocalizerConfig, SUPPORTED_LOCALE_TAGS};
use tenant_model::{Locale, RouteTree, Tenant};
use tenant_render::slack::{
    AlertStatus, Block, LIMITS, Message, MessageOptions, WebhookAlert, WebhookPayload,
    check_limits, message, webhook_schema,
};
use tenant_render::{Bundle, FakeSecrets, InlineOnly, Options, Target, render};

use crate::corpus::{HOSTILE, examples, hostile, long_text, platform};

/// The targets that hold alerting files.
const TARGETS: [Target; 3] = [Target::Alertmanager, Target::Mimir, Target::Kubernetes];

fn alerting(tenants: &[Tenant]) -> Bundle {
    let options = Options::new(&FakeSecrets).with_targets(TARGETS);
    render(tenants, &platform(), &options).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

/// The files of the alerting renderer (the Kubernetes target also writes
/// the isolation manifests and the PrometheusRule).
fn is_alerting(path: &str) -> bool {
    path.starts_with("alertmanager/")
        || path.starts_with("mimir/alertmanager/")
        || path.ends_with("alertmanagerconfig.yml")
        || path.ends_with("slack-webhooks-secret.yml")
}

#[test]
fn example_snapshots() {
    let bundle = alerting(&examples());
    for (path, file) in bundle.iter() {
        let alerting = is_alerting(path);
        // Secret files (URLs, Mimir configs with inline URLs) are not
        // snapshotted: a snapshot is a plain file in the repository.
        if alerting && !file.is_secret() {
            insta::assert_snapshot!(path.replace('/', "__"), file.contents());
        }
    }
}

#[test]
fn every_tenant_route_matches_its_tenant_exactly_and_groups_by_it() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let bundle = alerting(&tenants);
    let config = yaml(
        bundle
            .get("alertmanager/alertmanager.yml")
            .unwrap()
            .contents(),
    );
    let root = &config["route"];
    assert_eq!(root["receiver"], "tenant-kit:platform");
    let routes = root["routes"].as_array().unwrap();
    assert_eq!(routes.len(), tenants.len());
    for (route, tenant) in routes.iter().zip(&tenants) {
        let slug = tenant.slug.as_str();
        assert_eq!(
            route["matchers"],
            serde_json::json!([format!("tenant=\"{slug}\"")])
        );
        assert_eq!(route["group_by"][0], "tenant");
        assert_eq!(route["receiver"], format!("{slug}:none"));
        // Every receiver below the tenant's route is the tenant's.
        let mut stack = vec![route];
        while let Some(r) = stack.pop() {
            if let Some(receiver) = r["receiver"].as_str() {
                assert!(
                    receiver.starts_with(&format!("{slug}/")) || receiver == format!("{slug}:none"),
                    "{slug}: {receiver}"
                );
            }
            if let Some(children) = r["routes"].as_array() {
                stack.extend(children);
            }
        }
    }
    for rule in config["inhibit_rules"].as_array().unwrap() {
        assert!(
            rule["equal"]
                .as_array()
                .unwrap()
                .contains(&Value::from("tenant"))
        );
    }
}

/// The shared tree of `tenants` with the given layout, parsed.
fn shared_tree(tenants: &[Tenant], layout: RouteTree) -> Value {
    let mut platform = platform();
    platform.monitoring.alertmanager_route_tree = layout;
    let options = Options::new(&FakeSecrets).with_targets([Target::Alertmanager]);
    let bundle = render(tenants, &platform, &options).unwrap();
    yaml(
        bundle
            .get("alertmanager/alertmanager.yml")
            .unwrap()
            .contents(),
    )
}

/// The slug of a tenant route (`tenant="<slug>"`).
fn tenant_of(route: &Value) -> &str {
    let m = route["matchers"][0].as_str().unwrap();
    m.strip_prefix("tenant=\"")
        .and_then(|m| m.strip_suffix('"'))
        .unwrap()
}

/// The tenants of a shard's routes, in route order.
fn tenants_of(shard: &Value) -> Vec<&str> {
    shard["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(tenant_of)
        .collect()
}

#[test]
fn the_sharded_tree_is_the_flat_tree_with_its_tenant_routes_below_regex_shards() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let mut flat = shared_tree(&tenants, RouteTree::Flat);
    let mut sharded = shared_tree(&tenants, RouteTree::Sharded);
    let tenant_routes = flat["route"]["routes"].take();
    let shards = sharded["route"]["routes"].take();
    // Receivers, inhibit rules, time intervals, templates and the root's
    // own fields do not depend on the layout.
    assert_eq!(flat, sharded);
    let slugs: Vec<&str> = tenant_routes
        .as_array()
        .unwrap()
        .iter()
        .map(tenant_of)
        .collect();
    let mut below = Vec::new();
    for shard in shards.as_array().unwrap() {
        // Only the matcher: receiver, group_by and timings are the root's.
        let keys: Vec<&String> = shard.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["matchers", "routes"], "{shard}");
        let m = shard["matchers"][0].as_str().unwrap();
        let pattern = m
            .strip_prefix("tenant=~\"")
            .and_then(|m| m.strip_suffix('"'))
            .unwrap()
            .replace("\\\\", "\\");
        // Alertmanager anchors a matcher's regex.
        let re = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
        let held = tenants_of(shard);
        let matched: Vec<&str> = slugs.iter().copied().filter(|s| re.is_match(s)).collect();
        let mut held_sorted = held.clone();
        held_sorted.sort_unstable();
        assert_eq!(held_sorted, matched, "{pattern}");
        // No tenant label, or an unknown one, is not taken by a tenant route.
        assert!(!re.is_match(""), "{pattern}");
        below.extend(shard["routes"].as_array().unwrap().iter().cloned());
    }
    // The tenant routes, in slug order, are exactly the flat tree's.
    let mut want = tenant_routes.as_array().unwrap().clone();
    want.sort_by(|a, b| tenant_of(a).cmp(tenant_of(b)));
    assert_eq!(below, want);
}

#[test]
fn sharded_snapshot() {
    // The examples and the hostile corpus: 6 tenants, shards of at most 3
    // (the rounded-up square root).
    let mut tenants = examples();
    tenants.extend(hostile());
    let tree = shared_tree(&tenants, RouteTree::Sharded);
    let outline: Vec<String> = tree["route"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|shard| {
            let held = tenants_of(shard);
            format!(
                "{} -> {}",
                shard["matchers"][0].as_str().unwrap(),
                held.join(", ")
            )
        })
        .collect();
    insta::assert_snapshot!(outline.join("\n"));
}

#[test]
fn auto_keeps_the_examples_flat() {
    let tree = shared_tree(&examples(), RouteTree::Auto);
    let routes = tree["route"]["routes"].as_array().unwrap();
    let slugs: Vec<&str> = routes.iter().map(tenant_of).collect();
    assert_eq!(slugs, ["acme-music", "beatforge", "lofi-labs"]);
}

#[test]
fn business_hours_and_maintenance_become_time_intervals_in_the_tenants_zone() {
    let bundle = alerting(&examples());
    let config = yaml(
        bundle
            .get("alertmanager/alertmanager.yml")
            .unwrap()
            .contents(),
    );
    let intervals: BTreeMap<String, Value> = config["time_intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["time_intervals"].clone(),
            )
        })
        .collect();
    let bh = &intervals["beatforge:business-hours"][0];
    assert_eq!(bh["location"], "Europe/Berlin");
    assert_eq!(bh["times"][0]["start_time"], "08:00");
    // 2026-12-05T22:00Z to 2026-12-06T02:00Z is 23:00 to 03:00 in Berlin.
    let once = &intervals["beatforge:maintenance:db-migration-2026-12"];
    assert_eq!(once.as_array().unwrap().len(), 2);
    assert_eq!(once[0]["days_of_month"][0], "5");
    assert_eq!(once[0]["times"][0]["start_time"], "23:00");
    assert_eq!(once[1]["days_of_month"][0], "6");
    assert_eq!(once[1]["times"][0]["end_time"], "03:00");
    // The weekly deploy window mutes warning and info only.
    let beatforge = &config["route"]["routes"][1];
    for bucket in beatforge["routes"].as_array().unwrap() {
        let matcher = bucket["matchers"][0].as_str().unwrap();
        let mutes = bucket["routes"][0]["mute_time_intervals"].to_string();
        let muted = mutes.contains("weekly-deploy");
        assert_eq!(
            muted,
            matcher == "severity=\"warning\"" || matcher == "severity=\"info\"",
            "{matcher}: {mutes}"
        );
        assert!(mutes.contains("db-migration"), "{matcher}");
    }
}

#[test]
fn hostile_text_reaches_templates_only_as_go_string_literals() {
    let tenants = hostile();
    let bundle = alerting(&tenants);
    // Alerting files only: a rule's annotations (PrometheusRule) carry the
    // tenant's text as written, and the templates escape it when they
    // render it.
    for (path, file) in bundle.iter().filter(|(p, _)| is_alerting(p)) {
        let text = file.contents();
        for h in HOSTILE {
            if h.contains("{{") || h.contains("<!") {
                assert!(!text.contains(h), "{path} holds {h:?} verbatim");
            }
        }
        assert!(!text.contains("<!channel>"), "{path}");
        assert!(!text.contains("template \"x\""), "{path}");
    }
    // The templates are bundled into shard files: every tenant's block is
    // in exactly one of them, opens with its comment line, and holds only
    // defines named after its own slug.
    let shards: Vec<(&str, &str)> = bundle
        .iter()
        .filter(|(p, _)| p.starts_with("alertmanager/templates/"))
        .map(|(p, f)| (p, f.contents()))
        .collect();
    assert!(!shards.is_empty());
    for (path, _) in &shards {
        let name = path.trim_start_matches("alertmanager/templates/");
        assert!(
            name.len() == "shard-00.tmpl".len()
                && name.starts_with("shard-")
                && name.ends_with(".tmpl"),
            "{path}"
        );
    }
    for t in &tenants {
        let slug = t.slug.as_str();
        let opening = format!("{{{{/* tenant {slug} */}}}}");
        let holding: Vec<&(&str, &str)> = shards
            .iter()
            .filter(|(_, text)| text.lines().any(|l| l == opening))
            .collect();
        assert_eq!(holding.len(), 1, "{slug} is in {} shards", holding.len());
    }
    for (path, text) in &shards {
        // Outside string literals only our own actions: every `{{` opens
        // `define`, `template`, `if`, `else`, `end`, `range`, a field or a
        // string literal.
        for action in text.split("{{").skip(1) {
            let word = action.trim_start();
            assert!(
                [
                    "define ",
                    "template ",
                    "if ",
                    "else",
                    "end",
                    "range ",
                    ".",
                    "(index",
                    "\"",
                    "/*"
                ]
                .iter()
                .any(|w| word.starts_with(w)),
                "{path}: unexpected action {:?}",
                word.chars().take(40).collect::<String>()
            );
        }
        // Template names never collide with another tenant's: each define
        // line is named after the slug of the block it is in.
        let mut slug: Option<&str> = None;
        for line in text.lines().skip(1) {
            if let Some(s) = line
                .strip_prefix("{{/* tenant ")
                .and_then(|l| l.strip_suffix(" */}}"))
            {
                assert!(tenants.iter().any(|t| t.slug.as_str() == s), "{line}");
                slug = Some(s);
                continue;
            }
            let Some(s) = slug else {
                panic!("{path}: a define before any tenant's block: {line}");
            };
            assert!(
                line.starts_with(&format!("{{{{ define \"{s}.")),
                "{path}: {line}"
            );
        }
    }
}

#[test]
fn an_unresolved_webhook_is_a_problem_at_its_pointer() {
    let options = Options::new(&InlineOnly).with_targets([Target::Alertmanager]);
    let problems = render(&examples(), &platform(), &options).unwrap_err();
    let found: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.tenant.clone().unwrap(), p.problem.pointer().to_owned()))
        .collect();
    assert!(
        found.contains(&("acme-music".into(), "/slack/receivers/1/webhook_url".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("beatforge".into(), "/slack/receivers/0/webhook_url".into())),
        "{found:?}"
    );
    assert!(
        problems.to_string().contains("ACME_MUSIC_SLACK_TEAM_URL"),
        "{problems}"
    );
    // Each problem once, even with three targets reading the receivers.
    let all = render(&examples(), &platform(), &Options::new(&InlineOnly)).unwrap_err();
    let webhook = all
        .iter()
        .filter(|p| p.problem.pointer().ends_with("webhook_url"))
        .count();
    assert_eq!(webhook, 3, "{all}");
}

#[test]
fn each_problem_once_when_the_tenants_are_rendered_on_several_threads() {
    // More tenants than one chunk of per-tenant work, so the Mimir and
    // Operator shapes of each tenant's alerting run on several threads and
    // must still leave out what the Alertmanager target reported.
    let mut tenants = Vec::new();
    for i in 0..20 {
        for mut t in examples() {
            t.slug = tenant_model::Slug::new(format!("{}-{i:02}", t.slug.as_str())).unwrap();
            tenants.push(t);
        }
    }
    let webhooks = |targets: &[Target]| {
        let options = Options::new(&InlineOnly).with_targets(targets.iter().copied());
        let problems = render(&tenants, &platform(), &options).unwrap_err();
        let list: Vec<(Option<String>, String)> = problems
            .iter()
            .filter(|p| p.problem.pointer().ends_with("webhook_url"))
            .map(|p| (p.tenant.clone(), p.problem.pointer().to_owned()))
            .collect();
        list
    };
    let alertmanager = webhooks(&[Target::Alertmanager]);
    assert_eq!(alertmanager.len(), 3 * 20, "{alertmanager:?}");
    assert_eq!(webhooks(&TARGETS), alertmanager);
    assert_eq!(webhooks(&[Target::Mimir, Target::Kubernetes]), alertmanager);
}

#[test]
fn without_slack_webhooks_receivers_have_no_integrations_and_no_urls() {
    let mut platform = platform();
    platform.switches.slack_webhooks_enabled = false;
    let options = Options::new(&InlineOnly).with_targets(TARGETS);
    let bundle = render(&examples(), &platform, &options).unwrap();
    let config = bundle
        .get("alertmanager/alertmanager.yml")
        .unwrap()
        .contents();
    assert!(!config.contains("slack_configs"));
    assert!(config.contains("name: acme-music/oncall"));
    assert_eq!(bundle.under("alertmanager/secrets/").count(), 0);
    assert!(
        bundle
            .iter()
            .all(|(p, _)| !p.ends_with("slack-webhooks-secret.yml"))
    );
    assert!(
        bundle
            .iter()
            .all(|(_, f)| !f.is_secret() || !f.contents().contains("hooks.slack.com"))
    );
}

#[test]
fn mimir_configs_hold_the_tenants_tree_and_are_secret_with_urls() {
    let bundle = alerting(&examples());
    let file = bundle.get("mimir/alertmanager/acme-music.yml").unwrap();
    assert!(file.is_secret());
    let doc = yaml(file.contents());
    let config = yaml(doc["alertmanager_config"].as_str().unwrap());
    assert_eq!(config["templates"][0], "acme-music.tmpl");
    assert!(
        doc["template_files"]["acme-music.tmpl"]
            .as_str()
            .unwrap()
            .contains("define \"acme-music.slack.title\"")
    );
    assert_eq!(config["route"]["receiver"], "acme-music:none");
    assert!(config["receivers"].to_string().contains("hooks.slack.com"));
    assert!(
        !bundle
            .get("mimir/alertmanager/lofi-labs.yml")
            .unwrap()
            .is_secret()
    );
    let k8s = yaml(
        bundle
            .get("kubernetes/beatforge/alertmanagerconfig.yml")
            .unwrap()
            .contents(),
    );
    assert_eq!(k8s["kind"], "AlertmanagerConfig");
    assert_eq!(k8s["metadata"]["namespace"], "beatforge");
    let receivers = k8s["spec"]["receivers"].to_string();
    assert!(receivers.contains("beatforge-slack-webhooks") && !receivers.contains("template \""));
    assert!(
        bundle
            .get("kubernetes/beatforge/slack-webhooks-secret.yml")
            .unwrap()
            .is_secret()
    );
}

fn payload(tenant: &Tenant, count: usize, status: AlertStatus, text: &str) -> WebhookPayload {
    let alerts = (0..count)
        .map(|i| WebhookAlert {
            status,
            labels: BTreeMap::from([
                ("alertname".to_owned(), format!("Alert{i} {text}")),
                ("severity".to_owned(), "critical".to_owned()),
                ("tenant".to_owned(), tenant.slug.as_str().to_owned()),
            ]),
            annotations: BTreeMap::from([
                ("summary".to_owned(), format!("{text} {i}")),
                ("description".to_owned(), text.repeat(3)),
                (
                    "runbook_url".to_owned(),
                    "https://runbooks.example/x".to_owned(),
                ),
                ("dashboard_url".to_owned(), "javascript:alert(1)".to_owned()),
            ]),
            starts_at: "2026-12-01T10:00:00Z".parse().unwrap(),
            ends_at: "0001-01-01T00:00:00Z".parse().unwrap(),
            generator_url: String::new(),
            fingerprint: format!("{i:016x}"),
        })
        .collect();
    WebhookPayload {
        version: "4".to_owned(),
        group_key: "{}:{}".to_owned(),
        truncated_alerts: 0,
        status,
        receiver: format!("{}/team", tenant.slug.as_str()),
        group_labels: BTreeMap::new(),
        common_labels: BTreeMap::from([("severity".to_owned(), "critical".to_owned())]),
        common_annotations: BTreeMap::new(),
        external_url: "http://am".to_owned(),
        alerts,
    }
}

#[test]
fn block_kit_messages_stay_within_slacks_limits_and_reparse() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let long = long_text();
    let texts: Vec<&str> = HOSTILE.iter().copied().chain([long.as_str()]).collect();
    let schema = jsonschema::validator_for(&webhook_schema()).unwrap();
    let mut checked = 0;
    for tenant in &tenants {
        for tag in SUPPORTED_LOCALE_TAGS {
            let mut tenant = tenant.clone();
            tenant.locale = Locale::new(tag).unwrap();
            let l10n = Localizer::new(&LocalizerConfig::new(
                tenant.locale.langid().clone(),
                tenant.time_zone.tz(),
            ));
            for (n, text) in [1usize, 7, 300]
                .into_iter()
                .zip(texts.iter().cycle().skip(checked))
            {
                for status in [AlertStatus::Firing, AlertStatus::Resolved] {
                    let p = payload(&tenant, n, status, text);
                    let json = serde_json::to_value(&p).unwrap();
                    assert!(schema.is_valid(&json), "the payload fits its own schema");
                    let msg = message(
                        &p,
                        &tenant,
                        &l10n,
                        &MessageOptions::new("2026-12-01T10:05:00Z".parse().unwrap()),
                    );
                    check_limits(&msg).unwrap_or_else(|e| panic!("{tag} {n}: {e}"));
                    assert!(msg.blocks.len() <= LIMITS.blocks);
                    let back: Message =
                        serde_json::from_str(&serde_json::to_string(&msg).unwrap()).unwrap();
                    assert_eq!(back, msg);
                    let all = serde_json::to_string(&msg).unwrap();
                    assert!(!all.contains("javascript:"), "no button to a non-http URL");
                    if n == 300 {
                        let more = l10n
                            .format(
                                "slack-more-alerts",
                                &tenant_i18n::Args::new().with("count", 290.0),
                            )
                            .unwrap();
                        let found = msg.blocks.iter().any(|b| matches!(b, Block::Section { text: Some(t), .. } if t.as_str().contains(more.split_whitespace().last().unwrap())));
                        assert!(found, "{tag}: no \"more alerts\" summary");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, tenants.len() * 5 * 3 * 2);
}

#[test]
fn block_kit_messages_are_in_the_tenants_language() {
    let tenant = examples()
        .into_iter()
        .find(|t| t.slug.as_str() == "acme-music")
        .unwrap();
    let l10n = Localizer::new(&LocalizerConfig::new(
        tenant.locale.langid().clone(),
        tenant.time_zone.tz(),
    ));
    let now = "2026-12-01T10:05:00Z".parse().unwrap();
    let firing = message(
        &payload(&tenant, 1, AlertStatus::Firing, "x"),
        &tenant,
        &l10n,
        &MessageOptions::new(now),
    );
    let resolved = message(
        &payload(&tenant, 1, AlertStatus::Resolved, "x"),
        &tenant,
        &l10n,
        &MessageOptions::new(now),
    );
    assert!(
        firing.text.contains("est déclenchée pour"),
        "{}",
        firing.text
    );
    assert!(firing.text.starts_with('🔴'));
    assert!(
        resolved.text.contains("est résolue pour"),
        "{}",
        resolved.text
    );
    assert!(resolved.text.starts_with('✅'));
    // Times in the tenant's zone (Paris, UTC+1 in December).
    assert!(serde_json::to_string(&firing).unwrap().contains("11:00"));
}

//! The documents every renderer is run over: the example tenants, and a
//! hostile corpus made from them, with hostile text in every field a tenant
//! controls that can reach a rendered file.
//!
//! The corpus is also kept as documents in `tests/hostile/` (kept current by
//! [`hostile_documents_are_current`]; `UPDATE_HOSTILE=1` rewrites them), so
//! the conformance suite can render it with `tenantctl render` and check the
//! files with the real tools.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tenant_model::{Format, PlatformConfig, Secret, Tenant, parse, to_text};

/// Text that breaks naive YAML, PromQL, Go templates, Slack mrkdwn, SQL,
/// HTML and terminals.
pub(crate) const HOSTILE: &[&str] = &[
    "quote \" and 'single' and `back`",
    "back\\slash \\n not a newline \\",
    "two\nlines\r\nand a tab\t",
    "{{ .Labels.tenant }} {{ template \"x\" . }} {{/* c */}}",
    "${HOME} $(id) %s %n",
    "- not: a list\n? key\n: value",
    "yes",
    "no",
    "~",
    "&anchor *alias !tag | > # comment",
    "\u{202e}reversed\u{202c} zero\u{200b}width \u{feff}bom",
    "<!channel> <!here> <!everyone> <@U12345> <!subteam^S1> & <b>bold</b>",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE tenants; --",
    "\u{1}\u{7}\u{1b}[31mred\u{1b}[0m\u{7f}\u{85}",
    "Ünïcödé — «guillemets» 日本語 🎵",
];

/// Fluent overrides whose text is hostile for Go templates and Slack
/// (Fluent itself needs `{` as string literals; mentions are refused by
/// the override check already).
pub(crate) const HOSTILE_FTL: &str = concat!(
    "alert-firing-summary = { \"{{\" } template \"x\" . { \"}}\" } <https://evil.example|click> <b>b</b> & ",
    "[{ $severity }] { $alert } — { $tenant } \\\" `back`\n",
);

/// A 1 000-character string of hostile text.
pub(crate) fn long_text() -> String {
    let mut s = String::new();
    while s.chars().count() < 1000 {
        for h in HOSTILE {
            s.push_str(h);
        }
    }
    s.chars().take(1000).collect()
}

/// The project root (the workspace).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The example platform document.
pub(crate) fn platform() -> PlatformConfig {
    let text = std::fs::read_to_string(root().join("examples/platform.yaml")).unwrap();
    parse(&text, Format::Yaml).unwrap()
}

/// The example tenants, in slug order.
pub(crate) fn examples() -> Vec<Tenant> {
    let mut out: Vec<Tenant> = std::fs::read_dir(root().join("examples/tenants"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| parse(&std::fs::read_to_string(&p).unwrap(), Format::Yaml).unwrap())
        .collect();
    out.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    out
}

/// The hostile corpus: each example tenant with every tenant-controlled
/// text replaced by hostile text (a different string per field, cycling
/// through [`HOSTILE`], and 1 000-character strings where the model allows
/// them). Ids and slugs are changed so the corpus and the examples can be
/// rendered together.
pub(crate) fn hostile() -> Vec<Tenant> {
    let mut next = 0usize;
    let mut text = |limit: usize| {
        let s = if next % 5 == 4 && limit >= 1000 {
            long_text()
        } else {
            HOSTILE[next % HOSTILE.len()].chars().take(limit).collect()
        };
        next += 1;
        s
    };
    examples()
        .into_iter()
        .enumerate()
        .map(|(i, mut t)| {
            t.id =
                tenant_model::TenantId::new(format!("6f1e0b7c-0000-4000-8000-{i:012x}")).unwrap();
            t.slug = tenant_model::Slug::new(format!("hostile-{}", t.slug.as_str())).unwrap();
            t.display_name = text(200);
            t.description = Some(text(2000));
            for c in &mut t.contacts {
                c.name = text(200);
            }
            let m = &mut t.monitoring;
            for r in &mut m.alert_rules {
                r.summary = text(500);
                r.description = Some(text(4000));
                for v in r.labels.values_mut() {
                    *v = text(1000);
                }
            }
            for r in &mut m.recording_rules {
                for v in r.labels.values_mut() {
                    *v = text(1000);
                }
            }
            for s in &mut m.slos {
                s.description = Some(text(1000));
            }
            for d in &mut m.dashboards {
                // A text panel in every dashboard, so its Markdown escaping
                // meets hostile text.
                d.panels.push(tenant_model::Panel {
                    title: "text".to_owned(),
                    kind: tenant_model::PanelKind::Text,
                    queries: Vec::new(),
                    unit: None,
                    content: Some(String::new()),
                });
                d.title = text(200);
                for p in &mut d.panels {
                    p.title = text(200);
                    if p.content.is_some() {
                        p.content = Some(text(10000));
                    }
                    for q in &mut p.queries {
                        if q.legend.is_some() {
                            q.legend = Some(text(200));
                        }
                    }
                }
            }
            for r in &mut t.access_control.roles {
                r.description = Some(text(500));
            }
            // Grants name the corpus' own tenants, so the corpus renders
            // on its own (`tenantctl render tests/hostile`).
            for g in &mut t.access_control.cross_tenant_grants {
                if let tenant_model::Grantee::Tenant(slug) = &mut g.grantee {
                    *slug = tenant_model::Slug::new(format!("hostile-{}", slug.as_str())).unwrap();
                }
            }
            for d in &mut t.access_control.denies {
                d.reason = text(500);
            }
            // Names of their own in PostgreSQL and Redis (identifiers are
            // validated, so no hostile text there), and passwords from the
            // environment, so the corpus renders beside the examples.
            let iso = &mut t.isolation;
            let sql = |s: &str| tenant_model::SqlIdentifier::new(format!("hostile_{s}")).unwrap();
            iso.database.role = sql(iso.database.role.as_str());
            match iso.mode {
                tenant_model::IsolationMode::Database => {
                    iso.database.name = sql(iso.database.name.as_str());
                }
                tenant_model::IsolationMode::Schema => {
                    iso.database.schema = sql(iso.database.schema.as_str());
                }
                tenant_model::IsolationMode::Row => {}
            }
            iso.database.password = Some(Secret::Env(format!("HOSTILE_{i}_PG_PASSWORD")));
            iso.cache.key_prefix =
                tenant_model::KeyPrefix::new(format!("hostile-{}", iso.cache.key_prefix)).unwrap();
            iso.cache.acl_user =
                tenant_model::Name::new(format!("hostile-{}", iso.cache.acl_user)).unwrap();
            iso.cache.password = Some(Secret::Env(format!("HOSTILE_{i}_REDIS_PASSWORD")));
            for (j, r) in t.slack.receivers.iter_mut().enumerate() {
                // Inline secrets do not survive writing the document (they
                // are redacted); the corpus refers to the environment.
                r.webhook_url = Secret::Env(format!("HOSTILE_{i}_WEBHOOK_{j}"));
                r.username = Some(text(80));
                // One receiver without resolved notifications, so the
                // conformance suite sees both kinds.
                if j == 1 {
                    r.send_resolved = false;
                }
            }
            for tpl in &mut t.slack.templates {
                tpl.description = Some(text(500));
                for source in tpl.messages.values_mut() {
                    *source = HOSTILE_FTL.to_owned();
                }
            }
            t
        })
        .collect()
}

/// The corpus as YAML documents, by file name.
fn hostile_documents() -> BTreeMap<String, String> {
    hostile()
        .iter()
        .map(|t| {
            let mut text = String::from(
                "# Hostile corpus (generated by tenant-render/tests/render/corpus.rs; UPDATE_HOSTILE=1 rewrites it).\n",
            );
            text.push_str(&to_text(t, Format::Yaml).unwrap());
            (format!("{}.yaml", t.slug.as_str()), text)
        })
        .collect()
}

#[test]
fn hostile_documents_are_valid_and_mean_what_the_corpus_says() {
    let corpus = hostile();
    assert_eq!(corpus.len(), examples().len());
    for (name, text) in hostile_documents() {
        let back: Tenant = parse(&text, Format::Yaml).unwrap_or_else(|p| panic!("{name}: {p}"));
        let original = corpus
            .iter()
            .find(|t| format!("{}.yaml", t.slug.as_str()) == name)
            .unwrap();
        assert_eq!(&back, original, "{name}");
        assert!(
            tenant_model::check_against_platform(&back, &platform()).is_empty(),
            "{name}"
        );
    }
    // As a set too (grants name tenants of the corpus, names do not clash),
    // as `tenantctl render tenant-render/tests/hostile` checks them.
    let set: Vec<&Tenant> = corpus.iter().collect();
    let problems = tenant_model::check_tenant_set(&set);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn hostile_documents_are_current() {
    let dir = root().join("tenant-render/tests/hostile");
    let documents = hostile_documents();
    if std::env::var_os("UPDATE_HOSTILE").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &documents {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let on_disk: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    assert!(
        on_disk == documents,
        "tests/hostile/ is stale: run `UPDATE_HOSTILE=1 cargo test -p tenant-render --test render corpus`"
    );
}

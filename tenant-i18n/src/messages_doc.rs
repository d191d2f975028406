//! Keeps `messages.md` (the docs of [`crate::messages`]) equal to what the
//! `en` catalog says: every message and attribute id with its variables, and
//! each variable's type and meaning from the catalog's comments.
//!
//! `UPDATE_MESSAGES=1 cargo test -p tenant-i18n messages_doc` rewrites the
//! file; otherwise the test fails when it is stale.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fluent_syntax::ast;

use crate::analysis::SourceFacts;

/// The reference catalog.
const EN: &str = include_str!("../locales/en/tenant-kit.ftl");

/// `$name (Type) - meaning` lines of a comment, by variable name.
fn described(comment: Option<&ast::Comment<&str>>, into: &mut BTreeMap<String, String>) {
    for line in comment.into_iter().flat_map(|c| c.content.iter()) {
        if let Some(rest) = line.trim().strip_prefix('$') {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let what = rest[name.len()..].trim();
            if !name.is_empty() && !what.is_empty() {
                into.insert(name, what.to_owned());
            }
        }
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn generate() -> String {
    let facts = SourceFacts::parse(EN);
    assert!(facts.errors.is_empty(), "{:?}", facts.errors);
    let resource = fluent_syntax::parser::parse(EN).unwrap();
    let mut out = String::from(
        "The message ids of the catalogs and their variables, for\n\
         [`Localizer::format`](crate::Localizer::format): `id` formats a message's\n\
         value, `id.attribute` one of its attributes. Every locale has every id and\n\
         variable listed here (`tenant_i18n::lint` checks it). A variable marked\n\
         (Instant) takes a `chrono::DateTime<Utc>` and is shown in the tenant's time\n\
         zone, (Number) a number formatted for the locale; the others take text.\n\n\
         Generated from `locales/en/tenant-kit.ftl` (`UPDATE_MESSAGES=1 cargo test -p\n\
         tenant-i18n messages_doc`); a test fails when this page is stale.\n",
    );
    // Descriptions hold from the comment that gives them to the end of the
    // catalog: a variable keeps its meaning in later messages.
    let mut meaning: BTreeMap<String, String> = BTreeMap::new();
    let mut table_open = false;
    // A section is written with its first message (a section of terms
    // only has none).
    let mut heading: Option<String> = None;
    for entry in &resource.body {
        match entry {
            ast::Entry::GroupComment(c) => {
                heading = Some(c.content.join(" ").trim().to_owned());
                table_open = false;
            }
            ast::Entry::Message(m) => {
                described(m.comment.as_ref(), &mut meaning);
                let id = m.id.name;
                let Some(entry) = facts.message(id) else {
                    continue;
                };
                if let Some(title) = heading.take() {
                    let _ = write!(out, "\n## {title}\n\n");
                }
                if !table_open {
                    out.push_str("| id | variables |\n| --- | --- |\n");
                    table_open = true;
                }
                for (attribute, part) in entry.parts() {
                    let full = match attribute {
                        None => id.to_owned(),
                        Some(a) => format!("{id}.{a}"),
                    };
                    let vars: Vec<String> = part
                        .variables
                        .iter()
                        .map(|v| match meaning.get(v) {
                            Some(what) => format!("`${v}` {}", cell(what)),
                            None => format!("`${v}`"),
                        })
                        .collect();
                    let vars = if vars.is_empty() {
                        "none".to_owned()
                    } else {
                        vars.join("; ")
                    };
                    let _ = writeln!(out, "| `{full}` | {vars} |");
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn messages_page_matches_the_en_catalog() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/messages.md");
    let generated = generate();
    if std::env::var_os("UPDATE_MESSAGES").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "src/messages.md is stale: run UPDATE_MESSAGES=1 cargo test -p tenant-i18n messages_doc"
    );
}

#[test]
fn every_message_of_the_catalog_is_on_the_page() {
    let page = generate();
    let facts = SourceFacts::parse(EN);
    let mut count = 0;
    for entry in facts.messages() {
        for (attribute, _) in entry.parts() {
            let full = match attribute {
                None => entry.id.clone(),
                Some(a) => format!("{}.{a}", entry.id),
            };
            assert!(page.contains(&format!("| `{full}` |")), "{full}");
            count += 1;
        }
    }
    // The catalog has over a hundred messages and attributes.
    assert!(count > 100, "{count}");
    assert!(page.contains("`$since` (Instant)"), "{page}");
}

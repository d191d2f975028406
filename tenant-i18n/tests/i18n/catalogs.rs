//! Every message of every catalog formats with the arguments the renderers
//! pass; the full text of each locale is kept as a snapshot for review.

use std::fmt::Write as _;

use tenant_i18n::{SUPPORTED_LOCALE_TAGS, Tz};

use crate::support::{english_ids, localizer, sample_args};

fn render_all(tag: &str) -> String {
    let l10n = localizer(tag, Tz::Europe__Paris);
    assert_eq!(l10n.locales()[0].to_string(), tag);
    let args = sample_args();
    let mut out = String::new();
    for id in english_ids() {
        let text = l10n
            .format(&id, &args)
            .unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert!(!text.trim().is_empty(), "{tag}: `{id}` is blank");
        writeln!(out, "{id} = {text}").unwrap();
    }
    out
}

#[test]
fn every_message_formats_in_every_locale() {
    assert!(english_ids().len() > 90, "{}", english_ids().len());
    for tag in SUPPORTED_LOCALE_TAGS {
        insta::assert_snapshot!(format!("catalog_{tag}"), render_all(tag));
    }
}

#[test]
fn translations_differ_from_english() {
    // The lint checks this message by message; here, as a whole: a text of
    // a locale equals the English one only where the word is the same in
    // that language (a name, an acronym, a loanword the terminology table
    // of the catalog's header chose).
    let same_in = |tag: &str| -> &[&str] {
        match tag {
            "de" => &["SOC 2", "SLO", "Limit", "Runbook", "Status"],
            "it" => &["SOC 2", "SLO", "GDPR"],
            "fr" => &["SOC 2", "SLO", "72 minutes"],
            _ => &["SOC 2", "SLO"],
        }
    };
    let english = render_all("en");
    for tag in ["fr", "de", "es", "it"] {
        let translated = render_all(tag);
        let untranslated: Vec<&str> = english
            .lines()
            .zip(translated.lines())
            .filter(|(a, b)| a == b)
            .map(|(a, _)| a)
            .filter(|line| {
                let text = line.split_once(" = ").map_or(*line, |(_, text)| text);
                !same_in(tag).contains(&text)
            })
            .collect();
        assert!(untranslated.is_empty(), "{tag}: {untranslated:#?}");
    }
}

//! The pseudo-locale `en-XA`: accented, longer, placeables intact.

use tenant_i18n::{Args, PSEUDO_LOCALE_TAG, Tz, pseudolocalize};

use crate::support::{english_ids, localizer, sample_args};

#[test]
fn pseudo_messages_are_accented_bracketed_and_keep_placeables() {
    let l10n = localizer(PSEUDO_LOCALE_TAG, Tz::Europe__Paris);
    assert_eq!(l10n.locales()[0].to_string(), "en-XA");
    let args = Args::new()
        .with("count", 1234)
        .with("tenant", "Acme {Corp}");
    let mut out = String::new();
    for id in [
        "slack-button-silence",
        "slack-more-alerts",
        "compliance-report-title",
        "slack-footer",
    ] {
        let args = args.clone().with("sent_at", crate::support::winter());
        out.push_str(&format!("{id} = {}\n", l10n.format(id, &args).unwrap()));
    }
    insta::assert_snapshot!(out);
    assert!(out.contains("1,234"));
    assert!(out.contains("Acme {Corp}"));
}

#[test]
fn pseudo_text_is_at_least_forty_percent_longer() {
    let english = localizer("en", Tz::UTC);
    let pseudo = localizer(PSEUDO_LOCALE_TAG, Tz::UTC);
    let args = sample_args();
    let (mut en_chars, mut pseudo_chars) = (0_u32, 0_u32);
    for id in english_ids() {
        let en = english.format(&id, &args).unwrap();
        let xa = pseudo.format(&id, &args).unwrap();
        en_chars += u32::try_from(en.chars().count()).unwrap();
        pseudo_chars += u32::try_from(xa.chars().count()).unwrap();
        assert!(xa.starts_with('[') && xa.ends_with(']'), "{xa}");
    }
    let growth = f64::from(pseudo_chars) / f64::from(en_chars);
    assert!((1.3..1.6).contains(&growth), "growth {growth}");
}

#[test]
fn pseudolocalize_keeps_what_is_not_a_letter() {
    assert_eq!(pseudolocalize(""), "");
    assert_eq!(pseudolocalize(" · 42 "), " · 42 ");
    assert_eq!(pseudolocalize("for "), "ƒǿǿř· ");
    assert_eq!(pseudolocalize("Info"), "ĪĪƞƒǿǿ");
}

//! Choosing the language: preferences, the tenant's locale, then English.

use tenant_i18n::{AcceptLanguage, Args, Localizer, LocalizerConfig, Tz};

use crate::support::lang;

fn localizer(tenant: &str, preferences: &str) -> Localizer {
    let mut config = LocalizerConfig::new(lang(tenant), Tz::Europe__Paris);
    config.accept_language = Some(AcceptLanguage::parse(preferences).unwrap());
    Localizer::new(&config)
}

fn chain(l10n: &Localizer) -> Vec<String> {
    l10n.locales().iter().map(ToString::to_string).collect()
}

#[test]
fn canadian_french_preferences_give_french() {
    let l10n = localizer("de", "fr-CA, fr;q=0.9, en");
    assert_eq!(chain(&l10n), ["fr", "en", "de"]);
    assert_eq!(
        l10n.format("slack-button-silence", &Args::new()).unwrap(),
        "Mettre en sourdine"
    );
}

#[test]
fn q_values_win_over_written_order() {
    let l10n = localizer("en", "en;q=0.1, it;q=0.7, es;q=0.8");
    assert_eq!(chain(&l10n), ["es", "it", "en"]);
    assert_eq!(
        l10n.format("slack-field-severity", &Args::new()).unwrap(),
        "Gravedad"
    );
}

#[test]
fn without_a_match_the_tenant_locale_then_english() {
    assert_eq!(chain(&localizer("it-CH", "ja, zh-Hant")), ["it", "en"]);
    assert_eq!(chain(&localizer("pt-BR", "")), ["en"]);
}

#[test]
fn regional_number_conventions_come_from_the_language() {
    let l10n = localizer("de-AT", "");
    assert_eq!(l10n.format_number(1234.5), "1.234,5");
}

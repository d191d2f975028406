//! Plural forms at 0, 1, 2, 5, 21 and 1 000 000 in each locale: the text a
//! person reads.
//!
//! `intl_pluralrules` 7, which fluent-bundle 0.16 uses, implements CLDR 37:
//! there `one` is 1 in English, German, Spanish and Italian, and 0 and 1 in
//! French; everything else is `other`, including 1 000 000, which CLDR 38+
//! puts in a `many` category for French, Spanish and Italian.

use tenant_i18n::{Args, Tz};

use crate::support::localizer;

const COUNTS: [u64; 6] = [0, 1, 2, 5, 21, 1_000_000];

/// `expect` has one line per count of [`COUNTS`] and locale: `tag: text`.
fn check(id: &str, variable: &str, expect: &str) {
    let mut got = String::new();
    for tag in ["en", "fr", "de", "es", "it"] {
        let l10n = localizer(tag, Tz::UTC);
        for n in COUNTS {
            let text = l10n.format(id, &Args::new().with(variable, n)).unwrap();
            got.push_str(&format!("{tag}: {text}\n"));
        }
    }
    let expect: String = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn more_alerts_in_slack() {
    check(
        "slack-more-alerts",
        "count",
        "
        en: …and 0 more alerts
        en: …and 1 more alert
        en: …and 2 more alerts
        en: …and 5 more alerts
        en: …and 21 more alerts
        en: …and 1,000,000 more alerts
        fr: …et 0 autre alerte
        fr: …et 1 autre alerte
        fr: …et 2 autres alertes
        fr: …et 5 autres alertes
        fr: …et 21 autres alertes
        fr: …et 1\u{202f}000\u{202f}000 autres alertes
        de: …und 0 weitere Alarme
        de: …und 1 weiterer Alarm
        de: …und 2 weitere Alarme
        de: …und 5 weitere Alarme
        de: …und 21 weitere Alarme
        de: …und 1.000.000 weitere Alarme
        es: …y 0 alertas más
        es: …y 1 alerta más
        es: …y 2 alertas más
        es: …y 5 alertas más
        es: …y 21 alertas más
        es: …y 1.000.000 alertas más
        it: …e altri 0 allarmi
        it: …e 1 altro allarme
        it: …e altri 2 allarmi
        it: …e altri 5 allarmi
        it: …e altri 21 allarmi
        it: …e altri 1.000.000 allarmi
        ",
    );
}

#[test]
fn durations_in_days() {
    check(
        "duration-days",
        "days",
        "
        en: 0 days
        en: 1 day
        en: 2 days
        en: 5 days
        en: 21 days
        en: 1,000,000 days
        fr: 0 jour
        fr: 1 jour
        fr: 2 jours
        fr: 5 jours
        fr: 21 jours
        fr: 1\u{202f}000\u{202f}000 jours
        de: 0 Tage
        de: 1 Tag
        de: 2 Tage
        de: 5 Tage
        de: 21 Tage
        de: 1.000.000 Tage
        es: 0 días
        es: 1 día
        es: 2 días
        es: 5 días
        es: 21 días
        es: 1.000.000 días
        it: 0 giorni
        it: 1 giorno
        it: 2 giorni
        it: 5 giorni
        it: 21 giorni
        it: 1.000.000 giorni
        ",
    );
}

#[test]
fn zero_has_its_own_text_where_the_catalog_asks_for_it() {
    check(
        "alerts-firing-count",
        "count",
        "
        en: No alerts firing
        en: 1 alert firing
        en: 2 alerts firing
        en: 5 alerts firing
        en: 21 alerts firing
        en: 1,000,000 alerts firing
        fr: Aucune alerte en cours
        fr: 1 alerte en cours
        fr: 2 alertes en cours
        fr: 5 alertes en cours
        fr: 21 alertes en cours
        fr: 1\u{202f}000\u{202f}000 alertes en cours
        de: Keine aktiven Alarme
        de: 1 aktiver Alarm
        de: 2 aktive Alarme
        de: 5 aktive Alarme
        de: 21 aktive Alarme
        de: 1.000.000 aktive Alarme
        es: Ninguna alerta activa
        es: 1 alerta activa
        es: 2 alertas activas
        es: 5 alertas activas
        es: 21 alertas activas
        es: 1.000.000 alertas activas
        it: Nessun allarme attivo
        it: 1 allarme attivo
        it: 2 allarmi attivi
        it: 5 allarmi attivi
        it: 21 allarmi attivi
        it: 1.000.000 allarmi attivi
        ",
    );
}

#[test]
fn percentages_and_fraction_digits_follow_the_locale() {
    let args = Args::new().with("ratio", 0.255).with("days", 30);
    let expected = [
        (
            "en",
            "25.5% of the error budget remains over the last 30 days",
        ),
        (
            "fr",
            "Il reste 25,5\u{a0}% du budget d'erreur sur les 30 derniers jours",
        ),
        (
            "de",
            "Verbleibendes Fehlerbudget in den letzten 30 Tagen: 25,5\u{a0}%",
        ),
        (
            "es",
            "Queda el 25,5\u{a0}% del presupuesto de errores de los últimos 30 días",
        ),
        (
            "it",
            "Budget di errore rimasto: 25,5% negli ultimi 30 giorni",
        ),
    ];
    for (tag, want) in expected {
        let got = localizer(tag, Tz::UTC)
            .format("slo-budget-remaining", &args)
            .unwrap();
        assert_eq!(got, want);
    }
}

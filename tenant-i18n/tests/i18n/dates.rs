//! Dates in the tenant's time zone, per locale, against strings checked with
//! ICU 78 (`tests/data/dates.txt`), and inside messages.
//!
//! The data file holds ICU's strings unchanged; [`with_our_divergences`]
//! applies the two rules of grammar where `conventions.rs` deliberately
//! differs from CLDR (French `1er`, Spanish `a la 1:05`), so the file stays a
//! faithful copy of the oracle.

use tenant_i18n::{Args, DateLength, DateTimeStyle, TimeLength, Tz};

use crate::support::{localizer, utc, winter};

fn length(text: &str) -> Option<DateLength> {
    match text {
        "full" => Some(DateLength::Full),
        "long" => Some(DateLength::Long),
        "medium" => Some(DateLength::Medium),
        "short" => Some(DateLength::Short),
        "-" => None,
        other => panic!("unknown date style {other}"),
    }
}

fn time_length(text: &str) -> Option<TimeLength> {
    match text {
        "short" => Some(TimeLength::Short),
        "medium" => Some(TimeLength::Medium),
        "-" => None,
        other => panic!("unknown time style {other}"),
    }
}

/// ICU's text with our two documented divergences from CLDR applied, and
/// whether one applied: in French, a day `1` followed by a month name is
/// `1er`; in Spanish, ` a las 1:` is ` a la 1:`.
pub(crate) fn with_our_divergences(tag: &str, icu: &str) -> (String, bool) {
    match tag.split('-').next() {
        Some("fr") => {
            let words: Vec<&str> = icu.split(' ').collect();
            let mut out = Vec::with_capacity(words.len());
            let mut changed = false;
            for (i, word) in words.iter().enumerate() {
                let month_follows = words
                    .get(i + 1)
                    .and_then(|next| next.chars().next())
                    .is_some_and(char::is_alphabetic);
                if *word == "1" && month_follows {
                    out.push("1er");
                    changed = true;
                } else {
                    out.push(word);
                }
            }
            (out.join(" "), changed)
        }
        Some("es") if icu.contains(" a las 1:") => (icu.replace(" a las 1:", " a la 1:"), true),
        _ => (icu.to_owned(), false),
    }
}

#[test]
fn divergences_from_icu_are_exactly_the_documented_ones() {
    let cases = [
        ("fr", "1 janvier 2026", "1er janvier 2026", true),
        (
            "fr",
            "jeudi 1 janvier 2026 à 00:30",
            "jeudi 1er janvier 2026 à 00:30",
            true,
        ),
        ("fr", "11 janvier 2026", "11 janvier 2026", false),
        ("fr", "01/01/2026 01:05", "01/01/2026 01:05", false),
        ("fr", "21 mars 2025", "21 mars 2025", false),
        (
            "es",
            "1 de enero de 2025 a las 1:05",
            "1 de enero de 2025 a la 1:05",
            true,
        ),
        (
            "es",
            "1 de enero de 2025 a las 13:05",
            "1 de enero de 2025 a las 13:05",
            false,
        ),
        ("it", "1 gennaio 2026", "1 gennaio 2026", false),
    ];
    for (tag, icu, ours, changed) in cases {
        assert_eq!(
            with_our_divergences(tag, icu),
            (ours.to_owned(), changed),
            "{tag} {icu}"
        );
    }
}

#[test]
fn dates_match_cldr_in_every_locale_and_zone() {
    let data = include_str!("../data/dates.txt");
    let mut checked = 0;
    let mut diverging = 0;
    let mut failures = Vec::new();
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (case, expected) = line.split_once(" => ").unwrap();
        let fields: Vec<&str> = case.split(' ').collect();
        let [tag, instant, zone, date, time] = fields[..] else {
            panic!("bad line {line}");
        };
        let l10n = localizer(tag, zone.parse::<Tz>().unwrap());
        let style = DateTimeStyle {
            date: length(date),
            time: time_length(time),
            time_zone_name: false,
        };
        let got = l10n.format_datetime(utc(instant), style);
        let (expected, changed) = with_our_divergences(tag, expected);
        diverging += usize::from(changed);
        if got != expected {
            failures.push(format!("{case}: got `{got}`, want `{expected}`"));
        }
        checked += 1;
    }
    assert_eq!(checked, 270);
    // New Year's Day in Paris and Tokyo, four styles each with a date.
    assert_eq!(diverging, 8);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same instant in the three zones, inside a message, in each locale.
#[test]
fn alert_description_in_three_time_zones() {
    let check = |tag: &str, zone: Tz, expected: &str| {
        let args = Args::new()
            .with("alert", "HighErrorRate")
            .with("since", winter());
        let got = localizer(tag, zone)
            .format("alert-firing-description", &args)
            .unwrap();
        assert_eq!(got, expected, "{tag} {zone}");
    };
    use Tz::{America__New_York as NewYork, Asia__Tokyo as Tokyo, Europe__Paris as Paris};
    check(
        "en",
        Paris,
        "HighErrorRate has been firing since March 4, 2025 at 2:05 PM UTC+1.",
    );
    check(
        "en",
        NewYork,
        "HighErrorRate has been firing since March 4, 2025 at 8:05 AM UTC-5.",
    );
    check(
        "en",
        Tokyo,
        "HighErrorRate has been firing since March 4, 2025 at 10:05 PM UTC+9.",
    );
    check(
        "fr",
        Paris,
        "HighErrorRate est déclenchée depuis le 4 mars 2025 à 14:05 UTC+1.",
    );
    check(
        "fr",
        NewYork,
        "HighErrorRate est déclenchée depuis le 4 mars 2025 à 08:05 UTC-5.",
    );
    check(
        "fr",
        Tokyo,
        "HighErrorRate est déclenchée depuis le 4 mars 2025 à 22:05 UTC+9.",
    );
    check(
        "de",
        Paris,
        "HighErrorRate ist seit dem 4. März 2025 um 14:05 UTC+1 aktiv.",
    );
    check(
        "de",
        NewYork,
        "HighErrorRate ist seit dem 4. März 2025 um 08:05 UTC-5 aktiv.",
    );
    check(
        "de",
        Tokyo,
        "HighErrorRate ist seit dem 4. März 2025 um 22:05 UTC+9 aktiv.",
    );
    check(
        "es",
        Paris,
        "HighErrorRate está activa desde el 4 de marzo de 2025, 14:05 UTC+1.",
    );
    check(
        "es",
        NewYork,
        "HighErrorRate está activa desde el 4 de marzo de 2025, 8:05 UTC-5.",
    );
    check(
        "es",
        Tokyo,
        "HighErrorRate está activa desde el 4 de marzo de 2025, 22:05 UTC+9.",
    );
    check(
        "it",
        Paris,
        "HighErrorRate è attivo. Inizio: 4 marzo 2025 alle ore 14:05 UTC+1.",
    );
    check(
        "it",
        NewYork,
        "HighErrorRate è attivo. Inizio: 4 marzo 2025 alle ore 08:05 UTC-5.",
    );
    check(
        "it",
        Tokyo,
        "HighErrorRate è attivo. Inizio: 4 marzo 2025 alle ore 22:05 UTC+9.",
    );
}

#[test]
fn daylight_saving_time_changes_the_offset() {
    let summer = utc("2025-07-14T22:30:00Z");
    let l10n = localizer("fr", Tz::Europe__Paris);
    let style = DateTimeStyle {
        time_zone_name: true,
        ..DateTimeStyle::default()
    };
    assert_eq!(
        l10n.format_datetime(summer, style),
        "15 juil. 2025, 00:30 UTC+2"
    );
    let india = localizer("en", Tz::Asia__Kolkata);
    assert_eq!(
        india.format_datetime(summer, style),
        "Jul 15, 2025, 4:00 AM UTC+5:30"
    );
    let utc_zone = localizer("de", Tz::UTC);
    assert_eq!(
        utc_zone.format_datetime(summer, style),
        "14.07.2025, 22:30 UTC"
    );
}

#[test]
fn datetime_options_in_a_message() {
    let l10n = localizer("en", Tz::America__New_York);
    let args = Args::new()
        .with("starts_at", utc("2025-03-08T22:00:00Z"))
        .with("ends_at", utc("2025-03-09T12:00:00Z"));
    // The window spans the switch to daylight saving time in New York.
    assert_eq!(
        l10n.format("slack-maintenance-planned", &args).unwrap(),
        "Maintenance window planned from Mar 8, 2025, 5:00 PM UTC-5 to Mar 9, 2025, 8:00 AM UTC-4."
    );
}

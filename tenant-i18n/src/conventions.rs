//! Number and date conventions of each supported language: separators, digit
//! grouping, date patterns, 12- or 24-hour clock.
//!
//! # Why chrono's locale data and not ICU4X
//!
//! Dates need two things: the names of months and weekdays, and the order in
//! which a locale writes the parts. ICU4X (`icu_datetime` with compiled CLDR
//! data) gives both, but brings a dozen crates and tens of megabytes of
//! generated data to compile; on our 2-core machines that is minutes of build
//! time for five languages. chrono's `unstable-locales` feature adds a single
//! crate of constants (glibc's locale data) to a dependency we already have.
//! So the full month and weekday names come from chrono, and the patterns,
//! which are few, are written here by hand after CLDR 48; every pattern has a
//! test whose expected string was checked against ICU 78.2 / CLDR 48
//! (`Intl.DateTimeFormat` of Node 20), and `.ci/conformance/i18n-icu.sh`
//! compares a table of dates and numbers with Node's `Intl` directly.
//!
//! The abbreviated month names of medium dates are **not** taken from glibc:
//! they differ from CLDR for French (`avril`, CLDR `avr.`) and Spanish
//! (`sep`, CLDR `sept`), so [`month_abbreviation`] holds CLDR 48's
//! abbreviated (format) month names for every language.
//!
//! # Where we deliberately differ from CLDR
//!
//! Two rules of grammar that CLDR's patterns cannot express:
//!
//! - **French `1er`.** French writes the first day of a month as an ordinal,
//!   `1er janvier 2025` (Imprimerie nationale, Académie française); CLDR and
//!   ICU print `1 janvier 2025`, which a French reader sees as a mistake. We
//!   write `1er` in full, long and medium dates (short dates are numeric:
//!   `01/01/2025`). Every other day is a cardinal number, as in CLDR.
//! - **Spanish `a la 1:05`.** CLDR's long date-time joiner is ` a las `,
//!   which is right for every hour but one o'clock: `a la 1:05`. We write
//!   ` a la ` when the hour is 1 and ` a las ` otherwise. The catalogs do not
//!   depend on it (the Spanish alert descriptions separate the date and the
//!   time with a comma, as the native review asked), but
//!   `Localizer::format_datetime` and tenant overrides do.
//!
//! Numbers are formatted here too, from a five-row table after CLDR 48:
//! decimal separator, group separator, the minimum number of digits before
//! grouping starts (`minimumGroupingDigits`: Spanish and Italian write `1234`
//! but `12.345`) and the percent pattern.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike as _, Offset as _, Timelike as _, Utc};
use chrono_tz::Tz;
use fluent_bundle::types::{FluentNumber, FluentNumberStyle, FluentType};
use fluent_bundle::{FluentArgs, FluentValue};
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

/// How long the date part of a formatted instant is.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
#[non_exhaustive]
pub enum DateLength {
    /// With the weekday: `Tuesday, March 4, 2025`, `mardi 4 mars 2025`.
    Full,
    /// With the month name: `March 4, 2025`, `4. März 2025`.
    Long,
    /// With an abbreviated month, or numeric where the locale prefers it:
    /// `Mar 4, 2025`, `04.03.2025`.
    Medium,
    /// Numeric: `3/4/25`, `04/03/2025`.
    Short,
}

/// How long the time part of a formatted instant is.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
#[non_exhaustive]
pub enum TimeLength {
    /// Hours and minutes: `2:05 PM`, `14:05`.
    Short,
    /// Hours, minutes and seconds: `2:05:09 PM`, `14:05:09`.
    Medium,
}

/// Which parts of an instant to write, and how long each is.
///
/// In a catalog this is what `DATETIME($when, dateStyle: "long", timeStyle:
/// "short", timeZoneName: "short")` asks for; the names follow JavaScript's
/// `Intl.DateTimeFormat`.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub struct DateTimeStyle {
    /// The date part, if any.
    pub date: Option<DateLength>,
    /// The time part, if any.
    pub time: Option<TimeLength>,
    /// Whether to add the offset from UTC of the tenant's time zone at that
    /// instant, as `UTC+1`, `UTC-5` or `UTC+5:30`. Offsets are written the
    /// same way in every language, and unlike abbreviations such as `CET`
    /// (German readers know it as `MEZ`) they are never ambiguous.
    pub time_zone_name: bool,
}

impl Default for DateTimeStyle {
    /// A medium date and a short time: `Mar 4, 2025, 2:05 PM`.
    fn default() -> Self {
        DateTimeStyle {
            date: Some(DateLength::Medium),
            time: Some(TimeLength::Short),
            time_zone_name: false,
        }
    }
}

/// The languages we have conventions for; any other language gets English
/// conventions, like the fallback chain that ends in `en`.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Language {
    En,
    Fr,
    De,
    Es,
    It,
}

/// The conventions of one language, memoized per bundle by Fluent.
#[derive(Debug)]
pub(crate) struct Conventions {
    language: Language,
}

impl Memoizable for Conventions {
    type Args = ();
    type Error = Infallible;

    fn construct(lang: LanguageIdentifier, _args: ()) -> Result<Self, Infallible> {
        Ok(Conventions::for_language(&lang))
    }
}

impl Conventions {
    pub(crate) fn for_language(lang: &LanguageIdentifier) -> Conventions {
        let language = match lang.language.as_str() {
            "fr" => Language::Fr,
            "de" => Language::De,
            "es" => Language::Es,
            "it" => Language::It,
            _ => Language::En,
        };
        Conventions { language }
    }

    fn decimal_separator(&self) -> &'static str {
        match self.language {
            Language::En => ".",
            Language::Fr | Language::De | Language::Es | Language::It => ",",
        }
    }

    fn group_separator(&self) -> &'static str {
        match self.language {
            Language::En => ",",
            // CLDR's French group separator is U+202F NARROW NO-BREAK SPACE.
            Language::Fr => "\u{202f}",
            Language::De | Language::Es | Language::It => ".",
        }
    }

    /// CLDR 48's `minimumGroupingDigits`: Spanish and Italian do not group
    /// four-digit numbers (`1234`, but `12.345`).
    fn minimum_grouping_digits(&self) -> usize {
        match self.language {
            Language::Es | Language::It => 2,
            Language::En | Language::Fr | Language::De => 1,
        }
    }

    fn percent_suffix(&self) -> &'static str {
        match self.language {
            Language::En | Language::It => "%",
            Language::Fr | Language::De | Language::Es => "\u{a0}%",
        }
    }

    fn chrono_locale(&self) -> chrono::Locale {
        match self.language {
            Language::En => chrono::Locale::en_US,
            Language::Fr => chrono::Locale::fr_FR,
            Language::De => chrono::Locale::de_DE,
            Language::Es => chrono::Locale::es_ES,
            Language::It => chrono::Locale::it_IT,
        }
    }

    /// Formats a number the way `Intl.NumberFormat` does for the options
    /// Fluent knows: style decimal or percent, grouping, minimum integer
    /// digits and minimum/maximum fraction digits. Significant-digit and
    /// currency options are not used by our catalogs and are ignored.
    pub(crate) fn format_number(&self, number: &FluentNumber) -> String {
        let options = &number.options;
        let percent = options.style == FluentNumberStyle::Percent;
        let value = number.value;
        if value.is_nan() {
            return "NaN".to_owned();
        }
        if value.is_infinite() {
            let sign = if value < 0.0 { "-" } else { "" };
            return format!("{sign}∞");
        }
        let default_max = if percent { 0 } else { 3 };
        let min_fraction = options.minimum_fraction_digits.unwrap_or(0).min(20);
        let max_fraction = options
            .maximum_fraction_digits
            .unwrap_or(default_max)
            .clamp(min_fraction, 20);

        let (integer, fraction) =
            round_decimal(value.abs(), if percent { 2 } else { 0 }, max_fraction);
        let mut fraction = fraction.trim_end_matches('0').to_owned();
        while fraction.len() < min_fraction {
            fraction.push('0');
        }
        let mut integer = integer;
        while integer.len() < options.minimum_integer_digits.unwrap_or(1).min(40) {
            integer.insert(0, '0');
        }
        let is_zero = integer.bytes().all(|b| b == b'0') && fraction.bytes().all(|b| b == b'0');

        let mut out = String::new();
        if value < 0.0 && !is_zero {
            out.push('-');
        }
        if options.use_grouping && integer.len() >= 3 + self.minimum_grouping_digits() {
            let first = integer.len() % 3;
            for (i, digit) in integer.chars().enumerate() {
                if i > 0 && i % 3 == first % 3 {
                    out.push_str(self.group_separator());
                }
                out.push(digit);
            }
        } else {
            out.push_str(&integer);
        }
        if !fraction.is_empty() {
            out.push_str(self.decimal_separator());
            out.push_str(&fraction);
        }
        if percent {
            out.push_str(self.percent_suffix());
        }
        out
    }

    /// The strftime pattern of a date part, after CLDR 48.
    fn date_pattern(&self, length: DateLength) -> &'static str {
        use DateLength::{Full, Long, Medium, Short};
        match (self.language, length) {
            (Language::En, Full) => "%A, %B %-d, %Y",
            (Language::En, Long) => "%B %-d, %Y",
            (Language::En, Medium) => "%b %-d, %Y",
            (Language::En, Short) => "%-m/%-d/%y",
            (Language::Fr, Full) => "%A %-d %B %Y",
            (Language::Fr, Long) => "%-d %B %Y",
            (Language::Fr, Medium) => "%-d %b %Y",
            (Language::Fr, Short) => "%d/%m/%Y",
            (Language::De, Full) => "%A, %-d. %B %Y",
            (Language::De, Long) => "%-d. %B %Y",
            (Language::De, Medium) => "%d.%m.%Y",
            (Language::De, Short) => "%d.%m.%y",
            (Language::Es, Full) => "%A, %-d de %B de %Y",
            (Language::Es, Long) => "%-d de %B de %Y",
            (Language::Es, Medium) => "%-d %b %Y",
            (Language::Es, Short) => "%-d/%-m/%y",
            (Language::It, Full) => "%A %-d %B %Y",
            (Language::It, Long) => "%-d %B %Y",
            (Language::It, Medium) => "%-d %b %Y",
            (Language::It, Short) => "%d/%m/%y",
        }
    }

    /// The strftime pattern of a time part: English uses a 12-hour clock,
    /// the others a 24-hour clock (Spanish without a leading zero).
    fn time_pattern(&self, length: TimeLength) -> &'static str {
        match (self.language, length) {
            (Language::En, TimeLength::Short) => "%-I:%M %p",
            (Language::En, TimeLength::Medium) => "%-I:%M:%S %p",
            (Language::Es, TimeLength::Short) => "%-H:%M",
            (Language::Es, TimeLength::Medium) => "%-H:%M:%S",
            (_, TimeLength::Short) => "%H:%M",
            (_, TimeLength::Medium) => "%H:%M:%S",
        }
    }

    /// What goes between the date and the time; CLDR's `dateTimeFormats`
    /// depend on the length of the date. `hour` is the local hour: Spanish
    /// says `a la 1:05` but `a las 2:05` (see the module documentation).
    fn date_time_glue(&self, length: DateLength, hour: u32) -> &'static str {
        use DateLength::{Full, Long, Short};
        match (self.language, length) {
            (Language::Es, Long) if hour == 1 => " a la ",
            (Language::En, Full | Long) => " at ",
            (Language::Fr, Full | Long) => " à ",
            (Language::Fr, Short) => " ",
            (Language::De, Full | Long) => " um ",
            (Language::Es, Long) => " a las ",
            (Language::It, Full | Long) => " alle ore ",
            _ => ", ",
        }
    }

    /// Formats an instant in a time zone.
    pub(crate) fn format_datetime(
        &self,
        instant: DateTime<Utc>,
        time_zone: Tz,
        style: DateTimeStyle,
    ) -> String {
        let local = instant.with_timezone(&time_zone);
        let locale = self.chrono_locale();
        let mut out = String::new();
        if let Some(date) = style.date {
            self.write_date(&mut out, &local, date);
            if style.time.is_some() {
                out.push_str(self.date_time_glue(date, local.hour()));
            }
        }
        if let Some(time) = style.time {
            // Writing into a String cannot fail; chrono reports an error only
            // for an invalid pattern, and ours are fixed and tested.
            let _ = write!(
                out,
                "{}",
                local.format_localized(self.time_pattern(time), locale)
            );
        }
        if style.time_zone_name {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&utc_offset(local.offset().fix().local_minus_utc()));
        }
        out
    }

    /// Writes the date part. chrono writes everything but two fields of the
    /// pattern: `%b`, the abbreviated month, comes from CLDR
    /// ([`month_abbreviation`]), and `%-d`, the day, is `1er` on the first of
    /// the month in French dates that name the month.
    fn write_date(&self, out: &mut String, local: &DateTime<Tz>, length: DateLength) {
        let locale = self.chrono_locale();
        let mut rest = self.date_pattern(length);
        while !rest.is_empty() {
            let next = [rest.find("%b"), rest.find("%-d")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(rest.len());
            let (literal, tail) = rest.split_at(next);
            if !literal.is_empty() {
                let _ = write!(out, "{}", local.format_localized(literal, locale));
            }
            rest = if let Some(tail) = tail.strip_prefix("%b") {
                out.push_str(month_abbreviation(self.language, local.month()));
                tail
            } else if let Some(tail) = tail.strip_prefix("%-d") {
                let day = local.day();
                let _ = write!(out, "{day}");
                if day == 1 && self.language == Language::Fr && length != DateLength::Short {
                    out.push_str("er");
                }
                tail
            } else {
                tail
            };
        }
    }
}

/// CLDR 48's abbreviated month names (format context, as in medium dates) of
/// `month` (1 to 12). glibc's, which chrono has, differ for French and
/// Spanish.
fn month_abbreviation(language: Language, month: u32) -> &'static str {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const DE: [&str; 12] = [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ];
    const ES: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ];
    const IT: [&str; 12] = [
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ];
    let names = match language {
        Language::En => &EN,
        Language::Fr => &FR,
        Language::De => &DE,
        Language::Es => &ES,
        Language::It => &IT,
    };
    let index = usize::try_from(month).unwrap_or(0).wrapping_sub(1);
    debug_assert!(index < 12, "month {month}");
    names.get(index).copied().unwrap_or("")
}

/// The digits of `value * 10^shift` rounded to `max_fraction` decimals, as
/// (integer digits, fraction digits).
///
/// Like `Intl.NumberFormat`, this works on the shortest decimal that reads
/// back as the same `f64` (what `Display` prints: `0.8525`, not
/// `0.85249999...`) and rounds half away from zero, so 0.8525 as a percent
/// with one decimal is `85.3`, as a person expects.
fn round_decimal(value: f64, shift: usize, max_fraction: usize) -> (String, String) {
    let text = value.to_string();
    let (integer, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut digits: Vec<u8> = integer
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    let mut point = integer.len() + shift;
    while digits.len() < point {
        digits.push(0);
    }
    let keep = point + max_fraction;
    if digits.len() > keep {
        let round_up = digits.get(keep).is_some_and(|d| *d >= 5);
        digits.truncate(keep);
        if round_up {
            let mut i = keep;
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    point += 1;
                    break;
                }
                i -= 1;
                match digits.get_mut(i) {
                    Some(d) if *d == 9 => *d = 0,
                    Some(d) => {
                        *d += 1;
                        break;
                    }
                    None => break,
                }
            }
        }
    }
    let to_text = |slice: &[u8]| -> String { slice.iter().map(|d| char::from(b'0' + d)).collect() };
    let (integer, fraction) = digits.split_at(point.min(digits.len()));
    let integer = to_text(integer).trim_start_matches('0').to_owned();
    let integer = if integer.is_empty() {
        "0".to_owned()
    } else {
        integer
    };
    (integer, to_text(fraction))
}

/// `UTC`, `UTC+1`, `UTC-5`, `UTC+5:30`.
fn utc_offset(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    if minutes == 0 {
        format!("UTC{sign}{hours}")
    } else {
        format!("UTC{sign}{hours}:{minutes:02}")
    }
}

/// An instant that Fluent carries as an argument value; it is written in the
/// bundle's language when the message is formatted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FluentDateTime {
    pub(crate) instant: DateTime<Utc>,
    pub(crate) time_zone: Tz,
    pub(crate) style: DateTimeStyle,
}

impl FluentType for FluentDateTime {
    fn duplicate(&self) -> Box<dyn FluentType + Send> {
        Box::new(self.clone())
    }

    fn as_string(&self, intls: &intl_memoizer::IntlLangMemoizer) -> Cow<'static, str> {
        intls
            .with_try_get::<Conventions, _, _>((), |c| {
                c.format_datetime(self.instant, self.time_zone, self.style)
            })
            .unwrap_or_else(|never| match never {})
            .into()
    }

    fn as_string_threadsafe(
        &self,
        intls: &intl_memoizer::concurrent::IntlLangMemoizer,
    ) -> Cow<'static, str> {
        intls
            .with_try_get::<Conventions, _, _>((), |c| {
                c.format_datetime(self.instant, self.time_zone, self.style)
            })
            .unwrap_or_else(|never| match never {})
            .into()
    }
}

/// The bundle's formatter hook: numbers in the bundle's language. Other values
/// keep Fluent's own formatting.
pub(crate) fn format_value(
    value: &FluentValue<'_>,
    intls: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match value {
        FluentValue::Number(number) => intls
            .with_try_get::<Conventions, _, _>((), |c| c.format_number(number))
            .ok(),
        _ => None,
    }
}

/// Fluent gives a function no way to report an error: a function that
/// returns `FluentValue::Error` leaves its name in the output and nothing in
/// the error list. Our functions therefore record their errors here, on the
/// formatting thread, and `Localizer::format` turns them into an `Err`.
mod function_errors {
    use std::cell::RefCell;

    thread_local! {
        static ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn record(error: String) {
        ERRORS.with(|errors| errors.borrow_mut().push(error));
    }

    pub(crate) fn take() -> Vec<String> {
        ERRORS.with(|errors| std::mem::take(&mut *errors.borrow_mut()))
    }
}

pub(crate) use function_errors::take as take_function_errors;

/// The names of the functions catalogs and overrides may call.
pub(crate) const FUNCTIONS: [&str; 2] = ["DATETIME", "NUMBER"];

/// `DATETIME($instant, dateStyle: ..., timeStyle: ..., timeZoneName: ...)`.
///
/// With neither `dateStyle` nor `timeStyle` it writes a medium date and a
/// short time; with only one of them, only that part.
pub(crate) fn datetime_function<'a>(
    positional: &[FluentValue<'a>],
    named: &FluentArgs<'_>,
) -> FluentValue<'a> {
    let Some(FluentValue::Custom(custom)) = positional.first() else {
        if !matches!(positional.first(), Some(FluentValue::Error)) {
            // A missing variable was already reported by Fluent.
            function_errors::record("`DATETIME` needs an instant as its argument".to_owned());
        }
        return FluentValue::Error;
    };
    let Some(instant) = custom.as_any().downcast_ref::<FluentDateTime>() else {
        function_errors::record("`DATETIME` needs an instant as its argument".to_owned());
        return FluentValue::Error;
    };
    let mut style = DateTimeStyle {
        date: None,
        time: None,
        time_zone_name: false,
    };
    let mut any_length = false;
    for (name, value) in named.iter() {
        let text = match value {
            FluentValue::String(text) => text.as_ref(),
            _ => "",
        };
        match (name, text) {
            ("dateStyle", "full") => style.date = Some(DateLength::Full),
            ("dateStyle", "long") => style.date = Some(DateLength::Long),
            ("dateStyle", "medium") => style.date = Some(DateLength::Medium),
            ("dateStyle", "short") => style.date = Some(DateLength::Short),
            ("timeStyle", "medium") => style.time = Some(TimeLength::Medium),
            ("timeStyle", "short") => style.time = Some(TimeLength::Short),
            ("timeZoneName", "short") => style.time_zone_name = true,
            ("timeZoneName", "none") => style.time_zone_name = false,
            _ => {
                function_errors::record(format!("`DATETIME` has no option `{name}: \"{text}\"`"));
                return FluentValue::Error;
            }
        }
        any_length |= name != "timeZoneName";
    }
    if !any_length {
        let default = DateTimeStyle::default();
        style.date = default.date;
        style.time = default.time;
    }
    FluentValue::Custom(Box::new(FluentDateTime {
        style,
        ..instant.clone()
    }))
}

/// `NUMBER($n, style: "percent", maximumFractionDigits: 1, ...)`: Fluent's
/// own function, except that a wrong argument is reported.
pub(crate) fn number_function<'a>(
    positional: &[FluentValue<'a>],
    named: &FluentArgs<'_>,
) -> FluentValue<'a> {
    match positional.first() {
        Some(FluentValue::Number(number)) => {
            let mut number = number.clone();
            number.options.merge(named);
            FluentValue::Number(number)
        }
        // A missing variable was already reported by Fluent.
        Some(FluentValue::Error) => FluentValue::Error,
        _ => {
            function_errors::record("`NUMBER` needs a number as its argument".to_owned());
            FluentValue::Error
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::types::FluentNumberOptions;

    fn langid(tag: &str) -> LanguageIdentifier {
        tag.parse().unwrap()
    }

    fn number(lang: LanguageIdentifier, value: f64, options: FluentNumberOptions) -> String {
        Conventions::for_language(&lang).format_number(&FluentNumber::new(value, options))
    }

    /// Each expected string was checked against ICU 78.2 / CLDR 48
    /// (`Intl.NumberFormat` of Node 20.20).
    #[test]
    fn numbers_follow_cldr() {
        let cases: [(LanguageIdentifier, [&str; 6]); 5] = [
            (
                langid("en"),
                [
                    "0.5",
                    "1,234.5",
                    "1,234",
                    "12,345",
                    "1,000,000",
                    "-1,234.568",
                ],
            ),
            (
                langid("fr"),
                [
                    "0,5",
                    "1\u{202f}234,5",
                    "1\u{202f}234",
                    "12\u{202f}345",
                    "1\u{202f}000\u{202f}000",
                    "-1\u{202f}234,568",
                ],
            ),
            (
                langid("de"),
                [
                    "0,5",
                    "1.234,5",
                    "1.234",
                    "12.345",
                    "1.000.000",
                    "-1.234,568",
                ],
            ),
            (
                langid("es"),
                ["0,5", "1234,5", "1234", "12.345", "1.000.000", "-1234,568"],
            ),
            // CLDR 48: minimumGroupingDigits = 2, as in Spanish.
            (
                langid("it"),
                ["0,5", "1234,5", "1234", "12.345", "1.000.000", "-1234,568"],
            ),
        ];
        let values = [0.5, 1234.5, 1234.0, 12345.0, 1_000_000.0, -1234.5678];
        for (lang, expected) in cases {
            let got: Vec<String> = values
                .iter()
                .map(|v| number(lang.clone(), *v, FluentNumberOptions::default()))
                .collect();
            assert_eq!(got, expected, "{lang}");
        }
    }

    #[test]
    fn percent_follows_cldr() {
        let options = FluentNumberOptions {
            style: FluentNumberStyle::Percent,
            maximum_fraction_digits: Some(1),
            ..FluentNumberOptions::default()
        };
        let expected = [
            (langid("en"), "12.5%"),
            (langid("fr"), "12,5\u{a0}%"),
            (langid("de"), "12,5\u{a0}%"),
            (langid("es"), "12,5\u{a0}%"),
            (langid("it"), "12,5%"),
        ];
        for (lang, want) in expected {
            assert_eq!(number(lang, 0.125, options.clone()), want);
        }
    }

    /// Italian groups from five digits on, in percentages too:
    /// `Intl.NumberFormat("it", { style: "percent" })` gives `1200%` and
    /// `12.345%` (ICU 78.2 / CLDR 48).
    #[test]
    fn italian_grouping_starts_at_five_digits() {
        let it = || langid("it");
        let plain = FluentNumberOptions::default;
        assert_eq!(number(it(), 999.0, plain()), "999");
        assert_eq!(number(it(), 1234.0, plain()), "1234");
        assert_eq!(number(it(), 9999.5, plain()), "9999,5");
        assert_eq!(number(it(), 12345.0, plain()), "12.345");
        assert_eq!(number(it(), 123_456_789.0, plain()), "123.456.789");
        let percent = || FluentNumberOptions {
            style: FluentNumberStyle::Percent,
            ..FluentNumberOptions::default()
        };
        assert_eq!(number(it(), 12.0, percent()), "1200%");
        assert_eq!(number(it(), 123.45, percent()), "12.345%");
    }

    fn date(lang: &str, instant: &str, length: DateLength, time: Option<TimeLength>) -> String {
        let instant = DateTime::parse_from_rfc3339(instant)
            .unwrap()
            .with_timezone(&Utc);
        let style = DateTimeStyle {
            date: Some(length),
            time,
            time_zone_name: false,
        };
        Conventions::for_language(&langid(lang)).format_datetime(instant, Tz::UTC, style)
    }

    /// Medium dates on the 4th of every month, against
    /// `Intl.DateTimeFormat(lang, { dateStyle: "medium" })` of ICU 78.2 /
    /// CLDR 48: glibc's `avril` and `sep` must not leak through.
    #[test]
    fn medium_dates_use_cldr_month_abbreviations() {
        let expected: [(&str, [&str; 12]); 4] = [
            (
                "en",
                [
                    "Jan 4, 2025",
                    "Feb 4, 2025",
                    "Mar 4, 2025",
                    "Apr 4, 2025",
                    "May 4, 2025",
                    "Jun 4, 2025",
                    "Jul 4, 2025",
                    "Aug 4, 2025",
                    "Sep 4, 2025",
                    "Oct 4, 2025",
                    "Nov 4, 2025",
                    "Dec 4, 2025",
                ],
            ),
            (
                "fr",
                [
                    "4 janv. 2025",
                    "4 févr. 2025",
                    "4 mars 2025",
                    "4 avr. 2025",
                    "4 mai 2025",
                    "4 juin 2025",
                    "4 juil. 2025",
                    "4 août 2025",
                    "4 sept. 2025",
                    "4 oct. 2025",
                    "4 nov. 2025",
                    "4 déc. 2025",
                ],
            ),
            (
                "es",
                [
                    "4 ene 2025",
                    "4 feb 2025",
                    "4 mar 2025",
                    "4 abr 2025",
                    "4 may 2025",
                    "4 jun 2025",
                    "4 jul 2025",
                    "4 ago 2025",
                    "4 sept 2025",
                    "4 oct 2025",
                    "4 nov 2025",
                    "4 dic 2025",
                ],
            ),
            (
                "it",
                [
                    "4 gen 2025",
                    "4 feb 2025",
                    "4 mar 2025",
                    "4 apr 2025",
                    "4 mag 2025",
                    "4 giu 2025",
                    "4 lug 2025",
                    "4 ago 2025",
                    "4 set 2025",
                    "4 ott 2025",
                    "4 nov 2025",
                    "4 dic 2025",
                ],
            ),
        ];
        for (lang, months) in expected {
            for (month, want) in (1..=12).zip(months) {
                let instant = format!("2025-{month:02}-04T12:00:00Z");
                assert_eq!(date(lang, &instant, DateLength::Medium, None), want);
            }
        }
        // German medium dates are numeric; its abbreviations are CLDR's too.
        assert_eq!(
            date("de", "2025-04-04T12:00:00Z", DateLength::Medium, None),
            "04.04.2025"
        );
        assert_eq!(month_abbreviation(Language::De, 3), "März");
    }

    /// French writes the first of the month as `1er` where the month is
    /// named; ICU 78.2 writes `1 janvier 2025`, a documented divergence.
    /// Short dates stay numeric, and other days stay cardinal.
    #[test]
    fn french_first_of_the_month_is_an_ordinal() {
        let first = "2025-01-01T13:05:00Z";
        let short = Some(TimeLength::Short);
        assert_eq!(
            date("fr", first, DateLength::Full, short),
            "mercredi 1er janvier 2025 à 13:05"
        );
        assert_eq!(
            date("fr", first, DateLength::Long, None),
            "1er janvier 2025"
        );
        assert_eq!(
            date("fr", first, DateLength::Medium, short),
            "1er janv. 2025, 13:05"
        );
        assert_eq!(date("fr", first, DateLength::Short, None), "01/01/2025");
        assert_eq!(
            date("fr", "2025-01-02T13:05:00Z", DateLength::Long, None),
            "2 janvier 2025"
        );
        assert_eq!(
            date("fr", "2025-04-11T13:05:00Z", DateLength::Long, None),
            "11 avril 2025"
        );
        // Other languages keep CLDR's cardinal day.
        assert_eq!(date("it", first, DateLength::Long, None), "1 gennaio 2025");
        assert_eq!(date("es", first, DateLength::Short, None), "1/1/25");
    }

    /// Spanish: `a la 1:05`, `a las 13:05` and `a las 0:05` (ICU 78.2 writes
    /// `a las 1:05`, a documented divergence); only long dates have the
    /// joiner, full dates take a comma as in CLDR.
    #[test]
    fn spanish_one_o_clock_takes_the_singular_article() {
        let short = Some(TimeLength::Short);
        let long = |instant| date("es", instant, DateLength::Long, short);
        assert_eq!(long("2025-01-01T01:05:00Z"), "1 de enero de 2025 a la 1:05");
        assert_eq!(
            long("2025-01-01T13:05:00Z"),
            "1 de enero de 2025 a las 13:05"
        );
        assert_eq!(
            long("2025-01-01T00:05:00Z"),
            "1 de enero de 2025 a las 0:05"
        );
        assert_eq!(
            long("2025-01-01T02:05:00Z"),
            "1 de enero de 2025 a las 2:05"
        );
        assert_eq!(
            date("es", "2025-01-01T01:05:00Z", DateLength::Full, short),
            "miércoles, 1 de enero de 2025, 1:05"
        );
    }

    #[test]
    fn fraction_digits_and_grouping_options() {
        let en = langid("en");
        let two = FluentNumberOptions {
            minimum_fraction_digits: Some(2),
            ..FluentNumberOptions::default()
        };
        assert_eq!(number(en.clone(), 3.0, two), "3.00");
        let no_grouping = FluentNumberOptions {
            use_grouping: false,
            ..FluentNumberOptions::default()
        };
        assert_eq!(number(en.clone(), 1234567.0, no_grouping), "1234567");
        assert_eq!(
            number(en.clone(), -0.0001, FluentNumberOptions::default()),
            "0"
        );
        assert_eq!(
            number(en, f64::INFINITY, FluentNumberOptions::default()),
            "∞"
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_shortest_decimal() {
        let percent = |value: f64, digits: usize| {
            let options = FluentNumberOptions {
                style: FluentNumberStyle::Percent,
                maximum_fraction_digits: Some(digits),
                ..FluentNumberOptions::default()
            };
            number(langid("en"), value, options)
        };
        assert_eq!(percent(0.8525, 1), "85.3%");
        assert_eq!(percent(0.8525, 0), "85%");
        assert_eq!(percent(0.9995, 1), "100%");
        assert_eq!(percent(0.0001, 2), "0.01%");
        assert_eq!(percent(12.0, 0), "1,200%");
        let plain = |value: f64| number(langid("en"), value, FluentNumberOptions::default());
        assert_eq!(plain(0.0005), "0.001");
        assert_eq!(plain(999.9996), "1,000");
        assert_eq!(plain(2.5), "2.5");
        assert_eq!(plain(1e21), "1,000,000,000,000,000,000,000");
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(utc_offset(0), "UTC");
        assert_eq!(utc_offset(3600), "UTC+1");
        assert_eq!(utc_offset(-5 * 3600), "UTC-5");
        assert_eq!(utc_offset(5 * 3600 + 1800), "UTC+5:30");
    }
}

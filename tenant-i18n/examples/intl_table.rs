//! Formats a table of numbers, percentages and dates with tenant-i18n, one
//! case a line on standard input, one result a line on standard output; the
//! conformance script `.ci/conformance/i18n-icu.sh` compares the results with
//! what Node's `Intl` (ICU) writes for the same cases.
//!
//! Cases, fields separated by single spaces:
//!
//! - `number TAG VALUE`: `Localizer::format_number`.
//! - `percent TAG VALUE DIGITS`: `NUMBER($ratio, style: "percent",
//!   maximumFractionDigits: DIGITS)` in a tenant override, so the number goes
//!   through Fluent and the bundle's formatter as catalog numbers do.
//! - `date TAG INSTANT ZONE DATE_STYLE TIME_STYLE`: `Localizer::format_datetime`
//!   with `full`, `long`, `medium`, `short` or `-` (none) for the date and
//!   `short`, `medium` or `-` for the time.

use std::error::Error;
use std::io::{self, BufRead as _, Write as _};

use chrono::{DateTime, Utc};
use tenant_i18n::{
    Args, DateLength, DateTimeStyle, LanguageIdentifier, Localizer, LocalizerConfig,
    TenantOverrides, TimeLength, Tz,
};

fn date_length(text: &str) -> Result<Option<DateLength>, String> {
    Ok(match text {
        "full" => Some(DateLength::Full),
        "long" => Some(DateLength::Long),
        "medium" => Some(DateLength::Medium),
        "short" => Some(DateLength::Short),
        "-" => None,
        other => return Err(format!("unknown date style `{other}`")),
    })
}

fn time_length(text: &str) -> Result<Option<TimeLength>, String> {
    Ok(match text {
        "short" => Some(TimeLength::Short),
        "medium" => Some(TimeLength::Medium),
        "-" => None,
        other => return Err(format!("unknown time style `{other}`")),
    })
}

fn localizer(tag: &str, zone: Tz, overrides: Option<String>) -> Result<Localizer, Box<dyn Error>> {
    let locale: LanguageIdentifier = tag.parse()?;
    let mut config = LocalizerConfig::new(locale.clone(), zone);
    if let Some(source) = overrides {
        config.overrides = TenantOverrides::new([(locale, source)])?;
    }
    Ok(Localizer::new(&config))
}

fn format_case(line: &str) -> Result<String, Box<dyn Error>> {
    let fields: Vec<&str> = line.split(' ').collect();
    match fields.as_slice() {
        ["number", tag, value] => Ok(localizer(tag, Tz::UTC, None)?.format_number(value.parse()?)),
        ["percent", tag, value, digits] => {
            let digits: u8 = digits.parse()?;
            // `slo-budget-remaining` is a message whose `$ratio` the
            // renderers pass; the override keeps only the number.
            let source = format!(
                "slo-budget-remaining = {{ NUMBER($ratio, style: \"percent\", maximumFractionDigits: {digits}) }}\n"
            );
            let l10n = localizer(tag, Tz::UTC, Some(source))?;
            let value: f64 = value.parse()?;
            let args = Args::new().with("ratio", value);
            Ok(l10n.format("slo-budget-remaining", &args)?)
        }
        ["date", tag, instant, zone, date, time] => {
            let zone: Tz = zone.parse()?;
            let instant: DateTime<Utc> = DateTime::parse_from_rfc3339(instant)?.with_timezone(&Utc);
            let style = DateTimeStyle {
                date: date_length(date)?,
                time: time_length(time)?,
                time_zone_name: false,
            };
            Ok(localizer(tag, zone, None)?.format_datetime(instant, style))
        }
        _ => Err(format!("bad case `{line}`").into()),
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let text = format_case(&line).map_err(|e| format!("{line}: {e}"))?;
        writeln!(out, "{text}")?;
    }
    out.flush()?;
    Ok(())
}

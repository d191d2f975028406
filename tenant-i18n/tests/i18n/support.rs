//! Helpers shared by the test modules: localizers and sample arguments.

use chrono::{DateTime, TimeZone, Utc};
use tenant_i18n::{Args, LanguageIdentifier, Localizer, LocalizerConfig, Tz};

pub(crate) fn lang(tag: &str) -> LanguageIdentifier {
    tag.parse().unwrap()
}

pub(crate) fn localizer(tag: &str, time_zone: Tz) -> Localizer {
    Localizer::new(&LocalizerConfig::new(lang(tag), time_zone))
}

pub(crate) fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// 2025-03-04 13:05:09 UTC, a Tuesday, before any daylight saving time.
pub(crate) fn winter() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 4, 13, 5, 9).unwrap()
}

/// A value for every variable the catalogs use, of the type the renderers
/// pass.
pub(crate) fn sample_args() -> Args {
    Args::new()
        .with("alert", "HighErrorRate")
        .with("tenant", "Acme Corp")
        .with("severity", "Critical")
        .with("since", winter())
        .with("resolved_at", utc("2025-03-04T14:17:00Z"))
        .with("duration", "72 minutes")
        .with("count", 3)
        .with("minutes", 72)
        .with("hours", 5)
        .with("days", 12)
        .with("slo", "checkout-availability")
        .with("burn_rate", 14.4)
        .with("ratio", 0.8525)
        .with("quota", "Storage")
        .with("used", "850 GiB")
        .with("limit", "1 TiB")
        .with("generated_at", winter())
        .with("passed", 7)
        .with("total", 9)
        .with("failed", 2)
        .with("region", "us-east-1")
        .with("allowed", "eu-west-1, eu-central-1")
        .with("limit_days", 30)
        .with("role", "tenant-admin")
        .with("max_days", 90)
        .with("binding", "ops-admins")
        .with("subject", "group:ops")
        .with("sent_at", winter())
        .with("starts_at", utc("2025-03-08T22:00:00Z"))
        .with("ends_at", utc("2025-03-09T02:00:00Z"))
}

/// Every message and attribute id of the `en` catalog, in source order.
pub(crate) fn english_ids() -> Vec<String> {
    let source = include_str!("../../locales/en/tenant-kit.ftl");
    let resource = fluent_syntax::parser::parse(source).unwrap();
    let mut ids = Vec::new();
    for entry in &resource.body {
        if let fluent_syntax::ast::Entry::Message(message) = entry {
            if message.value.is_some() {
                ids.push(message.id.name.to_owned());
            }
            for attribute in &message.attributes {
                ids.push(format!("{}.{}", message.id.name, attribute.id.name));
            }
        }
    }
    ids
}

//! Validated text values: the small string types every document is built from.
//!
//! Each type checks its text when it is created or deserialized, keeps the text
//! exactly as written (so documents round-trip) and, where it has one, the
//! parsed form (a time zone, a duration in milliseconds, a language
//! identifier). Their JSON Schemas carry the same rule as a pattern or format
//! where JSON Schema can express it.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that failed its type's rule: what was expected and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value}: {reason}")]
pub struct InvalidValue {
    what: &'static str,
    value: String,
    reason: String,
}

impl InvalidValue {
    fn new(what: &'static str, value: &str, reason: impl Into<String>) -> Self {
        // Hostile input may be huge, hold control characters or be a
        // credential in the wrong field: the error quotes a bounded,
        // escaped prefix of it, or nothing when it looks like a credential.
        InvalidValue {
            what,
            value: crate::show::quote(value),
            reason: reason.into(),
        }
    }

    /// What kind of value was expected, e.g. `time zone`.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// Why the value was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// The kinds of validated text and a value of each that passes its rule.
///
/// The document parser uses this to keep going after a bad value: it puts the
/// placeholder in the bad value's place so that the rest of the document is
/// still checked, and drops every later problem found under that place.
pub(crate) fn placeholder_for(message: &str) -> Option<&'static str> {
    let rest = message.strip_prefix("invalid ")?;
    PLACEHOLDERS
        .iter()
        .find(|(what, _)| {
            rest.strip_prefix(what)
                .is_some_and(|tail| tail.starts_with(" `"))
        })
        .map(|(_, placeholder)| *placeholder)
}

macro_rules! text_types {
    ($(
        $(#[$doc:meta])*
        $name:ident($parsed:ty) {
            what: $what:literal,
            placeholder: $placeholder:literal,
            schema: $schema:expr,
            parse: $parse:expr,
        }
    )*) => {
        const PLACEHOLDERS: &[(&str, &str)] = &[$(($what, $placeholder)),*];

        $(
            $(#[$doc])*
            #[derive(Clone)]
            pub struct $name {
                raw: String,
                #[allow(dead_code, reason = "some kinds keep no parsed form")]
                parsed: $parsed,
            }

            impl $name {
                /// Checks `text` against this type's rule.
                pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
                    let raw = text.into();
                    let parse: fn(&str) -> Result<$parsed, String> = $parse;
                    match parse(&raw) {
                        Ok(parsed) => Ok(Self { raw, parsed }),
                        Err(reason) => Err(InvalidValue::new($what, &raw, reason)),
                    }
                }

                /// The text exactly as written.
                pub fn as_str(&self) -> &str {
                    &self.raw
                }
            }

            impl FromStr for $name {
                type Err = InvalidValue;
                fn from_str(text: &str) -> Result<Self, InvalidValue> {
                    Self::new(text)
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.raw)
                }
            }

            impl fmt::Debug for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Debug::fmt(&self.raw, f)
                }
            }

            impl PartialEq for $name {
                fn eq(&self, other: &Self) -> bool {
                    self.raw == other.raw
                }
            }

            impl Eq for $name {}

            impl PartialOrd for $name {
                fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                    Some(self.cmp(other))
                }
            }

            impl Ord for $name {
                fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                    self.raw.cmp(&other.raw)
                }
            }

            impl std::hash::Hash for $name {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.raw.hash(state)
                }
            }

            impl AsRef<str> for $name {
                fn as_ref(&self) -> &str {
                    &self.raw
                }
            }

            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(&self.raw)
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let text = Cow::<'de, str>::deserialize(deserializer)?;
                    Self::new(text.into_owned()).map_err(serde::de::Error::custom)
                }
            }

            #[cfg(feature = "schema")]
            impl JsonSchema for $name {
                fn schema_name() -> Cow<'static, str> {
                    Cow::Borrowed(stringify!($name))
                }

                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    let schema: fn() -> Schema = $schema;
                    schema()
                }
            }
        )*
    };
}

text_types! {
    /// A tenant's short name: its name in every target system, so it uses only
    /// what all of them accept unquoted: `^[a-z][a-z0-9-]{1,61}[a-z0-9]$`.
    Slug(()) {
        what: "slug",
        placeholder: "placeholder-slug",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9-]{1,61}[a-z0-9]$",
            "description": "Lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit; 3 to 63 characters."
        }),
        parse: |s| parse_slug(s),
    }

    /// A name inside a tenant's document (role, receiver, template, SLO,
    /// dashboard): `^[a-z][a-z0-9_-]{0,62}$`.
    Name(()) {
        what: "name",
        placeholder: "placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9_-]{0,62}$",
            "description": "Lowercase letters, digits, `_` and `-`; starts with a letter; at most 63 characters."
        }),
        parse: |s| parse_name(s),
    }

    /// A PostgreSQL identifier that needs no quoting: `^[a-z_][a-z0-9_]{0,62}$`
    /// and not a reserved word such as `public` or a `pg_` name.
    SqlIdentifier(()) {
        what: "SQL identifier",
        placeholder: "placeholder_identifier",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^(?!pg_)[a-z_][a-z0-9_]{0,62}$",
            "not": { "enum": SQL_RESERVED },
            "description": "Lowercase PostgreSQL identifier: letters, digits and `_`, at most 63 bytes, not starting with `pg_`."
        }),
        parse: |s| parse_sql_identifier(s),
    }

    /// A Redis key prefix owned by one tenant, ending in `:`, e.g. `acme:`.
    KeyPrefix(()) {
        what: "cache key prefix",
        placeholder: "placeholder:",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[a-z][a-z0-9_-]*(:[a-z0-9_-]+)*:$",
            "maxLength": 64,
            "description": "Redis key prefix: lowercase segments separated by `:`, ending in `:`."
        }),
        parse: |s| parse_key_prefix(s),
    }

    /// A Prometheus duration such as `30s`, `5m`, `1h30m` or `30d`.
    PromDuration(u64) {
        what: "duration",
        placeholder: "1m",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$",
            "minLength": 1,
            "description": "Prometheus duration: units y, w, d, h, m, s, ms, largest first, e.g. `1h30m`."
        }),
        parse: |s| parse_prom_duration(s),
    }

    /// An IANA time zone name such as `Europe/Paris`.
    TimeZone(chrono_tz::Tz) {
        what: "time zone",
        placeholder: "UTC",
        schema: || json_schema!({
            "type": "string",
            "enum": chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect::<Vec<_>>(),
            "description": "IANA time zone name, e.g. `Europe/Paris`, `America/New_York`, `UTC`."
        }),
        parse: |s| s.parse::<chrono_tz::Tz>().map_err(|_| "expected an IANA time zone name such as `Europe/Paris`".to_owned()),
    }

    /// A BCP 47 language identifier such as `fr-FR` or `de`.
    Locale(unic_langid::LanguageIdentifier) {
        what: "locale",
        placeholder: "en",
        schema: || json_schema!({
            "type": "string",
            "pattern": LOCALE_PATTERN,
            "description": "BCP 47 language identifier, e.g. `en`, `fr-FR`, `de-CH`."
        }),
        parse: |s| parse_locale(s),
    }

    /// A permission `resource:action`; either part may be `*`.
    Permission(()) {
        what: "permission",
        placeholder: "placeholder:read",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^(\\*|[a-z][a-z0-9_-]*):(\\*|[a-z][a-z0-9_-]*)$",
            "description": "`resource:action`, e.g. `track:read`, `playlist:*`, `*:read`, `*:*`."
        }),
        parse: |s| parse_permission(s),
    }

    /// A time of day `HH:MM` (24-hour clock), in the tenant's time zone.
    ClockTime(u16) {
        what: "time of day",
        placeholder: "00:00",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
            "description": "24-hour time of day `HH:MM`; `24:00` means the end of the day."
        }),
        parse: |s| parse_clock_time(s),
    }

    /// A Prometheus label name: `^[a-zA-Z_][a-zA-Z0-9_]*$`, not starting with `__`.
    LabelName(()) {
        what: "label name",
        placeholder: "placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$",
            "maxLength": MAX_METRIC_NAME_BYTES,
            "description": "Prometheus label name; names starting with `__` are reserved."
        }),
        parse: |s| parse_label_name(s),
    }

    /// A Prometheus alert name: `^[a-zA-Z_][a-zA-Z0-9_]*$`.
    AlertName(()) {
        what: "alert name",
        placeholder: "Placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$",
            "maxLength": MAX_METRIC_NAME_BYTES,
            "description": "Alert name: letters, digits and `_`."
        }),
        parse: |s| parse_metric_like(s, false),
    }

    /// A Prometheus metric name for a recording rule: `^[a-zA-Z_:][a-zA-Z0-9_:]*$`.
    MetricName(()) {
        what: "metric name",
        placeholder: "placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[a-zA-Z_:][a-zA-Z0-9_:]*$",
            "maxLength": MAX_METRIC_NAME_BYTES,
            "description": "Metric name: letters, digits, `_` and `:`; by convention `level:metric:operations`."
        }),
        parse: |s| parse_metric_like(s, true),
    }

    /// A Slack channel such as `#acme-alerts`.
    SlackChannel(()) {
        what: "Slack channel",
        placeholder: "#placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^#[a-z0-9][a-z0-9_-]{0,79}$",
            "description": "Slack channel name with its `#`: lowercase letters, digits, `-` and `_`, at most 80 characters."
        }),
        parse: |s| parse_slack_channel(s),
    }

    /// A tenant id: a UUID.
    TenantId(uuid::Uuid) {
        what: "tenant id",
        placeholder: "00000000-0000-0000-0000-000000000000",
        schema: || json_schema!({
            "type": "string",
            "format": "uuid",
            "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            "description": "UUID in its hyphenated form."
        }),
        parse: |s| parse_uuid(s),
    }

    /// An instant, RFC 3339 with a zone offset, e.g. `2026-12-31T23:00:00Z`.
    Timestamp(DateTime<Utc>) {
        what: "timestamp",
        placeholder: "1970-01-01T00:00:00Z",
        schema: || json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 date and time with offset, e.g. `2026-12-31T23:00:00Z`."
        }),
        parse: |s| DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("expected an RFC 3339 date and time such as `2026-12-31T23:00:00Z` ({e})")),
    }

    /// A calendar date `YYYY-MM-DD`.
    Date(NaiveDate) {
        what: "date",
        placeholder: "1970-01-01",
        schema: || json_schema!({
            "type": "string",
            "format": "date",
            "description": "Calendar date `YYYY-MM-DD`."
        }),
        parse: |s| NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| format!("expected a date `YYYY-MM-DD` ({e})")),
    }

    /// An IPv4 or IPv6 network in CIDR form, e.g. `10.20.0.0/16`.
    Cidr(ipnet::IpNet) {
        what: "CIDR",
        placeholder: "192.0.2.0/24",
        schema: || json_schema!({
            "type": "string",
            "pattern": cidr_pattern(),
            "description": "IPv4 or IPv6 network with prefix length, e.g. `10.20.0.0/16`, `2001:db8::/32`."
        }),
        parse: |s| parse_cidr(s),
    }

    /// A SHA-256 digest in lowercase hexadecimal (64 characters), e.g. the
    /// hash of an access review's population.
    Sha256Hex(()) {
        what: "SHA-256 digest",
        placeholder: "0000000000000000000000000000000000000000000000000000000000000000",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 digest: 64 lowercase hexadecimal digits."
        }),
        parse: |s| if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(())
        } else {
            Err("expected 64 lowercase hexadecimal digits".to_owned())
        },
    }

    /// A JSON pointer into a tenant document, e.g. `/data_residency/region`.
    Pointer(()) {
        what: "JSON pointer",
        placeholder: "/placeholder",
        schema: || json_schema!({
            "type": "string",
            "pattern": "^(/([^~]|~[01])*)*$",
            "description": "RFC 6901 JSON pointer, e.g. `/isolation/encryption/at_rest`."
        }),
        parse: |s| parse_pointer(s),
    }
}

impl PromDuration {
    /// The duration in milliseconds.
    pub fn millis(&self) -> u64 {
        self.parsed
    }
}

impl TimeZone {
    /// The time zone.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.parsed
    }
}

impl Locale {
    /// The language identifier.
    pub fn langid(&self) -> &unic_langid::LanguageIdentifier {
        &self.parsed
    }
}

impl Permission {
    /// The longest permission the grammar accepts, in bytes.
    pub const MAX_LEN: usize = 128;

    /// Whether `part` is a concrete resource kind or action of the grammar:
    /// a lowercase word (`[a-z][a-z0-9_-]*`), not the wildcard `*`. Requests
    /// are checked with it, so it allocates nothing.
    pub fn is_word(part: &str) -> bool {
        is_word(part)
    }

    /// The resource part, `*` for any.
    pub fn resource(&self) -> &str {
        self.raw.split_once(':').map_or("", |(r, _)| r)
    }

    /// The action part, `*` for any.
    pub fn action(&self) -> &str {
        self.raw.split_once(':').map_or("", |(_, a)| a)
    }

    /// Whether this permission covers `resource:action` (wildcards on this side only).
    pub fn covers(&self, resource: &str, action: &str) -> bool {
        let (r, a) = (self.resource(), self.action());
        (r == "*" || r == resource) && (a == "*" || a == action)
    }
}

impl ClockTime {
    /// Minutes since midnight, 0 to 1440.
    pub fn minutes(&self) -> u16 {
        self.parsed
    }
}

impl TenantId {
    /// The UUID.
    pub fn uuid(&self) -> uuid::Uuid {
        self.parsed
    }
}

impl Timestamp {
    /// The instant.
    pub fn instant(&self) -> DateTime<Utc> {
        self.parsed
    }
}

impl Date {
    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.parsed
    }
}

impl Cidr {
    /// The network.
    pub fn net(&self) -> ipnet::IpNet {
        self.parsed
    }
}

fn parse_slug(s: &str) -> Result<(), String> {
    let rule = "expected 3 to 63 lowercase letters, digits or `-`, starting with a letter and ending with a letter or digit";
    let bytes = s.as_bytes();
    let ok = (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    if ok { Ok(()) } else { Err(rule.to_owned()) }
}

fn parse_name(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    let ok = (1..=63).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_');
    if ok {
        Ok(())
    } else {
        Err(
            "expected 1 to 63 lowercase letters, digits, `_` or `-`, starting with a letter"
                .to_owned(),
        )
    }
}

/// Words PostgreSQL reserves or that name shared objects; a tenant must not own them.
const SQL_RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "information_schema",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "postgres",
    "primary",
    "public",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "system_user",
    "table",
    "template0",
    "template1",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
];

/// Longest metric, label and alert name, in bytes.
const MAX_METRIC_NAME_BYTES: usize = 200;

/// The grammar of a language identifier as unic-langid reads it: language
/// (2–3 or 5–8 letters), optional script (4 letters), optional region (2
/// letters or 3 digits), variants (5–8 alphanumerics, or a digit and 3).
#[cfg(feature = "schema")]
pub(crate) const LOCALE_PATTERN: &str = "^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$";

fn parse_sql_identifier(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    let shape = (1..=63).contains(&bytes.len())
        && bytes
            .first()
            .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    if !shape {
        return Err(
            "expected 1 to 63 lowercase letters, digits or `_`, not starting with a digit"
                .to_owned(),
        );
    }
    if s.starts_with("pg_") {
        return Err("names starting with `pg_` are reserved by PostgreSQL".to_owned());
    }
    if SQL_RESERVED.contains(&s) {
        return Err("this is a reserved word or a shared object in PostgreSQL".to_owned());
    }
    Ok(())
}

fn parse_key_prefix(s: &str) -> Result<(), String> {
    let rule = "expected lowercase segments of letters, digits, `_` or `-` separated by `:` and ending in `:`, at most 64 characters, e.g. `acme:`";
    let Some(body) = s.strip_suffix(':') else {
        return Err(rule.to_owned());
    };
    let ok = s.len() <= 64
        && body.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && body.split(':').all(|seg| {
            !seg.is_empty()
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        });
    if ok { Ok(()) } else { Err(rule.to_owned()) }
}

/// Parses a Prometheus duration to milliseconds, with Prometheus's own rules:
/// units largest first, each at most once, `0` alone allowed.
pub(crate) fn parse_prom_duration(s: &str) -> Result<u64, String> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];
    let rule = "expected a Prometheus duration such as `30s`, `5m`, `1h30m` or `30d` (units y, w, d, h, m, s, ms, largest first)";
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(rule.to_owned());
    }
    let mut rest = s;
    let mut next_unit = 0usize;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(rule.to_owned());
        }
        let (number, tail) = rest.split_at(digits);
        let value: u64 = number.parse().map_err(|_| rule.to_owned())?;
        // `ms` must be tried before `m`.
        let unit_len = if tail.starts_with("ms") {
            2
        } else if tail.starts_with(['y', 'w', 'd', 'h', 'm', 's']) {
            1
        } else {
            return Err(rule.to_owned());
        };
        let (unit, tail) = tail.split_at(unit_len);
        let position = UNITS
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(|| rule.to_owned())?;
        if position < next_unit {
            return Err(rule.to_owned());
        }
        next_unit = position + 1;
        let factor = UNITS.get(position).map_or(1, |(_, f)| *f);
        total = value
            .checked_mul(factor)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| "duration is too long".to_owned())?;
        rest = tail;
    }
    // Prometheus keeps durations as nanoseconds in an i64.
    if total > (i64::MAX as u64) / 1_000_000 {
        return Err("duration is too long".to_owned());
    }
    Ok(total)
}

fn parse_locale(s: &str) -> Result<unic_langid::LanguageIdentifier, String> {
    if s.is_empty() || s.contains('_') {
        return Err(
            "expected a BCP 47 language identifier such as `fr-FR` (with `-`, not `_`)".to_owned(),
        );
    }
    s.parse::<unic_langid::LanguageIdentifier>()
        .map_err(|_| "expected a BCP 47 language identifier such as `fr-FR`".to_owned())
}

fn is_word(part: &str) -> bool {
    part.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn parse_permission(s: &str) -> Result<(), String> {
    let rule =
        "expected `resource:action` in lowercase, where either part may be `*`, e.g. `track:read`";
    let Some((resource, action)) = s.split_once(':') else {
        return Err(rule.to_owned());
    };
    let ok = (resource == "*" || is_word(resource)) && (action == "*" || is_word(action));
    if ok && s.len() <= Permission::MAX_LEN {
        Ok(())
    } else {
        Err(rule.to_owned())
    }
}

fn parse_clock_time(s: &str) -> Result<u16, String> {
    let rule = "expected a 24-hour time `HH:MM` such as `09:00`";
    let bytes = s.as_bytes();
    if bytes.len() != 5 || bytes.get(2) != Some(&b':') {
        return Err(rule.to_owned());
    }
    let hours: u16 = s
        .get(0..2)
        .and_then(|h| h.parse().ok())
        .ok_or_else(|| rule.to_owned())?;
    let minutes: u16 = s
        .get(3..5)
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| rule.to_owned())?;
    if !bytes
        .iter()
        .enumerate()
        .all(|(i, b)| i == 2 || b.is_ascii_digit())
    {
        return Err(rule.to_owned());
    }
    match (hours, minutes) {
        (24, 0) => Ok(1440),
        (0..=23, 0..=59) => Ok(hours * 60 + minutes),
        _ => Err(rule.to_owned()),
    }
}

fn parse_label_name(s: &str) -> Result<(), String> {
    parse_metric_like(s, false)?;
    if s.starts_with("__") {
        return Err("label names starting with `__` are reserved by Prometheus".to_owned());
    }
    Ok(())
}

fn parse_metric_like(s: &str, colon: bool) -> Result<(), String> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || (colon && b == b':');
    let ok = s.len() <= MAX_METRIC_NAME_BYTES
        && s.as_bytes()
            .first()
            .is_some_and(|b| !b.is_ascii_digit() && allowed(*b))
        && s.bytes().all(allowed);
    if ok {
        Ok(())
    } else if colon {
        Err("expected letters, digits, `_` or `:`, not starting with a digit".to_owned())
    } else {
        Err("expected letters, digits or `_`, not starting with a digit".to_owned())
    }
}

fn parse_slack_channel(s: &str) -> Result<(), String> {
    let ok = s.strip_prefix('#').is_some_and(|name| {
        (1..=80).contains(&name.len())
            && name
                .as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if ok {
        Ok(())
    } else {
        Err("expected `#` and 1 to 80 lowercase letters, digits, `-` or `_`".to_owned())
    }
}

fn parse_uuid(s: &str) -> Result<uuid::Uuid, String> {
    // Only the hyphenated form: the other forms uuid accepts (braced, URN,
    // simple) would make two spellings of one id look different in git.
    if s.len() != 36 {
        return Err(
            "expected a hyphenated UUID such as `1b4e28ba-2fa1-11d2-883f-0016d3cca427`".to_owned(),
        );
    }
    uuid::Uuid::try_parse(s).map_err(|_| {
        "expected a hyphenated UUID such as `1b4e28ba-2fa1-11d2-883f-0016d3cca427`".to_owned()
    })
}

/// The CIDR rule as a JSON Schema pattern, made from the rule itself: an
/// IPv4 network has no host bits set, so for each prefix length the octet
/// it cuts may take only the multiples of its block size. IPv6 networks are
/// matched by shape and prefix length; their host bits are checked by the
/// Rust type only (a regular expression for them would be enormous).
#[cfg(feature = "schema")]
fn cidr_pattern() -> String {
    const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    let mut v4 = Vec::new();
    for prefix in 0u32..=32 {
        let full = (prefix / 8) as usize;
        let rest = prefix % 8;
        let mut octets: Vec<String> = vec![OCTET.to_owned(); full];
        if full < 4 {
            if rest == 0 {
                octets.push("0".to_owned());
            } else {
                let step = 1u32 << (8 - rest);
                let values: Vec<String> = (0..256)
                    .step_by(step as usize)
                    .map(|v: u32| v.to_string())
                    .collect();
                octets.push(format!("(?:{})", values.join("|")));
            }
        }
        while octets.len() < 4 {
            octets.push("0".to_owned());
        }
        v4.push(format!("{}/{prefix}", octets.join("\\.")));
    }
    format!(
        "^(?:{})$|^[0-9a-fA-F]*:[0-9a-fA-F:.]*/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])$",
        v4.join("|")
    )
}

fn parse_cidr(s: &str) -> Result<ipnet::IpNet, String> {
    let net: ipnet::IpNet = s
        .parse()
        .map_err(|_| "expected a network in CIDR form such as `10.20.0.0/16`".to_owned())?;
    if net.trunc() != net {
        return Err(format!(
            "host bits are set; the network is `{}`",
            net.trunc()
        ));
    }
    Ok(net)
}

fn parse_pointer(s: &str) -> Result<(), String> {
    let rule = "expected a JSON pointer such as `/isolation/encryption/at_rest`";
    if !s.is_empty() && !s.starts_with('/') {
        return Err(rule.to_owned());
    }
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err(rule.to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_prometheus() {
        let ok = [
            ("0", 0),
            ("30s", 30_000),
            ("1h30m", 5_400_000),
            ("1d", 86_400_000),
            ("500ms", 500),
            ("1m1ms", 60_001),
        ];
        for (text, ms) in ok {
            assert_eq!(PromDuration::new(text).unwrap().millis(), ms, "{text}");
        }
        for bad in [
            "",
            "5",
            "m",
            "1m1h",
            "1s1s",
            "-1m",
            "1.5h",
            "1M",
            " 1m",
            "99999999999999999999y",
            "5min",
        ] {
            assert!(
                PromDuration::new(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn slugs_follow_the_design_rule() {
        for good in ["acme", "a1b", "acme-music-2"] {
            assert!(Slug::new(good).is_ok(), "{good}");
        }
        let long = "a".repeat(64);
        for bad in [
            "ab",
            "Acme",
            "1acme",
            "acme-",
            "ac_me",
            "acmé",
            long.as_str(),
        ] {
            assert!(Slug::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_quote_a_bounded_escaped_value() {
        let err = Slug::new(format!("x\n{}", "y".repeat(500))).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("invalid slug `x\\ny"), "{text}");
        assert!(text.len() < 300, "{text}");
        assert_eq!(placeholder_for(&text), Some("placeholder-slug"));
    }

    #[test]
    fn permissions_and_wildcards() {
        let p = Permission::new("track:*").unwrap();
        assert!(p.covers("track", "delete"));
        assert!(!p.covers("playlist", "read"));
        for bad in [
            "track",
            "track:",
            ":read",
            "Track:read",
            "track:read:x",
            "tr ack:read",
        ] {
            assert!(Permission::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cidrs_reject_host_bits() {
        assert!(Cidr::new("10.0.0.0/8").is_ok());
        assert!(
            Cidr::new("10.0.0.1/8")
                .unwrap_err()
                .to_string()
                .contains("10.0.0.0/8")
        );
        assert!(Cidr::new("10.0.0.0/33").is_err());
    }

    #[test]
    fn clock_times() {
        assert_eq!(ClockTime::new("09:30").unwrap().minutes(), 570);
        assert_eq!(ClockTime::new("24:00").unwrap().minutes(), 1440);
        for bad in ["9:30", "24:01", "12:60", "ab:cd", "12-00"] {
            assert!(ClockTime::new(bad).is_err(), "{bad}");
        }
    }
}

//! The errors of formatting messages, reading preference lists and applying
//! tenant overrides.

use crate::overrides::OverrideProblem;

/// Why a message could not be formatted or a localizer not be set up.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No catalog in the fallback chain has the message.
    #[error("message `{id}` is not in the catalog")]
    UnknownMessage {
        /// The message id that was asked for.
        id: String,
    },
    /// The message exists but has no such attribute.
    #[error("message `{id}` has no attribute `{attribute}`")]
    UnknownAttribute {
        /// The message id.
        id: String,
        /// The attribute that was asked for.
        attribute: String,
    },
    /// The message has attributes only, and its value was asked for.
    #[error("message `{id}` has no value, only attributes")]
    NoValue {
        /// The message id.
        id: String,
    },
    /// Formatting found problems, such as a missing argument; the text is not
    /// returned, so that no half-formatted message reaches a person.
    #[error("cannot format message `{id}`: {}", problems.join("; "))]
    Format {
        /// The message id, with its attribute if one was asked for.
        id: String,
        /// What went wrong, one sentence each.
        problems: Vec<String>,
    },
    /// An entry of an `Accept-Language` list could not be read.
    #[error("invalid language preference `{entry}`: {reason}")]
    InvalidPreference {
        /// The entry as written, escaped and cut after 64 characters.
        entry: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A tenant's overrides for one locale did not pass `check_overrides`.
    #[error("overrides for locale `{locale}` are invalid: {}", summary(problems))]
    InvalidOverrides {
        /// The locale of the rejected overrides.
        locale: String,
        /// Every problem found, in source order.
        problems: Vec<OverrideProblem>,
    },
}

fn summary(problems: &[OverrideProblem]) -> String {
    match problems {
        [] => "no problem recorded".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// Control characters, bidirectional controls and line separators written
/// as `\u{...}`, so that a problem is always one line of plain text.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::overrides::is_bidi_control(c)
            || c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}')
        {
            out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// User text quoted in an error: escaped, and cut after `max` characters.
pub(crate) fn quoted(text: &str, max: usize) -> String {
    let mut shown: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        shown.push('…');
    }
    escape(&shown)
}

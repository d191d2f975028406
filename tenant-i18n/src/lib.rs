#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod analysis;
mod args;
mod catalog;
mod conventions;
mod error;
mod graph;
mod lint;
mod localizer;
#[cfg(test)]
mod messages_doc;
mod negotiation;
mod nesting;
mod overrides;
mod pseudo;
mod source_map;

pub mod messages {
    #![doc = include_str!("messages.md")]
}

pub use crate::args::{ArgValue, Args};
pub use crate::catalog::{Catalog, PSEUDO_LOCALE_TAG, SUPPORTED_LOCALE_TAGS, supported_locales};
pub use crate::conventions::{DateLength, DateTimeStyle, TimeLength};
pub use crate::error::Error;
pub use crate::lint::{LOANWORDS, LintFinding, LintKind, UNTRANSLATED_ALLOWED, lint};
pub use crate::localizer::{Localizer, LocalizerConfig};
pub use crate::negotiation::AcceptLanguage;
pub use crate::overrides::{
    MAX_OVERRIDE_PROBLEMS, OVERRIDE_SIZE_LIMIT, OverrideProblem, ProblemKind, TenantOverrides,
    check_overrides,
};
pub use crate::pseudo::pseudolocalize;

/// The time zones of [`LocalizerConfig::time_zone`], re-exported so that
/// callers name the same `chrono_tz` version.
pub use chrono_tz::Tz;
/// The language identifiers of locales, re-exported so that callers name the
/// same `unic_langid` version.
pub use unic_langid::LanguageIdentifier;

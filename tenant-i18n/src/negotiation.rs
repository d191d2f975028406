//! Language preference lists (`fr-CA, fr;q=0.9, en`) and the negotiation of
//! a fallback chain of catalogs from them.

use fluent_langneg::NegotiationStrategy;
use fluent_langneg::negotiate::filter_matches;
use unic_langid::LanguageIdentifier;

use crate::catalog::{is_pseudo, pseudo_locale, supported_locales, tag};
use crate::error::Error;

/// A person's language preferences, as in an HTTP `Accept-Language` header:
/// `fr-CA, fr;q=0.9, en;q=0.5`.
///
/// Entries are kept in order of preference: by q-value, highest first, and
/// in written order among equal q-values. Entries with `q=0` ("not this
/// one") and the wildcard `*` are dropped: the fallback chain already ends
/// in English.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AcceptLanguage {
    entries: Vec<(LanguageIdentifier, f32)>,
}

impl AcceptLanguage {
    /// Reads a preference list.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPreference`] when a language tag cannot be read or a
    /// q-value is not a number between 0 and 1 with at most three decimals.
    ///
    /// ```
    /// use tenant_i18n::AcceptLanguage;
    ///
    /// let prefs = AcceptLanguage::parse("fr-CA, fr;q=0.9, en;q=0.5")?;
    /// let tags: Vec<String> = prefs.languages().map(|l| l.to_string()).collect();
    /// assert_eq!(tags, ["fr-CA", "fr", "en"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(list: &str) -> Result<AcceptLanguage, Error> {
        let mut entries = Vec::new();
        for raw in list.split(',') {
            let entry = raw.trim();
            if entry.is_empty() {
                continue;
            }
            // The list comes from a request header: the entry is quoted
            // escaped and cut, so an error is one short line.
            let invalid = |reason: &str| Error::InvalidPreference {
                entry: crate::error::quoted(entry, 64),
                reason: reason.to_owned(),
            };
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let mut q = 1.0_f32;
            for param in parts {
                let (name, value) = param
                    .split_once('=')
                    .ok_or_else(|| invalid("a parameter must look like `q=0.5`"))?;
                if !name.trim().eq_ignore_ascii_case("q") {
                    return Err(invalid("the only parameter allowed is `q`"));
                }
                q = parse_q(value.trim()).ok_or_else(|| {
                    invalid("a q-value is a number from 0 to 1 with at most three decimals")
                })?;
            }
            if tag == "*" {
                continue;
            }
            let language: LanguageIdentifier =
                tag.parse().map_err(|_| invalid("not a language tag"))?;
            if q > 0.0 {
                entries.push((language, q));
            }
        }
        // A stable sort keeps the written order among equal q-values.
        entries.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(AcceptLanguage { entries })
    }

    /// The languages, most preferred first.
    pub fn languages(&self) -> impl Iterator<Item = &LanguageIdentifier> {
        self.entries.iter().map(|(l, _)| l)
    }

    /// The languages with their q-values, most preferred first.
    pub fn entries(&self) -> impl Iterator<Item = (&LanguageIdentifier, f32)> {
        self.entries.iter().map(|(l, q)| (l, *q))
    }

    /// Whether the list names no language.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// RFC 9110 `qvalue`: `0`, `0.5`, `0.123`, `1`, `1.000`.
fn parse_q(value: &str) -> Option<f32> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let valid = match whole {
        "0" => fraction.len() <= 3 && fraction.bytes().all(|b| b.is_ascii_digit()),
        "1" => fraction.len() <= 3 && fraction.bytes().all(|b| b == b'0'),
        _ => false,
    };
    if valid { value.parse().ok() } else { None }
}

/// The catalogs to try, in order: the person's preferences, then the tenant's
/// locale, then English. Each request is matched by fluent-langneg's
/// filtering strategy against the shipped locales, so `fr-CA` finds `fr`.
/// The pseudo-locale is only used when asked for by its exact name, because
/// as a range `en` would match `en-XA` too.
pub(crate) fn fallback_chain(
    locale: &LanguageIdentifier,
    preferences: Option<&AcceptLanguage>,
) -> Vec<LanguageIdentifier> {
    let available = supported_locales();
    let requested = preferences
        .into_iter()
        .flat_map(AcceptLanguage::languages)
        .chain(std::iter::once(locale));
    let mut chain: Vec<LanguageIdentifier> = Vec::new();
    for request in requested {
        if is_pseudo(request) {
            if !chain.iter().any(is_pseudo) {
                chain.push(pseudo_locale());
            }
            continue;
        }
        for found in filter_matches(&[request], &available, NegotiationStrategy::Filtering) {
            if !chain.contains(found) {
                chain.push(found.clone());
            }
        }
    }
    let english = tag("en");
    if !chain.contains(&english) {
        chain.push(english);
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> LanguageIdentifier {
        tag.parse().unwrap()
    }

    fn chain(locale: LanguageIdentifier, prefs: &str) -> Vec<String> {
        let prefs = AcceptLanguage::parse(prefs).unwrap();
        fallback_chain(&locale, Some(&prefs))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn french_canadian_preferences_give_french() {
        assert_eq!(chain(lang("de"), "fr-CA, fr;q=0.9, en"), ["fr", "en", "de"]);
    }

    #[test]
    fn q_values_order_the_preferences() {
        assert_eq!(
            chain(lang("en"), "de;q=0.2, it;q=0.8, es"),
            ["es", "it", "de", "en"]
        );
        assert_eq!(chain(lang("en"), "it, fr;q=0, *;q=0.1"), ["it", "en"]);
    }

    #[test]
    fn tenant_locale_alone_and_unknown_languages_fall_back_to_english() {
        assert_eq!(chain(lang("es-MX"), ""), ["es", "en"]);
        assert_eq!(chain(lang("ja"), "pt-BR"), ["en"]);
        assert_eq!(chain(lang("en"), "en-XA"), ["en-XA", "en"]);
        assert_eq!(chain(lang("en-GB"), ""), ["en"]);
    }

    #[test]
    fn bad_entries_are_errors() {
        for (list, message) in [
            (
                "fr;q=2",
                "invalid language preference `fr;q=2`: a q-value is a number from 0 to 1 with at most three decimals",
            ),
            (
                "fr;q=0.1234",
                "invalid language preference `fr;q=0.1234`: a q-value is a number from 0 to 1 with at most three decimals",
            ),
            (
                "fr;level=1",
                "invalid language preference `fr;level=1`: the only parameter allowed is `q`",
            ),
            (
                "fr;q",
                "invalid language preference `fr;q`: a parameter must look like `q=0.5`",
            ),
            (
                "en, !!",
                "invalid language preference `!!`: not a language tag",
            ),
        ] {
            assert_eq!(
                AcceptLanguage::parse(list).unwrap_err().to_string(),
                message
            );
        }
    }
}

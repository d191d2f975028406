//! The shipped catalogs, embedded at compile time, and the list of locales.

use unic_langid::LanguageIdentifier;

/// The tag of the pseudo-locale: English with accented letters, about 40 %
/// longer, generated from the `en` catalog when a localizer is built (see
/// [`pseudolocalize`](crate::pseudolocalize)).
pub const PSEUDO_LOCALE_TAG: &str = "en-XA";

/// The tags of the shipped locales; `en` is the reference.
pub const SUPPORTED_LOCALE_TAGS: [&str; 5] = ["en", "fr", "de", "es", "it"];

pub(crate) const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en/tenant-kit.ftl")),
    ("fr", include_str!("../locales/fr/tenant-kit.ftl")),
    ("de", include_str!("../locales/de/tenant-kit.ftl")),
    ("es", include_str!("../locales/es/tenant-kit.ftl")),
    ("it", include_str!("../locales/it/tenant-kit.ftl")),
];

/// The pseudo-locale as a language identifier.
pub(crate) fn pseudo_locale() -> LanguageIdentifier {
    tag(PSEUDO_LOCALE_TAG)
}

/// Whether `locale` is the pseudo-locale.
pub(crate) fn is_pseudo(locale: &LanguageIdentifier) -> bool {
    locale.language.as_str() == "en"
        && locale.script.is_none()
        && locale.region.is_some_and(|r| r.as_str() == "XA")
        && locale.variants().len() == 0
}

/// Parses one of our own fixed tags.
pub(crate) fn tag(tag: &str) -> LanguageIdentifier {
    // Only called with the constant tags above, which a test parses.
    tag.parse().unwrap_or_default()
}

/// The shipped locales, `en` first.
pub fn supported_locales() -> Vec<LanguageIdentifier> {
    SUPPORTED_LOCALE_TAGS.iter().map(|t| tag(t)).collect()
}

/// The source of the shipped catalog of `locale`, matched exactly.
pub(crate) fn shipped_source(locale: &LanguageIdentifier) -> Option<&'static str> {
    SOURCES
        .iter()
        .find(|(t, _)| tag(t) == *locale)
        .map(|(_, source)| *source)
}

/// The reference catalog's source.
pub(crate) fn english_source() -> &'static str {
    SOURCES
        .first()
        .map(|(_, source)| *source)
        .unwrap_or_default()
}

/// One catalog: a locale and its Fluent source. The lint takes these, so that
/// tests and tools can lint catalogs other than the shipped ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog<'a> {
    /// The catalog's locale.
    pub locale: LanguageIdentifier,
    /// The catalog's Fluent (FTL) source text.
    pub source: &'a str,
}

impl Catalog<'static> {
    /// The catalogs shipped with this crate, `en` first.
    pub fn shipped() -> Vec<Catalog<'static>> {
        SOURCES
            .iter()
            .map(|(t, source)| Catalog {
                locale: tag(t),
                source,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_tags_parse() {
        for t in SUPPORTED_LOCALE_TAGS {
            assert_eq!(t.parse::<LanguageIdentifier>().unwrap().to_string(), t);
        }
        assert_eq!(pseudo_locale().to_string(), PSEUDO_LOCALE_TAG);
        assert!(is_pseudo(&PSEUDO_LOCALE_TAG.parse().unwrap()));
        assert_eq!(Catalog::shipped().len(), 5);
    }
}

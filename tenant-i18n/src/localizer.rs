//! The `Localizer`: a tenant's fallback chain of Fluent bundles, with its time
//! zone and overrides, that formats messages into text.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::resolver::ResolverError;
use fluent_bundle::resolver::errors::ReferenceKind;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::args::{ArgValue, Args};
use crate::catalog::{is_pseudo, tag};
use crate::conventions::{
    Conventions, DateTimeStyle, FluentDateTime, datetime_function, format_value, number_function,
    take_function_errors,
};
use crate::error::Error;
use crate::negotiation::{AcceptLanguage, fallback_chain};
use crate::overrides::TenantOverrides;
use crate::pseudo;

/// What a localizer is built from. `locale` and `time_zone` come from the
/// tenant document; the rest is optional.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalizerConfig {
    /// The tenant's locale, e.g. `fr` or `es-MX`.
    pub locale: LanguageIdentifier,
    /// The tenant's time zone: every instant is written in it.
    pub time_zone: Tz,
    /// A person's preferences (from a browser or a user profile); when set
    /// they come before the tenant's locale in the fallback chain.
    pub accept_language: Option<AcceptLanguage>,
    /// The tenant's checked overrides; they win over the catalogs for this
    /// localizer only.
    pub overrides: TenantOverrides,
}

impl LocalizerConfig {
    /// A configuration with no preferences and no overrides.
    pub fn new(locale: LanguageIdentifier, time_zone: Tz) -> LocalizerConfig {
        LocalizerConfig {
            locale,
            time_zone,
            accept_language: None,
            overrides: TenantOverrides::default(),
        }
    }
}

impl LocalizerConfig {
    /// The configuration of a tenant: its `locale` and `time_zone`, and, if
    /// `template` names one of its `slack.templates`, that template's
    /// message overrides.
    ///
    /// A locale no catalog supports is an error at `/locale` rather than a
    /// silent fall back to English; an unknown template or overrides that
    /// do not parse are errors at the template's pointer.
    ///
    /// ```
    /// use tenant_i18n::{Args, Localizer, LocalizerConfig};
    /// use tenant_model::{Format, Locale, Tenant, parse};
    ///
    /// let text = r#"
    /// schema_version: 1
    /// id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
    /// slug: acme-music
    /// display_name: Acme Music
    /// tier: professional
    /// status: active
    /// locale: fr-FR
    /// time_zone: Europe/Paris
    /// data_residency: { region: eu-west-1 }
    /// contacts:
    ///   - { name: Claire Martin, email: claire@acme.example, role: owner }
    /// isolation:
    ///   mode: schema
    ///   database: { name: music, schema: tenant_acme_music, role: acme_music_app }
    ///   cache: { key_prefix: "acme-music:", acl_user: acme-music }
    /// "#;
    /// let mut tenant: Tenant = parse(text, Format::Yaml)?;
    /// let config = LocalizerConfig::for_tenant(&tenant, None)?;
    /// assert_eq!(config.locale.to_string(), "fr-FR");
    /// let l10n = Localizer::new(&config);
    /// assert_eq!(l10n.locales()[0].language.as_str(), "fr");
    ///
    /// tenant.locale = "ja-JP".parse::<Locale>()?;
    /// let error = LocalizerConfig::for_tenant(&tenant, None).unwrap_err();
    /// assert_eq!(error.pointer(), "/locale");
    /// assert!(LocalizerConfig::for_tenant(&tenant, Some("no-such-template")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_tenant(
        tenant: &tenant_model::Tenant,
        template: Option<&str>,
    ) -> Result<LocalizerConfig, tenant_model::Problem> {
        use tenant_model::Problem;
        let locale = tenant.locale.langid().clone();
        let supported = fallback_chain(&locale, None)
            .first()
            .is_some_and(|first| first.language == locale.language);
        if !supported {
            return Err(Problem::new(
                "/locale",
                format!(
                    "locale `{locale}` has no catalog; supported: {}",
                    crate::catalog::SUPPORTED_LOCALE_TAGS.join(", ")
                ),
            ));
        }
        let mut config = LocalizerConfig::new(locale, tenant.time_zone.tz());
        if let Some(name) = template {
            let Some((i, t)) = tenant
                .slack
                .templates
                .iter()
                .enumerate()
                .find(|(_, t)| t.name.as_str() == name)
            else {
                return Err(Problem::new(
                    "/slack/templates",
                    format!("no template is named `{name}`"),
                ));
            };
            let sources = t
                .messages
                .iter()
                .map(|(locale, source)| (locale.langid().clone(), source.clone()));
            config.overrides = TenantOverrides::new(sources).map_err(|e| {
                Problem::new(
                    format!("/slack/templates/{i}/messages"),
                    format!("cannot be used as message overrides: {e}"),
                )
            })?;
        }
        Ok(config)
    }
}

/// One link of the fallback chain.
struct Link {
    locale: LanguageIdentifier,
    bundle: FluentBundle<Arc<FluentResource>>,
    pseudo: bool,
}

/// Formats the messages of the catalogs for one tenant.
///
/// Built once per tenant and then immutable; it is `Send + Sync`, so
/// renderers can share it between threads. A message is looked up along the
/// fallback chain (see [`Localizer::locales`]), which always ends in `en`.
///
/// Fluent's Unicode isolation marks (U+2068, U+2069 around each placeable)
/// are turned off: our text goes to Slack, Prometheus, Alertmanager and
/// Grafana, which show the marks as noise or count them against length
/// limits, and most of our placeables are names and numbers in the same
/// script as the sentence. Arguments therefore come out exactly as given.
pub struct Localizer {
    chain: Vec<Link>,
    time_zone: Tz,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer")
            .field("locales", &self.locales())
            .field("time_zone", &self.time_zone)
            .finish_non_exhaustive()
    }
}

impl Localizer {
    /// Builds the localizer: negotiates the fallback chain, then makes one
    /// Fluent bundle per locale from the embedded catalog and the tenant's
    /// overrides for that locale. The pseudo-locale `en-XA` is the English
    /// catalog (and English overrides) pseudo-localized.
    pub fn new(config: &LocalizerConfig) -> Localizer {
        let chain = fallback_chain(&config.locale, config.accept_language.as_ref())
            .into_iter()
            .map(|locale| {
                let pseudo = is_pseudo(&locale);
                let catalog_locale = if pseudo { tag("en") } else { locale.clone() };
                let bundle = bundle(
                    &locale,
                    shipped_resource(&catalog_locale),
                    config.overrides.get(&catalog_locale),
                    pseudo,
                );
                Link {
                    locale,
                    bundle,
                    pseudo,
                }
            })
            .collect();
        Localizer {
            chain,
            time_zone: config.time_zone,
        }
    }

    /// The localizer of `locale` and `time_zone` with no overrides and no
    /// `Accept-Language`, built once per process and then shared: building
    /// one makes a Fluent bundle per locale of the chain, and a renderer
    /// that needs one per tenant would otherwise rebuild the same few
    /// (tenants share locales and time zones) thousands of times. The same
    /// as `Localizer::new(&LocalizerConfig::new(locale, time_zone))`.
    ///
    /// At most [`Localizer::SHARED_MAX`] localizers are kept; past that,
    /// each call builds a new one (a caller passing arbitrary tags cannot
    /// grow the process without bound).
    ///
    /// # Examples
    ///
    /// ```
    /// use tenant_i18n::{Args, Localizer, Tz};
    ///
    /// let fr = Localizer::shared(&"fr".parse()?, Tz::Europe__Paris);
    /// let again = Localizer::shared(&"fr".parse()?, Tz::Europe__Paris);
    /// assert!(std::sync::Arc::ptr_eq(&fr, &again));
    /// let one = Args::new().with("count", 1);
    /// assert_eq!(fr.format("alerts-firing-count", &one)?, "1 alerte en cours");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shared(locale: &LanguageIdentifier, time_zone: Tz) -> Arc<Localizer> {
        type Shared = HashMap<(LanguageIdentifier, Tz), Arc<Localizer>>;
        static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
        let shared = SHARED.get_or_init(Mutex::default);
        let key = (locale.clone(), time_zone);
        if let Some(found) = shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Arc::clone(found);
        }
        // Built outside the lock; two threads may both build it the first
        // time, and keep the same one.
        let built = Arc::new(Localizer::new(&LocalizerConfig::new(
            locale.clone(),
            time_zone,
        )));
        let mut map = shared.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = map.get(&key) {
            return Arc::clone(found);
        }
        if map.len() < Self::SHARED_MAX {
            map.insert(key, Arc::clone(&built));
        }
        built
    }

    /// How many localizers [`Localizer::shared`] keeps.
    pub const SHARED_MAX: usize = 1024;

    /// The fallback chain: the locales tried, in order.
    pub fn locales(&self) -> Vec<&LanguageIdentifier> {
        self.chain.iter().map(|link| &link.locale).collect()
    }

    /// The tenant's time zone.
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// Whether some locale of the chain has the message (`id`) or attribute
    /// (`id.attribute`).
    pub fn has_message(&self, id: &str) -> bool {
        let (message, attribute) = split_id(id);
        self.chain.iter().any(|link| {
            link.bundle
                .get_message(message)
                .is_some_and(|m| match attribute {
                    Some(a) => m.get_attribute(a).is_some(),
                    None => m.value().is_some(),
                })
        })
    }

    /// Formats a message (`alerts-firing-count`) or an attribute
    /// (`compliance-audit-logging.finding`) with its arguments, from the
    /// first locale of the chain that has it.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownMessage`], [`Error::UnknownAttribute`] or
    /// [`Error::NoValue`] when no locale has it, and [`Error::Format`] when
    /// formatting found a problem, such as a missing argument or a wrong
    /// argument type: the caller never gets a message with a hole in it.
    ///
    /// # Examples
    ///
    /// ```
    /// use tenant_i18n::{Args, Localizer, LocalizerConfig, Tz};
    ///
    /// let de = Localizer::new(&LocalizerConfig::new("de".parse()?, Tz::Europe__Berlin));
    /// let one = Args::new().with("count", 1);
    /// assert_eq!(de.format("alerts-firing-count", &one)?, "1 aktiver Alarm");
    ///
    /// // An attribute is `message.attribute`.
    /// let en = Localizer::new(&LocalizerConfig::new("en".parse()?, Tz::UTC));
    /// assert_eq!(
    ///     en.format("compliance-audit-logging.finding", &Args::new())?,
    ///     "Audit logging is turned off."
    /// );
    ///
    /// // A message no locale has, or an argument left out, is an error.
    /// assert!(en.format("no-such-message", &Args::new()).is_err());
    /// assert!(en.format("alerts-firing-count", &Args::new()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format(&self, id: &str, args: &Args) -> Result<String, Error> {
        let (message_id, attribute) = split_id(id);
        let mut message_exists = false;
        for link in &self.chain {
            let Some(message) = link.bundle.get_message(message_id) else {
                continue;
            };
            message_exists = true;
            let pattern = match attribute {
                Some(name) => message.get_attribute(name).map(|a| a.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else {
                continue;
            };
            let fluent_args = self.fluent_args(args);
            // Clear what an earlier format on this thread may have left.
            take_function_errors();
            let mut errors = Vec::new();
            let text = link
                .bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors);
            let mut problems: Vec<String> = Vec::new();
            // A missing selector variable is reported once for the selector
            // and again for the default variant's placeable: keep one.
            for problem in errors.iter().map(describe).chain(take_function_errors()) {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
            if !problems.is_empty() {
                return Err(Error::Format {
                    id: id.to_owned(),
                    problems,
                });
            }
            return Ok(if link.pseudo {
                format!("[{text}]")
            } else {
                text.into_owned()
            });
        }
        Err(match (message_exists, attribute) {
            (false, _) => Error::UnknownMessage {
                id: message_id.to_owned(),
            },
            (true, Some(attribute)) => Error::UnknownAttribute {
                id: message_id.to_owned(),
                attribute: attribute.to_owned(),
            },
            (true, None) => Error::NoValue {
                id: message_id.to_owned(),
            },
        })
    }

    /// Formats a number with the conventions of the first locale of the
    /// chain: `1,234.5`, `1 234,5`, `1.234,5`.
    pub fn format_number(&self, value: f64) -> String {
        self.conventions()
            .format_number(&FluentNumber::new(value, FluentNumberOptions::default()))
    }

    /// Formats an instant in the tenant's time zone, with the conventions of
    /// the first locale of the chain.
    pub fn format_datetime(&self, instant: DateTime<Utc>, style: DateTimeStyle) -> String {
        self.conventions()
            .format_datetime(instant, self.time_zone, style)
    }

    fn conventions(&self) -> Conventions {
        match self.chain.first() {
            Some(link) => Conventions::for_language(&link.locale),
            None => Conventions::for_language(&tag("en")),
        }
    }

    fn fluent_args<'a>(&self, args: &'a Args) -> FluentArgs<'a> {
        let mut out = FluentArgs::with_capacity(args.len());
        for (name, value) in args.iter() {
            let value = match value {
                ArgValue::Text(text) => FluentValue::from(text.as_str()),
                ArgValue::Number(number) => FluentValue::from(*number),
                ArgValue::Instant(instant) => FluentValue::Custom(Box::new(FluentDateTime {
                    instant: *instant,
                    time_zone: self.time_zone,
                    style: DateTimeStyle::default(),
                })),
            };
            out.set(name, value);
        }
        out
    }
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((message, attribute)) => (message, Some(attribute)),
        None => (id, None),
    }
}

/// Builds one bundle. The shipped catalogs parse and have no duplicate ids
/// (the lint test proves it), and overrides were checked by
/// `check_overrides`, so the errors Fluent could report here cannot happen;
/// should one happen anyway, Fluent keeps what did parse and the missing
/// message then surfaces as an error from `Localizer::format`.
fn bundle(
    locale: &LanguageIdentifier,
    catalog: Option<Arc<FluentResource>>,
    overrides: Option<&str>,
    pseudo: bool,
) -> FluentBundle<Arc<FluentResource>> {
    let mut bundle = FluentBundle::new_concurrent(vec![locale.clone()]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_value));
    if pseudo {
        bundle.set_transform(Some(pseudo::transform));
    }
    // Adding a function fails only when its name is taken, and ours are the
    // only two.
    let _ = bundle.add_function("DATETIME", datetime_function);
    let _ = bundle.add_function("NUMBER", number_function);
    if let Some(catalog) = catalog {
        let _ = bundle.add_resource(catalog);
    }
    if let Some(source) = overrides {
        let resource =
            FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
        bundle.add_resource_overriding(Arc::new(resource));
    }
    bundle
}

/// A shipped catalog, parsed once per process and shared by every
/// localizer after that: parsing the Fluent source was most of the cost of
/// [`Localizer::new`], which a renderer calls once per tenant.
fn shipped_resource(locale: &LanguageIdentifier) -> Option<Arc<FluentResource>> {
    static PARSED: OnceLock<Vec<(LanguageIdentifier, Arc<FluentResource>)>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        crate::catalog::SOURCES
            .iter()
            .map(|(code, source)| {
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                (tag(code), Arc::new(resource))
            })
            .collect()
    });
    parsed
        .iter()
        .find(|(l, _)| l == locale)
        .map(|(_, resource)| Arc::clone(resource))
}

/// Fluent's errors in our words.
fn describe(error: &FluentError) -> String {
    match error {
        FluentError::ResolverError(error) => match error {
            ResolverError::Reference(ReferenceKind::Variable { id }) => {
                format!("missing argument `${id}`")
            }
            ResolverError::Reference(ReferenceKind::Message {
                id,
                attribute: Some(attribute),
            }) => format!("unknown attribute `{id}.{attribute}`"),
            ResolverError::Reference(ReferenceKind::Message {
                id,
                attribute: None,
            }) => {
                format!("unknown message `{id}`")
            }
            ResolverError::Reference(ReferenceKind::Term { id, .. }) => {
                format!("unknown term `-{id}`")
            }
            ResolverError::Reference(ReferenceKind::Function { id }) => {
                format!("unknown function `{id}`")
            }
            ResolverError::NoValue(id) => format!("message `{id}` has no value"),
            ResolverError::MissingDefault => {
                "a select expression has no default variant".to_owned()
            }
            ResolverError::Cyclic => "a message refers back to itself".to_owned(),
            ResolverError::TooManyPlaceables => {
                "the message expands to too many placeables".to_owned()
            }
        },
        FluentError::Overriding { kind, id } => format!("{kind} `{id}` is defined twice"),
        FluentError::ParserError(error) => format!("syntax error: {error}").to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    /// Shared localizers are the same object each time, up to the bound;
    /// past it each call builds its own, and formats the same.
    #[test]
    fn shared_localizers_are_kept_up_to_a_bound() {
        #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]
        let locales: Vec<LanguageIdentifier> = ["en", "fr", "de", "es", "it"]
            .iter()
            .map(|t| t.parse().unwrap())
            .collect();
        let keys = chrono_tz::TZ_VARIANTS
            .iter()
            .flat_map(|tz| locales.iter().map(move |l| (l.clone(), *tz)));
        let mut unkept = None;
        for (locale, tz) in keys {
            let a = Localizer::shared(&locale, tz);
            let b = Localizer::shared(&locale, tz);
            assert_eq!(a.locales(), b.locales());
            assert_eq!(a.time_zone(), tz);
            if !Arc::ptr_eq(&a, &b) {
                unkept = Some((locale, tz));
                break;
            }
        }
        assert!(unkept.is_some(), "more keys than the bound were all kept");
        let first = Localizer::shared(&locales[0], chrono_tz::TZ_VARIANTS[0]);
        assert!(Arc::ptr_eq(
            &first,
            &Localizer::shared(&locales[0], chrono_tz::TZ_VARIANTS[0])
        ));
    }

    #[test]
    fn localizer_is_send_and_sync() {
        assert_send_sync::<Localizer>();
    }
}

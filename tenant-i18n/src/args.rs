//! The arguments a renderer passes to a message: text, numbers and instants.

use chrono::{DateTime, Utc};

/// One argument value.
///
/// Text is written verbatim: no escaping happens here, that is the job of
/// each renderer's escaping module. Numbers are written with the locale's
/// separators and select plural variants. Instants are written in the
/// localizer's time zone.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ArgValue {
    /// Text, written as it is.
    Text(String),
    /// A number; integers up to 2^53 are exact.
    Number(f64),
    /// A point in time, written in the tenant's time zone.
    Instant(DateTime<Utc>),
}

impl From<&str> for ArgValue {
    fn from(value: &str) -> Self {
        ArgValue::Text(value.to_owned())
    }
}

impl From<String> for ArgValue {
    fn from(value: String) -> Self {
        ArgValue::Text(value)
    }
}

impl From<&String> for ArgValue {
    fn from(value: &String) -> Self {
        ArgValue::Text(value.clone())
    }
}

impl From<DateTime<Utc>> for ArgValue {
    fn from(value: DateTime<Utc>) -> Self {
        ArgValue::Instant(value)
    }
}

macro_rules! from_number {
    ($($t:ty)*) => {$(
        impl From<$t> for ArgValue {
            fn from(value: $t) -> Self {
                ArgValue::Number(value as f64)
            }
        }
    )*};
}

from_number!(i8 i16 i32 i64 isize u8 u16 u32 u64 usize f32 f64);

/// The named arguments of one message, in the order they were set.
///
/// ```
/// use tenant_i18n::Args;
///
/// let args = Args::new().with("tenant", "Acme").with("count", 3);
/// assert_eq!(args.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    values: Vec<(String, ArgValue)>,
}

impl Args {
    /// No arguments.
    pub fn new() -> Args {
        Args::default()
    }

    /// These arguments and `name` set to `value`.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<ArgValue>) -> Args {
        self.set(name, value);
        self
    }

    /// Sets `name` to `value`, replacing an earlier value of the same name.
    pub fn set(&mut self, name: &str, value: impl Into<ArgValue>) {
        let value = value.into();
        match self.values.iter_mut().find(|(n, _)| n == name) {
            Some((_, slot)) => *slot = value,
            None => self.values.push((name.to_owned(), value)),
        }
    }

    /// The value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&ArgValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The number of arguments.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no arguments.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The arguments, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ArgValue)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v))
    }
}

impl<K: AsRef<str>, V: Into<ArgValue>> FromIterator<(K, V)> for Args {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut args = Args::new();
        for (name, value) in iter {
            args.set(name.as_ref(), value);
        }
        args
    }
}

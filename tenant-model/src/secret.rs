//! Secret values (webhook URLs, passwords, tokens): written inline or as a
//! reference to an environment variable or a file, never shown.
//!
//! A document may hold a secret inline, but teams that keep their tenant
//! documents in git usually point at where the secret lives instead:
//!
//! ```yaml
//! webhook_url: { env: ACME_SLACK_ONCALL_URL }   # read by tenantctl at deploy time
//! password: { file: /run/secrets/acme-redis }
//! ```
//!
//! Resolving a reference is I/O, so it is the command-line tool's job; the
//! library only carries the reference. Debug, Display and serialization
//! redact inline values: serializing a document writes [`REDACTED`] in their
//! place, so a serialized document never leaks them.

use std::borrow::Cow;
use std::fmt;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What serialization writes instead of an inline secret.
pub const REDACTED: &str = "<redacted>";

/// A secret: inline, or a reference to where it lives.
#[derive(Clone)]
#[non_exhaustive]
pub enum Secret {
    /// The secret itself, written in the document.
    Inline(SecretString),
    /// The name of an environment variable that holds the secret.
    Env(String),
    /// The path of a file that holds the secret.
    File(String),
}

impl Secret {
    /// An inline secret.
    pub fn inline(value: impl Into<String>) -> Self {
        Secret::Inline(SecretString::from(value.into()))
    }

    /// Whether the secret is written in the document itself.
    pub fn is_inline(&self) -> bool {
        matches!(self, Secret::Inline(_))
    }

    /// The inline value, for the few outputs that are secrets by nature.
    pub fn expose_inline(&self) -> Option<&str> {
        match self {
            Secret::Inline(value) => Some(value.expose_secret()),
            Secret::Env(_) | Secret::File(_) => None,
        }
    }

    /// Whether the inline value was redacted by an earlier serialization.
    pub fn is_redacted_placeholder(&self) -> bool {
        self.expose_inline() == Some(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Secrets compare by what they hold; the comparison is not constant-time
    /// and is meant for tests and change detection, not authentication.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Secret::Inline(a), Secret::Inline(b)) => a.expose_secret() == b.expose_secret(),
            (Secret::Env(a), Secret::Env(b)) | (Secret::File(a), Secret::File(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Inline(_) => f.write_str(REDACTED),
            Secret::Env(name) => write!(f, "{{ env: {name} }}"),
            Secret::File(path) => write!(f, "{{ file: {path} }}"),
        }
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Secret::Inline(_) => serializer.serialize_str(REDACTED),
            Secret::Env(name) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("env", name)?;
                map.end()
            }
            Secret::File(path) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("file", path)?;
                map.end()
            }
        }
    }
}

/// Every error about a secret starts with `invalid secret` and repeats
/// nothing of what was written: not the value, not a key (`{s3cr3t}` in
/// YAML is a mapping whose key is the secret), not an environment variable
/// name (it may be the secret pasted in the wrong place).
fn invalid<E: de::Error>(why: &str) -> E {
    E::custom(format!("invalid secret: {why}"))
}

const EXPECTED: &str = "expected the secret as text, `{ env: NAME }` or `{ file: PATH }`";

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecretVisitor;

        impl<'de> Visitor<'de> for SecretVisitor {
            type Value = Secret;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Secret, E> {
                if value.is_empty() {
                    return Err(invalid("the secret is empty"));
                }
                Ok(Secret::inline(value))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Secret, E> {
                if value.is_empty() {
                    return Err(invalid("the secret is empty"));
                }
                Ok(Secret::Inline(SecretString::from(value)))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_none<E: de::Error>(self) -> Result<Secret, E> {
                Err(invalid(EXPECTED))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
                Err(invalid(EXPECTED))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Secret, A::Error> {
                let Some(key) = map.next_key::<Cow<'de, str>>()? else {
                    return Err(invalid(EXPECTED));
                };
                let kind = match key.as_ref() {
                    "env" => "env",
                    "file" => "file",
                    _ => return Err(invalid(EXPECTED)),
                };
                let value: String = map
                    .next_value()
                    .map_err(|_: A::Error| invalid(&format!("`{kind}` takes text")))?;
                let secret = if kind == "env" {
                    let ok = !value.is_empty()
                        && value.len() <= 255
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !value.as_bytes().first().is_some_and(u8::is_ascii_digit);
                    if !ok {
                        return Err(invalid(
                            "an environment variable name has letters, digits and `_` and does not start with a digit",
                        ));
                    }
                    Secret::Env(value)
                } else {
                    if value.is_empty() || value.contains('\0') {
                        return Err(invalid("expected a file path"));
                    }
                    Secret::File(value)
                };
                if map.next_key::<de::IgnoredAny>()?.is_some() {
                    return Err(invalid("a reference has exactly one key, `env` or `file`"));
                }
                Ok(secret)
            }
        }

        deserializer.deserialize_any(SecretVisitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Secret {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Secret")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A secret: the value inline, or where to read it from.",
            "oneOf": [
                { "type": "string", "minLength": 1, "description": "The secret itself (keep such documents out of git)." },
                {
                    "type": "object",
                    "properties": { "env": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "maxLength": 255 } },
                    "required": ["env"],
                    "additionalProperties": false,
                    "description": "Read from this environment variable when deploying."
                },
                {
                    "type": "object",
                    "properties": { "file": { "type": "string", "minLength": 1, "pattern": "^[^\\u0000]*$" } },
                    "required": ["file"],
                    "additionalProperties": false,
                    "description": "Read from this file when deploying."
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_secrets_never_show() {
        let url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
        let secret: Secret = serde_json::from_value(serde_json::json!(url)).unwrap();
        assert_eq!(secret.expose_inline(), Some(url));
        for shown in [
            format!("{secret:?}"),
            format!("{secret}"),
            serde_json::to_string(&secret).unwrap(),
        ] {
            assert!(!shown.contains("XXXXSECRET"), "{shown}");
        }
    }

    #[test]
    fn references_round_trip() {
        for text in [r#"{"env":"ACME_URL"}"#, r#"{"file":"/run/secrets/x"}"#] {
            let secret: Secret = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&secret).unwrap(), text);
        }
    }

    #[test]
    fn bad_references_are_errors() {
        for text in [
            r#"{}"#,
            r#"{"env":"1X"}"#,
            r#"{"vault":"x"}"#,
            r#"{"env":"A","file":"b"}"#,
            "3",
            r#"{"s3cr3t":null}"#,
            r#"{"env":"hunter2 secret"}"#,
            "[1]",
            "null",
        ] {
            let error = serde_json::from_str::<Secret>(text)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with("invalid secret: "), "{text}: {error}");
            for echoed in ["s3cr3t", "hunter2", "1X", "vault", "\"b\""] {
                assert!(!error.contains(echoed), "{text}: {error}");
            }
        }
    }
}

//! Resolving secret references: the pure crate never reads the environment
//! or files; the caller passes a [`SecretResolver`].
//!
//! `tenantctl` resolves `env` and `file` references from its environment
//! and the file system; tests pass [`FakeSecrets`], whose values are plainly
//! fake; the quickstart example reads the environment and files and gives
//! unset references demo values it names. A reference that cannot be resolved is an error
//! naming the variable or file, never an empty value.

use secrecy::SecretString;
use tenant_model::Secret;

/// Turns a [`Secret`] of a document into its value.
///
/// `Sync`, because [`crate::render`] runs the targets on several threads.
pub trait SecretResolver: Sync {
    /// The value of `secret`, or a one-line reason naming the variable or
    /// file that could not be read (never the value itself).
    fn resolve(&self, secret: &Secret) -> Result<SecretString, String>;
}

/// Resolves inline secrets only; every reference is an error. For callers
/// that keep secrets out of rendering altogether.
#[derive(Debug, Clone, Copy, Default)]
pub struct InlineOnly;

impl SecretResolver for InlineOnly {
    fn resolve(&self, secret: &Secret) -> Result<SecretString, String> {
        inline(secret).unwrap_or_else(|| Err(unresolved(secret)))
    }
}

/// Inline secrets as written; each reference resolves to a plainly fake,
/// deterministic value (`fake-secret-for-env-NAME`), so examples and tests
/// render without real credentials. Never use it for a deployment.
#[derive(Debug, Clone, Copy, Default)]
pub struct FakeSecrets;

impl SecretResolver for FakeSecrets {
    fn resolve(&self, secret: &Secret) -> Result<SecretString, String> {
        if let Some(value) = inline(secret) {
            return value;
        }
        let value = match secret {
            Secret::Env(name) => format!("fake-secret-for-env-{}", sanitize(name)),
            Secret::File(path) => format!("fake-secret-for-file-{}", sanitize(path)),
            _ => "fake-secret".to_owned(),
        };
        Ok(SecretString::from(value))
    }
}

fn inline(secret: &Secret) -> Option<Result<SecretString, String>> {
    if secret.is_redacted_placeholder() {
        return Some(Err(
            "the inline secret is the redaction placeholder `<redacted>`, not a value".to_owned(),
        ));
    }
    secret
        .expose_inline()
        .map(|value| Ok(SecretString::from(value.to_owned())))
}

/// The reason for a reference nobody resolved.
pub fn unresolved(secret: &Secret) -> String {
    match secret {
        Secret::Env(name) => format!(
            "the environment variable {} is not set",
            tenant_model::escape_controls(name)
        ),
        Secret::File(path) => format!(
            "the file {} cannot be read",
            tenant_model::escape_controls(path)
        ),
        _ => "the secret cannot be resolved".to_owned(),
    }
}

/// Keeps fake values to letters, digits, `-` and `_`, so a fake URL built
/// from one stays one token.
fn sanitize(name: &str) -> String {
    name.chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn references_need_a_resolver_and_fakes_say_so() {
        let env = Secret::Env("ACME_SLACK_URL".to_owned());
        let error = InlineOnly.resolve(&env).unwrap_err();
        assert!(error.contains("ACME_SLACK_URL"), "{error}");
        let fake = FakeSecrets.resolve(&env).unwrap();
        assert_eq!(fake.expose_secret(), "fake-secret-for-env-ACME_SLACK_URL");
        let inline = Secret::inline("s3cr3t");
        assert_eq!(
            InlineOnly.resolve(&inline).unwrap().expose_secret(),
            "s3cr3t"
        );
        assert!(FakeSecrets.resolve(&Secret::inline("<redacted>")).is_err());
    }
}

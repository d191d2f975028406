//! Redis ACL file tokens: user names and glob patterns, the one way text
//! reaches a rendered `users.acl`.
//!
//! Redis reads an ACL file line by line and splits each line into
//! arguments as `redis-cli` does (spaces separate, quotes group), then
//! matches key and channel patterns as globs (`*`, `?`, `[...]`, `\`
//! escapes). So:
//!
//! - [`glob_literal`] escapes every glob-special character (`*?[]\`) with
//!   `\`, so a key prefix matches only itself;
//! - [`token`] refuses what would split or quote a token (whitespace,
//!   quotes, control characters, anything but visible ASCII, which is also
//!   all `ACL LIST` shows safely). A user name is always the second word of
//!   a `user` line, so a name that looks like a rule (`on`, `+@all`) is
//!   still read as a name.

/// Why a text cannot be written into an ACL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError(pub String);

impl std::fmt::Display for AclError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AclError {}

/// `text` with every glob-special character escaped: `\*`, `\?`, `\[`,
/// `\]`, `\\`.
pub fn glob_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` checked to stay one token of an ACL file line: visible ASCII
/// only, no quotes.
pub fn token(text: &str) -> Result<&str, AclError> {
    if text.is_empty() {
        return Err(AclError("an ACL token cannot be empty".to_owned()));
    }
    match text
        .chars()
        .find(|&c| !c.is_ascii_graphic() || c == '"' || c == '\'')
    {
        Some(c) => Err(AclError(format!(
            "an ACL token is visible ASCII without quotes, found `{}`",
            c.escape_debug()
        ))),
        None => Ok(text),
    }
}

/// A key pattern matching exactly the keys that start with `prefix`:
/// `~<prefix escaped>*`.
pub fn key_pattern(prefix: &str) -> Result<String, AclError> {
    let pattern = format!("~{}*", glob_literal(prefix));
    token(&pattern).map(str::to_owned)
}

/// A channel pattern matching exactly the channels that start with
/// `prefix`: `&<prefix escaped>*`.
pub fn channel_pattern(prefix: &str) -> Result<String, AclError> {
    let pattern = format!("&{}*", glob_literal(prefix));
    token(&pattern).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn glob_specials_are_escaped() {
        assert_eq!(glob_literal("acme:"), "acme:");
        assert_eq!(glob_literal("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
        assert_eq!(key_pattern("a*:").unwrap(), "~a\\*:*");
        assert_eq!(channel_pattern("acme:").unwrap(), "&acme:*");
    }

    #[test]
    fn tokens_cannot_split_or_quote() {
        assert!(token("acme-music").is_ok());
        for bad in ["", "a b", "a\"b", "a'b", "a\nb", "a\tb", "é"] {
            assert!(token(bad).is_err(), "{bad:?}");
        }
        assert!(key_pattern("a b:").is_err());
    }
}

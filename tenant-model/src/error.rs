//! Problems found in a document: each with the JSON pointer of the field, the
//! line and column where the format gives them, and a message.

use std::fmt;

use crate::show::{escape_controls, is_dangerous, looks_like_credential, redact_credentials};

/// One problem in a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Problem {
    line: Option<usize>,
    column: Option<usize>,
    pointer: String,
    message: String,
}

impl Problem {
    /// A problem at `pointer` (RFC 6901; `""` is the whole document).
    ///
    /// The pointer and the message are made safe to show: control,
    /// bidirectional and line-separator characters are escaped (one problem
    /// is one line), and anything that looks like a credential (a URL, a
    /// Slack webhook path or token, `user:password@host`) is replaced, in
    /// the message and in any segment of the pointer.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem::raw(pointer, message).shown_safely()
    }

    /// A problem whose pointer and message are kept as given until
    /// [`shown_safely`](Self::shown_safely): the parser needs the raw
    /// pointer to find the field's position first.
    pub(crate) fn raw(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            line: None,
            column: None,
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// This problem with its pointer and message made safe to show.
    pub(crate) fn shown_safely(mut self) -> Self {
        self.message = escape_controls(&redact_credentials(&self.message));
        let pointer_is_plain = !self.pointer.chars().any(is_dangerous)
            && !looks_like_credential(&self.pointer.replace("~1", "/"));
        if !pointer_is_plain {
            self.pointer = self
                .pointer
                .split('/')
                .map(|segment| {
                    if looks_like_credential(&segment.replace("~1", "/").replace("~0", "~")) {
                        "<not shown>".to_owned()
                    } else {
                        escape_controls(segment)
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
        }
        self
    }

    /// This problem, placed at `line` and `column` (both 1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The JSON pointer of the field.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The line of the field (1-based), when known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The column of the field (1-based), when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    /// `LINE:COL: /pointer: message`, without the position when unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "{line}:{column}: ")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// A problem is an error of its own, so `?` carries it into
/// `Box<dyn Error>` or an `anyhow`-style report.
impl std::error::Error for Problem {}

/// Every problem found in a document; never empty.
///
/// `{}` shows the first problem and how many more there are; `{:#}` shows
/// every problem, one a line.
///
/// ```
/// use tenant_model::{Format, Tenant, parse};
///
/// let problems = parse::<Tenant>("{\"schema_version\": 1, \"slug\": \"Bad Slug\"}", Format::Json)
///     .unwrap_err();
/// let all = format!("{problems:#}");
/// assert_eq!(all.lines().count(), problems.len());
/// assert!(problems.len() > 1);
/// assert!(problems.to_string().contains("more problems"));
/// // Each problem is an error of its own too.
/// let first: Box<dyn std::error::Error> = Box::new(problems.iter().next().unwrap().clone());
/// assert_eq!(first.to_string(), all.lines().next().unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems {
    problems: Vec<Problem>,
}

impl Problems {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        Problems { problems }
    }

    /// The problems, in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.problems.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Always false: a `Problems` holds at least one problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems, in document order.
    pub fn into_vec(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            // `{:#}`: every problem, one a line, as a CLI or a log shows them.
            let mut problems = self.problems.iter();
            match problems.next() {
                None => f.write_str("no problems")?,
                Some(first) => fmt::Display::fmt(first, f)?,
            }
            for problem in problems {
                write!(f, "\n{problem}")?;
            }
            return Ok(());
        }
        match self.problems.as_slice() {
            [] => f.write_str("no problems"),
            [one] => fmt::Display::fmt(one, f),
            [first, rest @ ..] => write!(f, "{first} (and {} more problems)", rest.len()),
        }
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.problems.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.problems.iter()
    }
}

/// Appends `segment` to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `pointer` with `segment` appended.
pub(crate) fn join(pointer: &str, segment: impl fmt::Display) -> String {
    let mut out = pointer.to_owned();
    push_segment(&mut out, &segment.to_string());
    out
}

//! `tenantctl deploy`: render and write the tree as `render` does, then ask
//! Prometheus and Alertmanager to reload (`POST /-/reload`) and confirm
//! that each loaded it: the reload answered 200, and `/metrics` says
//! `prometheus_config_last_reload_successful 1` (Alertmanager:
//! `alertmanager_config_last_reload_successful 1`). When a server refuses,
//! its own message is reported, the previous tree is put back and every
//! server is asked to reload it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tenant_render::Target;

use crate::OutputFormat;
use crate::files::{Fatal, escape, note, print_line, shown};
use crate::http::{Url, request};
use crate::render::{Rendered, prepare};

/// The servers to reload.
pub(crate) struct Servers<'a> {
    pub(crate) prometheus: Option<&'a str>,
    pub(crate) alertmanager: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Prometheus,
    Alertmanager,
}

/// What one server did with the new tree.
#[derive(Debug, serde::Serialize)]
struct Outcome {
    server: Kind,
    url: String,
    /// `loaded`, `refused` (the server's message) or `unreachable`.
    outcome: &'static str,
    message: String,
}

/// `OUTCOME URL[: MESSAGE]`, as the text output prints it after the server.
impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.outcome, self.url)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// Longest server message printed (the rest is cut, marked `...`).
const MAX_MESSAGE_CHARS: usize = 4000;

pub(crate) fn run(
    paths: &[PathBuf],
    out: &Path,
    only: &[Target],
    servers: &Servers<'_>,
    format: OutputFormat,
) -> Result<ExitCode, Fatal> {
    let mut targets = Vec::new();
    if let Some(url) = servers.prometheus {
        targets.push((Kind::Prometheus, Url::parse(url).map_err(Fatal)?));
    }
    if let Some(url) = servers.alertmanager {
        targets.push((Kind::Alertmanager, Url::parse(url).map_err(Fatal)?));
    }
    let bundle = match prepare(paths, only, format)? {
        Rendered::Bundle(bundle, _) => bundle,
        Rendered::Invalid(code) => return Ok(code),
    };
    let tree = crate::tree::Tree::lock(out)?;
    let swapped = tree.write(&bundle)?;
    let outcomes: Vec<Outcome> = targets
        .iter()
        .map(|(kind, url)| reload(*kind, url))
        .collect();
    let failed = outcomes.iter().any(|o| o.outcome != "loaded");
    let mut restored = Vec::new();
    if failed {
        swapped.rollback()?;
        // The servers that took the new tree go back to the previous one
        // too (a refusing server still runs its previous configuration).
        restored = targets
            .iter()
            .map(|(kind, url)| reload(*kind, url))
            .collect();
    } else {
        swapped.finish()?;
    }
    match format {
        OutputFormat::Json => print_line(
            serde_json::json!({
                "out": out.display().to_string(),
                "files": bundle.len(),
                "deployed": !failed,
                "servers": outcomes,
                "rolled_back": failed,
                "restored": restored,
            })
            .to_string(),
        )?,
        OutputFormat::Text => {
            for o in &outcomes {
                print_line(format_args!("{}: {o}", kind_name(o.server)))?;
            }
            if failed {
                print_line(format_args!(
                    "deploy failed; the previous tree of {} is restored",
                    shown(out)
                ))?;
                for o in &restored {
                    print_line(format_args!("{} after restore: {o}", kind_name(o.server)))?;
                }
            } else {
                print_line(format_args!(
                    "deployed {} files into {}",
                    bundle.len(),
                    shown(out)
                ))?;
            }
        }
    }
    if !failed {
        return Ok(ExitCode::SUCCESS);
    }
    if outcomes.iter().any(|o| o.outcome == "refused") {
        Ok(ExitCode::from(1))
    } else {
        note("tenantctl: error: a server could not be reached; the previous tree is restored");
        Ok(ExitCode::from(2))
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Prometheus => "prometheus",
        Kind::Alertmanager => "alertmanager",
    }
}

/// A server's message as printed: one line, control characters escaped,
/// cut at [`MAX_MESSAGE_CHARS`].
fn message(text: &str) -> String {
    let text = text.trim();
    let mut cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    if cut.len() < text.len() {
        cut.push_str("...");
    }
    escape(&cut)
}

fn reload(kind: Kind, url: &Url) -> Outcome {
    let outcome = |outcome: &'static str, text: String| Outcome {
        server: kind,
        url: url.as_str().to_owned(),
        outcome,
        message: text,
    };
    let response = match request(url, "POST", "/-/reload") {
        Ok(response) => response,
        Err(e) => return outcome("unreachable", message(&e)),
    };
    if response.status != 200 {
        let body = if response.body.trim().is_empty() {
            format!("reload answered HTTP {}", response.status)
        } else {
            response.body
        };
        return outcome("refused", message(&body));
    }
    let confirmed = match kind {
        Kind::Prometheus => confirm(url, "prometheus_config_last_reload_successful"),
        Kind::Alertmanager => confirm(url, "alertmanager_config_last_reload_successful"),
    };
    match confirmed {
        Ok(()) => outcome("loaded", String::new()),
        Err(Confirm::Refused(text)) => outcome("refused", message(&text)),
        Err(Confirm::Unreachable(text)) => outcome("unreachable", message(&text)),
    }
}

enum Confirm {
    Refused(String),
    Unreachable(String),
}

fn get(url: &Url, path: &str) -> Result<String, Confirm> {
    let response = request(url, "GET", path).map_err(Confirm::Unreachable)?;
    if response.status != 200 {
        return Err(Confirm::Unreachable(format!(
            "GET {path} answered HTTP {}",
            response.status
        )));
    }
    Ok(response.body)
}

/// Both servers answer 200 to a reload they applied (500 and their error
/// otherwise); the reload metric in `/metrics` confirms it. (Alertmanager's
/// `/api/v2/status` `config.original` is its own re-serialisation of the
/// parsed config, secrets hidden, so it cannot be compared with the file.)
fn confirm(url: &Url, metric: &str) -> Result<(), Confirm> {
    let metrics = get(url, "/metrics")?;
    let value = metrics
        .lines()
        .find_map(|line| line.strip_prefix(metric)?.strip_prefix(' ').map(str::trim));
    match value {
        Some("1") => Ok(()),
        Some(other) => Err(Confirm::Refused(format!("{metric} is {other}"))),
        None => Err(Confirm::Unreachable(format!("/metrics has no {metric}"))),
    }
}

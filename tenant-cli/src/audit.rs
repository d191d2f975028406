//! `tenantctl audit verify`: reads a JSON Lines audit trail and checks its
//! hash chain, naming the first bad line.

use std::path::Path;
use std::process::ExitCode;

use tenant_policy::audit::{parse_jsonl, verify_trail, verify_trail_with_head};

use crate::files::{Fatal, note, print_line, read, shown};

pub(crate) fn verify(
    path: &Path,
    head: Option<&str>,
    format: crate::OutputFormat,
) -> Result<ExitCode, Fatal> {
    let broken = |line: usize, error: String| -> Result<ExitCode, Fatal> {
        match format {
            crate::OutputFormat::Text => {
                print_line(format_args!("{}:{line}: {error}", shown(path)))?
            }
            crate::OutputFormat::Json => print_line(
                serde_json::json!({
                    "file": path.display().to_string(),
                    "ok": false,
                    "line": line,
                    "error": error,
                })
                .to_string(),
            )?,
        }
        Ok(ExitCode::from(1))
    };
    // A shared lock: `explain --audit` appends under an exclusive one, so a
    // trail is never read half-appended.
    let file = std::fs::File::open(path)
        .map_err(|e| Fatal(format!("cannot read `{}`: {e}", shown(path))))?;
    file.lock_shared()
        .map_err(|e| Fatal(format!("cannot lock `{}`: {e}", shown(path))))?;
    let text = read(path)?;
    drop(file);
    let events = match parse_jsonl(&text) {
        Ok(events) => events,
        Err(error) => return broken(error.line(), error.to_string()),
    };
    let result = match head {
        Some(head) => verify_trail_with_head(&events, head),
        None => verify_trail(&events),
    };
    match result {
        Ok(()) => {
            let last = events
                .last()
                .map_or(tenant_policy::audit::GENESIS_HASH, |e| e.hash.as_str());
            match format {
                crate::OutputFormat::Text => print_line(format_args!(
                    "{}: ok: {} events, head {last}",
                    shown(path),
                    events.len()
                ))?,
                crate::OutputFormat::Json => print_line(
                    serde_json::json!({
                        "file": path.display().to_string(),
                        "ok": true,
                        "events": events.len(),
                        "head": last,
                    })
                    .to_string(),
                )?,
            }
            if head.is_none() {
                note(format_args!(
                    "note: without --head, events cut off the end of the trail go unnoticed"
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        // Events are one per line, so event `index` is on line `index + 1`.
        Err(error) => broken(error.index() + 1, error.to_string()),
    }
}

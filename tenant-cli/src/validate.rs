//! `tenantctl validate`: checks documents one by one, then tenants as a set
//! and against the platform, and prints every problem with its position.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::OutputFormat;
use crate::documents::{load, print_diagnostics};
use crate::files::{Fatal, note};

pub(crate) fn run(paths: &[PathBuf], format: OutputFormat) -> Result<ExitCode, Fatal> {
    let loaded = load(paths)?;
    print_diagnostics(&loaded.diagnostics, format)?;
    let platforms = usize::from(loaded.platform.is_some());
    let checked = loaded.tenants.len() + platforms + loaded.rules.len();
    if loaded.diagnostics.is_empty() {
        note(format_args!(
            "ok: {checked} documents ({} tenants, {platforms} platform, {} compliance rules)",
            loaded.tenants.len(),
            loaded.rules.len()
        ));
        Ok(ExitCode::SUCCESS)
    } else {
        note(format_args!("{} problems", loaded.diagnostics.len()));
        Ok(ExitCode::from(1))
    }
}

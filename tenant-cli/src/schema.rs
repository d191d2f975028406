//! `tenantctl schema`: writes (or checks) the JSON Schemas.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::files::{Fatal, write_atomically};

pub(crate) fn run(out: &Path, check: bool) -> Result<ExitCode, Fatal> {
    let schemas = tenant_model::schemas();
    if check {
        let mut stale = Vec::new();
        for schema in &schemas {
            let path = out.join(schema.file_name);
            let current = fs::read_to_string(&path).unwrap_or_default();
            if current != schema.to_pretty_json() {
                stale.push(path.display().to_string());
            }
        }
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for path in stale {
            println!(
                "{path}: stale; run `tenantctl schema --out {}`",
                out.display()
            );
        }
        return Ok(ExitCode::from(1));
    }
    fs::create_dir_all(out)
        .map_err(|e| Fatal(format!("cannot create `{}`: {e}", out.display())))?;
    for schema in &schemas {
        write_atomically(
            &out.join(schema.file_name),
            schema.to_pretty_json().as_bytes(),
        )?;
    }
    eprintln!("wrote {} schemas to {}", schemas.len(), out.display());
    Ok(ExitCode::SUCCESS)
}

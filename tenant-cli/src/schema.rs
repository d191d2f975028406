//! `tenantctl schema`: writes (or checks) the JSON Schemas.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::files::{
    Fatal, MAX_FILE_BYTES, describe, note, print_line, read_bounded, shown, write_atomically,
};

pub(crate) fn run(out: &Path, check: bool) -> Result<ExitCode, Fatal> {
    let schemas = tenant_model::schemas();
    if check {
        let mut stale = Vec::new();
        for schema in &schemas {
            let path = out.join(schema.file_name);
            // Only a regular file can hold the schema; a FIFO or device in
            // its place is stale, and is not read (it could block or never end).
            let current = fs::metadata(&path)
                .ok()
                .filter(fs::Metadata::is_file)
                .and_then(|_| fs::File::open(&path).ok())
                .and_then(|file| read_bounded(file, MAX_FILE_BYTES).ok());
            if current.as_deref() != Some(schema.to_pretty_json().as_str()) {
                stale.push(shown(&path));
            }
        }
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for path in stale {
            print_line(format_args!(
                "{path}: stale; run `tenantctl schema --out {}`",
                shown(out)
            ))?;
        }
        return Ok(ExitCode::from(1));
    }
    fs::create_dir_all(out)
        .map_err(|e| Fatal(format!("cannot create `{}`: {}", shown(out), describe(&e))))?;
    for schema in &schemas {
        write_atomically(
            &out.join(schema.file_name),
            schema.to_pretty_json().as_bytes(),
        )?;
    }
    note(format_args!(
        "wrote {} schemas to {}",
        schemas.len(),
        shown(out)
    ));
    Ok(ExitCode::SUCCESS)
}

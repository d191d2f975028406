//! `tenantctl render`: validates the documents, resolves secret references
//! from the environment and files, renders every target and writes the
//! files under `--out`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use secrecy::SecretString;
use tenant_model::{PlatformConfig, Secret, Tenant, place};
use tenant_render::{Options, SecretResolver, Target, render};

use crate::OutputFormat;
use crate::documents::{Diagnostic, load, print_diagnostics};
use crate::files::{Fatal, note, print_line, read_bounded, shown, write_atomically_as};

/// Secret references resolved from this process' environment and files.
struct EnvAndFiles;

/// A secret file larger than this is refused (a webhook URL or password is
/// a line).
const MAX_SECRET_BYTES: u64 = 64 * 1024;

impl SecretResolver for EnvAndFiles {
    fn resolve(&self, secret: &Secret) -> Result<SecretString, String> {
        if let Some(value) = secret.expose_inline() {
            if secret.is_redacted_placeholder() {
                return Err("the inline secret is the placeholder `<redacted>`".to_owned());
            }
            return Ok(SecretString::from(value.to_owned()));
        }
        let value = match secret {
            Secret::Env(name) => match std::env::var(name) {
                Ok(value) => value,
                Err(std::env::VarError::NotPresent) => {
                    return Err(tenant_render::unresolved(secret));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(format!(
                        "the environment variable {} is not UTF-8",
                        tenant_model::escape_controls(name)
                    ));
                }
            },
            Secret::File(path) => {
                let file =
                    std::fs::File::open(path).map_err(|_| tenant_render::unresolved(secret))?;
                let text = read_bounded(file, MAX_SECRET_BYTES).map_err(|_| {
                    format!(
                        "the file {} cannot be read as a secret of at most {MAX_SECRET_BYTES} bytes of UTF-8",
                        tenant_model::escape_controls(path)
                    )
                })?;
                // A secret file ends with one newline, as `echo` writes it.
                text.strip_suffix('\n')
                    .map(|t| t.strip_suffix('\r').unwrap_or(t))
                    .unwrap_or(&text)
                    .to_owned()
            }
            _ => return Err(tenant_render::unresolved(secret)),
        };
        if value.is_empty() {
            return Err(format!("{} is empty", describe(secret)));
        }
        Ok(SecretString::from(value))
    }
}

fn describe(secret: &Secret) -> String {
    match secret {
        Secret::Env(name) => format!(
            "the environment variable {}",
            tenant_model::escape_controls(name)
        ),
        Secret::File(path) => format!("the file {}", tenant_model::escape_controls(path)),
        _ => "the secret".to_owned(),
    }
}

pub(crate) fn run(
    paths: &[PathBuf],
    out: &Path,
    only: &[Target],
    format: OutputFormat,
) -> Result<ExitCode, Fatal> {
    let loaded = load(paths)?;
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics, format)?;
        note(format_args!(
            "{} problems; nothing rendered",
            loaded.diagnostics.len()
        ));
        return Ok(ExitCode::from(1));
    }
    let tenants: Vec<Tenant> = loaded.distinct_tenants().into_iter().cloned().collect();
    let default_platform = PlatformConfig::default();
    let platform = loaded
        .platform
        .as_ref()
        .map_or(&default_platform, |(_, p)| p);
    let mut options = Options::new(&EnvAndFiles);
    if !only.is_empty() {
        options = options.with_targets(only.iter().copied());
    }
    let bundle = match render(&tenants, platform, &options) {
        Ok(bundle) => bundle,
        Err(problems) => {
            let mut diagnostics = Vec::new();
            for p in problems.iter() {
                let source = p.tenant.as_deref().and_then(|slug| {
                    loaded
                        .tenants
                        .iter()
                        .find(|(_, t)| t.slug.as_str() == slug)
                        .map(|(s, _)| s)
                });
                let source = source.or(loaded.platform.as_ref().map(|(s, _)| s));
                match source {
                    Some(source) => {
                        for placed in place(vec![p.problem.clone()], &source.text, source.format) {
                            diagnostics.push(Diagnostic::new(&source.path, &placed));
                        }
                    }
                    None => diagnostics.push(Diagnostic::new(
                        Path::new("<platform defaults>"),
                        &p.problem,
                    )),
                }
            }
            print_diagnostics(&diagnostics, format)?;
            note(format_args!(
                "{} problems; nothing rendered",
                diagnostics.len()
            ));
            return Ok(ExitCode::from(1));
        }
    };
    write_bundle(&bundle, out)?;
    let mut per_target: std::collections::BTreeMap<&str, usize> = Default::default();
    for (path, _) in bundle.iter() {
        let top = path.split('/').next().unwrap_or(path);
        if top != tenant_render::MANIFEST {
            *per_target.entry(top).or_default() += 1;
        }
    }
    let summary: Vec<String> = per_target
        .iter()
        .map(|(target, n)| format!("{target} {n}"))
        .collect();
    print_line(format_args!(
        "rendered {} tenants into {}: {} files ({})",
        tenants.len(),
        shown(out),
        bundle.len(),
        if summary.is_empty() {
            "nothing but the manifest".to_owned()
        } else {
            summary.join(", ")
        }
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes every file of the bundle under `out`, each atomically; secret
/// files readable by the owner only.
fn write_bundle(bundle: &tenant_render::Bundle, out: &Path) -> Result<(), Fatal> {
    for (path, file) in bundle.iter() {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Fatal(format!(
                    "cannot create `{}`: {}",
                    shown(dir),
                    crate::files::describe(&e)
                ))
            })?;
        }
        write_atomically_as(&target, file.contents().as_bytes(), file.is_secret())?;
    }
    Ok(())
}

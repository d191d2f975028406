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
use crate::files::{Fatal, note, print_line, read_bounded, shown};

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

/// The rendered bundle and how many tenants it is for, or the exit code
/// when the documents are invalid (their problems printed).
pub(crate) enum Rendered {
    Bundle(tenant_render::Bundle, usize),
    Invalid(ExitCode),
}

/// Loads the documents, resolves the secrets and renders the bundle in
/// memory; problems are printed in `format`.
pub(crate) fn prepare(
    paths: &[PathBuf],
    only: &[Target],
    format: OutputFormat,
) -> Result<Rendered, Fatal> {
    let loaded = load(paths)?;
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics, format)?;
        note(format_args!(
            "{} problems; nothing rendered",
            loaded.diagnostics.len()
        ));
        return Ok(Rendered::Invalid(ExitCode::from(1)));
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
    let progress = Progress::start(tenants.len());
    let rendered = render(&tenants, platform, &options);
    drop(progress);
    let bundle = match rendered {
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
            return Ok(Rendered::Invalid(ExitCode::from(1)));
        }
    };
    Ok(Rendered::Bundle(bundle, tenants.len()))
}

/// A line on standard error when a render takes more than a few seconds,
/// only when standard error is a terminal (a log or a pipe gets nothing).
struct Progress {
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(tenants: usize) -> Progress {
        use std::io::IsTerminal;
        if !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                wait.recv_timeout(std::time::Duration::from_secs(2))
            {
                note(format_args!("tenantctl: rendering {tenants} tenants..."));
            }
        });
        Progress {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub(crate) fn run(
    paths: &[PathBuf],
    out: &Path,
    only: &[Target],
    format: OutputFormat,
    check: bool,
) -> Result<ExitCode, Fatal> {
    let (bundle, tenants) = match prepare(paths, only, format)? {
        Rendered::Bundle(bundle, tenants) => (bundle, tenants),
        Rendered::Invalid(code) => return Ok(code),
    };
    if check {
        let drift = crate::check::compare(&bundle, out)?;
        match format {
            OutputFormat::Text => crate::check::print_text(&drift, out)?,
            OutputFormat::Json => print_line(
                serde_json::json!({
                    "out": out.display().to_string(),
                    "up_to_date": drift.is_empty(),
                    "drift": drift,
                })
                .to_string(),
            )?,
        }
        return Ok(if drift.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let tree = crate::tree::Tree::lock(out)?;
    tree.write(&bundle)?.finish()?;
    print_summary(&bundle, tenants, out, format)?;
    Ok(ExitCode::SUCCESS)
}

/// Files per top-level directory of the bundle (the manifest not counted).
pub(crate) fn per_target(
    bundle: &tenant_render::Bundle,
) -> std::collections::BTreeMap<String, usize> {
    let mut per_target: std::collections::BTreeMap<String, usize> = Default::default();
    for (path, _) in bundle.iter() {
        let top = path.split('/').next().unwrap_or(path);
        if top != tenant_render::MANIFEST {
            *per_target.entry(top.to_owned()).or_default() += 1;
        }
    }
    per_target
}

fn print_summary(
    bundle: &tenant_render::Bundle,
    tenants: usize,
    out: &Path,
    format: OutputFormat,
) -> Result<(), Fatal> {
    let per_target = per_target(bundle);
    if format == OutputFormat::Json {
        return print_line(
            serde_json::json!({
                "out": out.display().to_string(),
                "tenants": tenants,
                "files": bundle.len(),
                "per_target": per_target,
            })
            .to_string(),
        );
    }
    let summary: Vec<String> = per_target
        .iter()
        .map(|(target, n)| format!("{target} {n}"))
        .collect();
    print_line(format_args!(
        "rendered {} tenants into {}: {} files ({})",
        tenants,
        shown(out),
        bundle.len(),
        if summary.is_empty() {
            "nothing but the manifest".to_owned()
        } else {
            summary.join(", ")
        }
    ))
}

//! Quickstart: validate the example documents and render the whole
//! monitoring and data stack for them into `target/tenant-stack` (or the
//! directory given as the first argument), then print a summary: the
//! tenants, the files of each target, the isolation findings, each tenant's
//! compliance summary and where to look next.
//!
//! Run it with `cargo run --example quickstart`.
//!
//! Secret references (`{ env: NAME }`, `{ file: PATH }`) are resolved from
//! the environment and the file system, as `tenantctl render` does. A new
//! user has none of the example tenants' secrets, and expects the whole
//! stack anyway; so a reference that is not set gets a **demo value**
//! instead of failing the render, and the summary names every one:
//!
//! - a Slack webhook URL becomes `http://127.0.0.1:9/tenant-kit-quickstart-fake/NAME`,
//!   a loopback URL on the discard port, so a notification can never leave
//!   the machine;
//! - any other secret (database and Redis passwords) becomes
//!   `quickstart-fake-secret-for-NAME`.
//!
//! Set the variables (or create the files) to render real values. Never
//! deploy a stack the summary says has demo values; `tenantctl render`
//! refuses unresolved references instead.
//!
//! Files are written one by one, each atomically (a temporary file renamed
//! over it; secret files mode 0600). The directory is replaced only when it
//! holds a previous render (a `MANIFEST.json`) or nothing; `tenantctl
//! render` swaps whole trees.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use secrecy::SecretString;
use tenant_kit::model::{Secret, Tenant};
use tenant_kit::policy::checks::{
    ComplianceContext, TenantEvidence, check_isolation_set, evaluate_compliance,
};
use tenant_kit::render::{Bundle, MANIFEST, Options, SecretResolver, Target, render, unresolved};

/// What the quickstart built.
pub(crate) struct Stack {
    /// Where the files are.
    pub(crate) out: PathBuf,
    /// The tenants' slugs, in file-name order.
    pub(crate) tenants: Vec<String>,
    /// Every rendered file.
    pub(crate) bundle: Bundle,
    /// The references that got a demo value (`environment variable `NAME``).
    pub(crate) demo_values: Vec<String>,
    /// Isolation findings across the tenants, one line each.
    pub(crate) findings: Vec<String>,
    /// How many compliance rules were evaluated.
    pub(crate) compliance_rules: usize,
    /// Each tenant's compliance summary, one line each.
    pub(crate) compliance: Vec<String>,
}

/// The default output directory: `target/tenant-stack` of the workspace.
pub(crate) fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tenant-stack")
}

/// Validates the example documents, renders every target and writes the
/// files into `out`.
pub(crate) fn build(out: &Path) -> Result<Stack, Box<dyn std::error::Error>> {
    let examples = common::load(&common::examples_dir())?;
    let secrets = DemoSecrets::for_tenants(&examples.tenants);
    let options = Options::new(&secrets).with_targets(Target::ALL);
    let bundle = render(&examples.tenants, &examples.platform, &options)?;
    write_bundle(&bundle, out)?;

    let set: Vec<&Tenant> = examples.tenants.iter().collect();
    let findings = check_isolation_set(&set, &examples.platform)
        .into_iter()
        .map(|f| {
            let slug = set.get(f.tenant).map_or("?", |t| t.slug.as_str());
            format!(
                "[{}] {slug}: {}: {}",
                f.finding.severity.as_str(),
                f.finding.pointer,
                f.finding.message
            )
        })
        .collect();
    // Compliance as of a fixed instant, so the output is reproducible.
    let context = ComplianceContext::new(&examples.platform, common::at());
    let compliance = examples
        .tenants
        .iter()
        .zip(&examples.written)
        .map(|(tenant, written)| {
            let report = evaluate_compliance(
                &examples.rules,
                TenantEvidence::new(tenant, written),
                &context,
            );
            let s = &report.summary;
            format!(
                "{}: {} passed, {} failed, {} no evidence, {} not applicable",
                tenant.slug, s.passed, s.failed, s.no_evidence, s.not_applicable
            )
        })
        .collect();
    Ok(Stack {
        out: out.to_path_buf(),
        tenants: examples
            .tenants
            .iter()
            .map(|t| t.slug.as_str().to_owned())
            .collect(),
        bundle,
        demo_values: secrets
            .demo
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .collect(),
        findings,
        compliance_rules: examples.rules.rules.len(),
        compliance,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(default_out, PathBuf::from);
    let stack = build(&out)?;
    let shown = stack
        .out
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(&stack.out)
        .display()
        .to_string();

    println!(
        "validated {} tenants ({}), the platform and the compliance rules",
        stack.tenants.len(),
        stack.tenants.join(", ")
    );
    if !stack.demo_values.is_empty() {
        println!(
            "\nDEMO VALUES: {} secret references are not set here and got fake values",
            stack.demo_values.len()
        );
        println!(
            "(webhooks: http://127.0.0.1:9/tenant-kit-quickstart-fake/NAME, loopback discard port; others: quickstart-fake-secret-for-NAME):"
        );
        for name in &stack.demo_values {
            println!("  {name}");
        }
        println!("set them to render real values; do not deploy this stack as it is");
    }

    let mut per_target: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (path, file) in stack.bundle.iter() {
        let top = path.split('/').next().unwrap_or(path);
        let entry = per_target.entry(top).or_default();
        entry.0 += 1;
        if file.is_secret() {
            entry.1 += 1;
        }
    }
    println!("\nrendered {} files into {shown}/:", stack.bundle.len());
    for target in Target::ALL {
        let (files, secret) = per_target.get(target.as_str()).copied().unwrap_or_default();
        let secret = if secret > 0 {
            format!(" ({secret} secret, mode 0600)")
        } else {
            String::new()
        };
        println!("  {:<13} {files:>4} files{secret}", format!("{target}/"));
    }
    println!("  {MANIFEST}     every file with its sha256 and whether it is secret");

    if stack.findings.is_empty() {
        println!("\nisolation findings: none");
    } else {
        println!("\nisolation findings: {}", stack.findings.len());
        for finding in &stack.findings {
            println!("  {finding}");
        }
    }

    println!(
        "\ncompliance ({} rules, as of {}):",
        stack.compliance_rules,
        common::at().to_rfc3339()
    );
    for line in &stack.compliance {
        println!("  {line}");
    }

    println!("\nwhere to look next:");
    println!(
        "  {shown}/alertmanager/alertmanager.yml   one routing tree, every tenant's route locked to it"
    );
    println!(
        "  {shown}/prometheus/rules/               rules whose selectors are locked to their tenant"
    );
    println!(
        "  promtool test rules {shown}/prometheus/tests/*.yml   the SLO alerts' own unit tests"
    );
    println!("  amtool check-config {shown}/alertmanager/alertmanager.yml");
    println!("  cargo run --example authorize          access decisions with their reasons");
    println!("  cargo run --example compliance_report  GDPR and SOC 2 controls per tenant");
    println!(
        "  docs/guide/README.md                   the user guide: documents, targets, security"
    );
    Ok(())
}

/// Resolves references from the environment and files; a reference that is
/// not set gets a demo value, recorded in `demo`.
struct DemoSecrets {
    /// The environment variables and files the tenants' Slack webhooks
    /// refer to.
    webhooks: BTreeSet<String>,
    /// Every reference that got a demo value, described.
    demo: Mutex<BTreeSet<String>>,
}

/// A secret file larger than this is not read (a URL or password is a line).
const MAX_SECRET_BYTES: u64 = 64 * 1024;

impl DemoSecrets {
    fn for_tenants(tenants: &[Tenant]) -> Self {
        let webhooks = tenants
            .iter()
            .flat_map(|t| &t.slack.receivers)
            .filter_map(|r| match &r.webhook_url {
                Secret::Env(name) | Secret::File(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        DemoSecrets {
            webhooks,
            demo: Mutex::new(BTreeSet::new()),
        }
    }
}

impl SecretResolver for DemoSecrets {
    fn resolve(&self, secret: &Secret) -> Result<SecretString, String> {
        if secret.is_redacted_placeholder() {
            return Err("the inline secret is the placeholder `<redacted>`".to_owned());
        }
        if let Some(value) = secret.expose_inline() {
            return Ok(SecretString::from(value.to_owned()));
        }
        let (what, name, value) = match secret {
            Secret::Env(name) => ("environment variable", name, std::env::var(name).ok()),
            Secret::File(path) => ("file", path, read_secret_file(Path::new(path))),
            _ => return Err(unresolved(secret)),
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            return Ok(SecretString::from(value));
        }
        let token = token(name);
        let value = if self.webhooks.contains(name) {
            format!("http://127.0.0.1:9/tenant-kit-quickstart-fake/{token}")
        } else {
            format!("quickstart-fake-secret-for-{token}")
        };
        self.demo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(format!("{what} `{}`", name.escape_debug()));
        Ok(SecretString::from(value))
    }
}

/// A secret file's text without its final newline, if it can be read.
fn read_secret_file(path: &Path) -> Option<String> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_SECRET_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    Some(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_owned())
}

/// A reference as one URL-safe token: letters, digits, `-` and `_`.
fn token(name: &str) -> String {
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

/// Writes every file of `bundle` under `out`, each atomically; `out` is
/// emptied first when it holds a previous render, refused when it holds
/// anything else.
fn write_bundle(bundle: &Bundle, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if out.exists() {
        let previous = out.join(MANIFEST).is_file();
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !previous && !empty {
            return Err(format!(
                "{} exists and does not hold a previous render (no {MANIFEST}); not overwriting it",
                out.display()
            )
            .into());
        }
        std::fs::remove_dir_all(out)?;
    }
    for (path, file) in bundle.iter() {
        let dest = out.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut tmp_name = dest.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(".tmp");
        let tmp = dest.with_file_name(tmp_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(if file.is_secret() { 0o600 } else { 0o644 });
        }
        let mut handle = options.open(&tmp)?;
        handle.write_all(file.contents().as_bytes())?;
        handle.sync_all()?;
        std::fs::rename(&tmp, &dest)?;
    }
    Ok(())
}

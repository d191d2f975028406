#![doc = include_str!("../README.md")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod audit;
mod check;
mod compliance;
mod deploy;
mod documents;
mod explain;
mod files;
mod http;
mod render;
mod schema;
mod tree;
mod validate;

/// Validate, render and audit tenant configuration documents.
#[derive(Debug, Parser)]
#[command(
    name = "tenantctl",
    version,
    about,
    long_about = None,
    after_help = "Example: tenantctl validate examples/tenants examples/platform.yaml\n\nExit status: 0 ok; 1 invalid documents, findings, denial or drift; 2 usage or I/O error.\nColour only on a terminal, never when NO_COLOR is set."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check tenant, platform and compliance documents; report every problem.
    ///
    /// Exit status: 0 when all documents are valid, 1 when any is invalid,
    /// 2 on usage or I/O errors. Several tenant documents are also checked
    /// as a set (unique ids, slugs, databases, cache prefixes).
    #[command(after_help = concat!(
        "Example: tenantctl validate examples/tenants examples/platform.yaml --format json\n\n",
        "Exit status: 0 all valid; 1 a document is invalid; 2 usage or I/O error."
    ))]
    Validate {
        /// Files (.json, .yaml, .yml, .toml) or directories (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format of the problems.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Evaluate the GDPR and SOC 2 controls against each tenant.
    ///
    /// Give the tenants and the platform document (for the jurisdictions of
    /// regions), and optionally a compliance rules document (the built-in
    /// default set otherwise). Controls fail closed: a field the document
    /// does not write is no evidence, and counts against the tenant. Exit
    /// status: 0 when every tenant is compliant (at least one rule applied,
    /// none failed or lacked evidence), 1 otherwise (or when a document is
    /// invalid), 2 on usage or I/O errors.
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = concat!(
            "Example: tenantctl compliance examples/tenants examples/platform.yaml examples/compliance_rules.yaml --format json\n\n",
            "Exit status: 0 every tenant compliant; 1 a finding or an invalid document; 2 usage or I/O error."
        )
    )]
    Compliance {
        #[command(subcommand)]
        command: Option<ComplianceCommand>,
        /// Tenant documents, the platform document, and optionally the rules.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Evaluate as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The audit trail (JSON Lines) the audit trail controls read.
        #[arg(long, requires = "audit_head")]
        audit_trail: Option<PathBuf>,
        /// The trail's last hash, kept apart from the trail.
        #[arg(long, requires = "audit_trail")]
        audit_head: Option<String>,
    },
    /// Ask the compiled policy whether a principal may do an action on a
    /// resource, and why.
    ///
    /// Exit status: 0 when allowed, 1 when denied (or a document is
    /// invalid), 2 on usage or I/O errors.
    #[command(after_help = concat!(
        "Example: tenantctl explain examples/tenants --principal service_account:catalogue-sync --principal-tenant acme-music --action read --resource beatforge/track/t-42\n\n",
        "Exit status: 0 allowed; 1 denied or an invalid document; 2 usage or I/O error."
    ))]
    Explain {
        /// Tenant documents (files or directories).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        question: explain::Question,
    },
    /// Render the files a monitoring and data stack loads, for every tenant.
    ///
    /// Give tenant documents (files or directories) and optionally the
    /// platform document (the built-in defaults otherwise). Invalid documents
    /// are refused with every problem and nothing is written. Secret
    /// references (`env`, `file`) are resolved from this environment and
    /// file system; a missing one is an error naming it. The platform
    /// switches, overridden by MONITORING_ENABLED, SLACK_WEBHOOKS_ENABLED,
    /// PROMETHEUS_METRICS and GRAFANA_DASHBOARDS, decide what is rendered.
    ///
    /// The tree is written beside `--out` and swapped in whole (the previous
    /// tree stays whole if the run is interrupted; files no longer rendered
    /// go with the swap); `OUT.lock` keeps two runs apart; an `--out` that
    /// is not empty and has no MANIFEST.json is refused. Secret files are
    /// mode 0600.
    #[command(after_help = concat!(
        "Examples:\n",
        "  tenantctl render examples/tenants examples/platform.yaml --out stack\n",
        "  tenantctl render examples/tenants examples/platform.yaml --out stack --only prometheus,alertmanager\n",
        "  tenantctl render examples/tenants examples/platform.yaml --out stack --check   # CI drift gate\n\n",
        "Exit status: 0 rendered (or, with --check, up to date); 1 an invalid document, or drift with --check; 2 usage or I/O error."
    ))]
    Render {
        /// Tenant documents, directories, and optionally the platform document.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Directory to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Only these targets (comma-separated): prometheus, alertmanager,
        /// grafana, mimir, kubernetes, postgres, redis.
        #[arg(long, value_delimiter = ',', value_parser = parse_target)]
        only: Vec<tenant_render::Target>,
        /// Write nothing: compare the rendered bundle with `--out` and print a
        /// unified diff, the missing and extra files, and the secret files
        /// that differ (by SHA-256, never their contents).
        #[arg(long)]
        check: bool,
        /// Output format of the problems, the summary and the drift.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Render and write as `render` does, then reload Prometheus and
    /// Alertmanager and confirm each loaded the new files.
    ///
    /// Each server gets `POST /-/reload` (Prometheus needs
    /// `--web.enable-lifecycle`) and is confirmed by its reload metric in
    /// `/metrics` (`prometheus_config_last_reload_successful 1`,
    /// `alertmanager_config_last_reload_successful 1`). When a server refuses, its own message is printed,
    /// the previous tree is put back and the servers reload it. Plain
    /// http:// URLs only.
    #[command(after_help = concat!(
        "Example: tenantctl deploy examples/tenants examples/platform.yaml --out /etc/tenant-stack \\\n",
        "           --prometheus http://127.0.0.1:9090 --alertmanager http://127.0.0.1:9093\n\n",
        "Exit status: 0 written and loaded by every server; 1 an invalid document or a server refused (rolled back); 2 usage or I/O error, or a server unreachable (rolled back)."
    ))]
    Deploy {
        /// Tenant documents, directories, and optionally the platform document.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Directory to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Only these targets (comma-separated), as for render.
        #[arg(long, value_delimiter = ',', value_parser = parse_target)]
        only: Vec<tenant_render::Target>,
        /// Prometheus' base URL (http://HOST:PORT[/PREFIX]).
        #[arg(long)]
        prometheus: Option<String>,
        /// Alertmanager's base URL (http://HOST:PORT[/PREFIX]).
        #[arg(long)]
        alertmanager: Option<String>,
        /// Output format of the problems and the outcomes.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Audit trail tools.
    #[command(after_help = concat!(
        "Example: tenantctl audit verify audit.jsonl --head HASH\n\n",
        "Exit status: 0 the chain holds; 1 it is broken; 2 usage or I/O error."
    ))]
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write the JSON Schemas of every document to a directory.
    #[command(after_help = concat!(
        "Example: tenantctl schema --out schemas --check\n\n",
        "Exit status: 0 written (or current with --check); 1 out of date with --check; 2 usage or I/O error."
    ))]
    Schema {
        /// Directory to write to (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Only check that the directory holds the current schemas; exit 1 if not.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ComplianceCommand {
    /// Print a tenant's access review population (each subject, its
    /// effective permissions, MFA and expiry) and its SHA-256, to record in
    /// `last_access_review` once signed off.
    Review {
        /// The tenant's slug.
        tenant: String,
        /// Tenant documents (files or directories).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The review's date is this instant's (RFC 3339) instead of now's.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Print the access changes between two versions of a tenant document
    /// (binding or grant added or removed, widened or narrowed, MFA dropped
    /// or required, expiry extended or shortened); each is a file or
    /// `git:REV:PATH` (e.g. `git:HEAD~1:tenants/acme.yaml`).
    Diff {
        /// The old version.
        old: String,
        /// The new version.
        new: String,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
        /// Append the changes to this audit trail (JSON Lines).
        #[arg(long, requires = "actor")]
        audit: Option<PathBuf>,
        /// Who made the changes, e.g. `git:<commit>` or an email.
        #[arg(long, requires = "audit")]
        actor: Option<String>,
        /// Stamp the audit records with this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Evaluate the rules over every committed version (git) of one tenant
    /// document in a period, for SOC 2 Type II: per rule, the intervals it
    /// failed or lacked evidence in. Exit status 1 when any.
    History {
        /// The tenant document, in a git work tree.
        file: PathBuf,
        /// The platform document, and optionally the rules.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Start of the period (RFC 3339).
        #[arg(long)]
        since: chrono::DateTime<chrono::Utc>,
        /// End of the period (RFC 3339).
        #[arg(long)]
        until: chrono::DateTime<chrono::Utc>,
        /// Print the history as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain of a JSON Lines audit trail; exit 1 at the first
    /// modified, deleted, inserted or reordered event.
    Verify {
        /// The audit trail (one event per line).
        file: PathBuf,
        /// The hash the trail must end with (kept elsewhere); detects events
        /// cut off the end.
        #[arg(long)]
        head: Option<String>,
        /// Output format: a line, or a JSON object (`ok`, `events`, `head`,
        /// or `line` and `error`).
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// `FILE:LINE:COL: /json/pointer: message`, one line per problem.
    Text,
    /// A JSON array of problems.
    Json,
}

/// How compliance reports are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// A summary line per tenant, then each failed or unevidenced rule.
    Text,
    /// A JSON array of reports.
    Json,
    /// A Markdown table per tenant: rule, reference, outcome, evidence,
    /// value, remediation.
    Markdown,
}

/// mimalloc instead of the system allocator: validation builds and drops a
/// tree of small allocations per document (the JSON value, then the typed
/// document), and glibc's malloc and free were about a fifth of the samples.
/// Built without transparent huge pages: with them, memory that mimalloc
/// purged and used again came back as 2 MiB pages zeroed by the kernel
/// (about a second of system time at 10 000 documents).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse_target(name: &str) -> Result<tenant_render::Target, String> {
    tenant_render::Target::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = tenant_render::Target::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        format!("unknown target; expected one of {}", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { paths, format } => validate::run(&paths, format),
        Command::Compliance {
            command: Some(ComplianceCommand::Review { tenant, paths, at }),
            ..
        } => compliance::review(&tenant, &paths, at),
        Command::Compliance {
            command:
                Some(ComplianceCommand::Diff {
                    old,
                    new,
                    json,
                    audit,
                    actor,
                    at,
                }),
            ..
        } => compliance::diff(&old, &new, json, audit.as_deref().zip(actor.as_deref()), at),
        Command::Compliance {
            command:
                Some(ComplianceCommand::History {
                    file,
                    paths,
                    since,
                    until,
                    json,
                }),
            ..
        } => compliance::history(&file, &paths, since, until, json),
        Command::Compliance {
            command: None,
            paths,
            at,
            format,
            audit_trail,
            audit_head,
        } => compliance::run(&compliance::Request {
            paths: &paths,
            at,
            format,
            audit_trail: audit_trail.as_deref(),
            audit_head: audit_head.as_deref(),
        }),
        Command::Explain { paths, question } => explain::run(&paths, &question),
        Command::Audit {
            command: AuditCommand::Verify { file, head, format },
        } => audit::verify(&file, head.as_deref(), format),
        Command::Schema { out, check } => schema::run(&out, check),
        Command::Render {
            paths,
            out,
            only,
            check,
            format,
        } => render::run(&paths, &out, &only, format, check),
        Command::Deploy {
            paths,
            out,
            only,
            prometheus,
            alertmanager,
            format,
        } => deploy::run(
            &paths,
            &out,
            &only,
            &deploy::Servers {
                prometheus: prometheus.as_deref(),
                alertmanager: alertmanager.as_deref(),
            },
            format,
        ),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            files::note(format_args!("tenantctl: error: {error}"));
            ExitCode::from(2)
        }
    }
}

//! `tenantctl compliance`: evaluates the compliance rules against each tenant
//! and prints a report (text, JSON or Markdown); exits 1 unless every tenant
//! is compliant. `tenantctl compliance review TENANT` prints the access
//! review population and its hash for the reviewer to sign off.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tenant_model::{ComplianceRules, WrittenFields};
use tenant_policy::audit::parse_jsonl;
use tenant_policy::checks::{
    AuditEvidence, ComplianceContext, ComplianceReport, Outcome, TenantEvidence, access_population,
    access_snapshot_sha256, default_rules, evaluate_compliance,
};

use crate::documents::{Loaded, load, print_diagnostics};
use crate::files::{Fatal, escape, note, print_line, read, shown};
use crate::{OutputFormat, ReportFormat};

/// What `tenantctl compliance` was asked.
pub(crate) struct Request<'a> {
    pub(crate) paths: &'a [PathBuf],
    pub(crate) at: Option<DateTime<Utc>>,
    pub(crate) format: ReportFormat,
    pub(crate) audit_trail: Option<&'a Path>,
    pub(crate) audit_head: Option<&'a str>,
}

/// Loads the documents; `Err(code)` when they have problems (printed).
fn load_valid(paths: &[PathBuf], format: OutputFormat) -> Result<Result<Loaded, ExitCode>, Fatal> {
    let loaded = load(paths)?;
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics, format)?;
        note(format_args!(
            "{} problems: fix the documents first (`tenantctl validate`)",
            loaded.diagnostics.len()
        ));
        return Ok(Err(ExitCode::from(1)));
    }
    Ok(Ok(loaded))
}

/// The rules given, or the built-in ones (checked against the platform too).
fn rules_of(loaded: &Loaded) -> Result<ComplianceRules, Fatal> {
    match loaded.rules.as_slice() {
        [] => {
            let rules = default_rules();
            if let Some((_, platform)) = &loaded.platform {
                let problems = tenant_model::check_rules_against_platform(&rules, platform);
                if let Some(problem) = problems.first() {
                    return Err(Fatal(format!(
                        "the built-in compliance rules do not fit this platform ({}: {}); give a rules document",
                        problem.pointer(),
                        problem.message()
                    )));
                }
            }
            Ok(rules)
        }
        [(_, rules)] => Ok(rules.clone()),
        _ => Err(Fatal(
            "give at most one compliance rules document".to_owned(),
        )),
    }
}

pub(crate) fn run(request: &Request<'_>) -> Result<ExitCode, Fatal> {
    let problems_format = match request.format {
        ReportFormat::Json => OutputFormat::Json,
        ReportFormat::Text | ReportFormat::Markdown => OutputFormat::Text,
    };
    let loaded = match load_valid(request.paths, problems_format)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let Some((_, platform)) = &loaded.platform else {
        return Err(Fatal(
            "give the platform document too: compliance needs its regions and their jurisdictions"
                .to_owned(),
        ));
    };
    let rules = rules_of(&loaded)?;
    let events = match request.audit_trail {
        None => None,
        Some(path) => {
            let text = read(path)?;
            Some(
                parse_jsonl(&text)
                    .map_err(|e| Fatal(format!("{}:{}: {e}", shown(path), e.line())))?,
            )
        }
    };
    let audit = match (&events, request.audit_head) {
        (Some(events), Some(head)) => Some(AuditEvidence::new(events, head)),
        (None, None) => None,
        _ => {
            return Err(Fatal(
                "give --audit-trail and --audit-head together: a trail proves nothing without the head kept apart from it".to_owned(),
            ));
        }
    };
    // The command line owns the clock; the library takes the instant.
    let now = request.at.unwrap_or_else(Utc::now);
    let mut cx = ComplianceContext::new(platform, now);
    cx.audit = audit;
    let reports: Vec<ComplianceReport> = loaded
        .distinct_sources()
        .into_iter()
        .map(|(source, tenant)| {
            // Evidence is what the file writes, not what the model defaults.
            let written = WrittenFields::of_text(&source.text, source.format);
            evaluate_compliance(&rules, TenantEvidence::new(tenant, &written), &cx)
        })
        .collect();
    print_reports(&reports, request.format)?;
    let failed = reports.iter().filter(|r| !r.is_compliant()).count();
    note(format_args!(
        "{} tenants, {failed} not compliant ({} rules, evaluated at {})",
        reports.len(),
        rules.rules.len(),
        now.to_rfc3339()
    ));
    Ok(if failed == 0 && !reports.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints reports in `format`, in one write.
pub(crate) fn print_reports(
    reports: &[ComplianceReport],
    format: ReportFormat,
) -> Result<(), Fatal> {
    match format {
        ReportFormat::Json => {
            let json = serde_json::to_string_pretty(&reports)
                .map_err(|e| Fatal(format!("cannot encode the reports: {e}")))?;
            print_line(json)
        }
        ReportFormat::Text => {
            let lines = text_lines(reports);
            if lines.is_empty() {
                Ok(())
            } else {
                print_line(lines.join("\n"))
            }
        }
        ReportFormat::Markdown => print_line(markdown(reports)),
    }
}

/// The text report: a summary line per tenant, then each failed or
/// unevidenced rule. Everything here comes from the documents (through the
/// model and the policy crate); each line is escaped again so that a report
/// line can never be forged.
fn text_lines(reports: &[ComplianceReport]) -> Vec<String> {
    let mut lines = Vec::new();
    for report in reports {
        let s = &report.summary;
        lines.push(format!(
            "{}: {} passed, {} failed, {} no evidence, {} not applicable: {}",
            report.tenant,
            s.passed,
            s.failed,
            s.no_evidence,
            s.not_applicable,
            if report.is_compliant() {
                "compliant"
            } else {
                "NOT compliant"
            }
        ));
        for result in report
            .results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::NoEvidence))
        {
            let label = if result.outcome == Outcome::Fail {
                "FAIL"
            } else {
                "NO EVIDENCE"
            };
            lines.push(format!(
                "  {label} [{}] {} ({} {}): {}",
                result.severity.as_str(),
                result.rule,
                framework_name(result.framework),
                result.reference,
                result.message
            ));
            lines.push(format!(
                "       evidence: {} = {}",
                result.evidence, result.observed
            ));
            if !result.locations.is_empty() {
                lines.push(format!("       at: {}", result.locations.join(", ")));
            }
            lines.push(format!("       fix: {}", result.remediation));
        }
    }
    lines.iter().map(|line| escape(line)).collect()
}

/// A Markdown table cell: one line, and every character with inline
/// meaning in CommonMark or GFM (code spans, emphasis, links, images, raw
/// HTML, entities, strikethrough, the cell separator) backslash-escaped, so
/// the cell renders as exactly the text it holds and tenant text cannot add
/// a column, markup or HTML.
///
/// `_` between two letters or digits (`access_control`) is left alone: it
/// cannot open or close emphasis there, and pointers stay readable.
fn cell(text: &str) -> String {
    let chars: Vec<char> = escape(text).chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let alphanumeric = |at: Option<usize>| {
            at.and_then(|at| chars.get(at))
                .is_some_and(|n| n.is_alphanumeric())
        };
        let intraword =
            c == '_' && alphanumeric(i.checked_sub(1)) && alphanumeric(i.checked_add(1));
        if !intraword
            && matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '!' | '~'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Markdown report: a table per tenant.
fn markdown(reports: &[ComplianceReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let s = &report.summary;
        out.push_str(&format!(
            "## {}\n\n{} passed, {} failed, {} no evidence, {} not applicable: **{}** (evaluated at {})\n\n",
            cell(report.tenant.as_str()),
            s.passed,
            s.failed,
            s.no_evidence,
            s.not_applicable,
            if report.is_compliant() { "compliant" } else { "not compliant" },
            report.evaluated_at.to_rfc3339()
        ));
        out.push_str("| rule | reference | outcome | evidence | value | remediation |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for r in &report.results {
            let evidence = if r.locations.is_empty() {
                r.evidence.as_str().to_owned()
            } else {
                r.locations.join(", ")
            };
            let value = if r.observed.is_empty() {
                r.message.clone()
            } else {
                format!("{}: {}", r.observed, r.message)
            };
            let fix = if matches!(r.outcome, Outcome::Fail | Outcome::NoEvidence) {
                r.remediation.as_str()
            } else {
                ""
            };
            out.push_str(&format!(
                "| {} | {} {} | {} | {} | {} | {} |\n",
                cell(r.rule.as_str()),
                framework_name(r.framework),
                cell(&r.reference),
                r.outcome.as_str(),
                cell(&evidence),
                cell(&value),
                cell(fix)
            ));
        }
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// `tenantctl compliance review TENANT PATHS...`: the review population of
/// one tenant, one entry a line, and the hash to record.
pub(crate) fn review(
    slug: &str,
    paths: &[PathBuf],
    at: Option<DateTime<Utc>>,
) -> Result<ExitCode, Fatal> {
    let loaded = match load_valid(paths, OutputFormat::Text)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let Some(tenant) = loaded
        .distinct_tenants()
        .into_iter()
        .find(|t| t.slug.as_str() == slug)
    else {
        return Err(Fatal(format!(
            "no tenant `{}` in the documents given",
            escape(slug)
        )));
    };
    let population = access_population(tenant);
    let mut lines = vec![format!(
        "access review population of `{}`: {} entries",
        tenant.slug,
        population.len()
    )];
    for entry in &population {
        lines.push(format!(
            "  {} {}: {} (mfa: {}, expires: {})",
            entry.source,
            entry.subject,
            entry.permissions.join(", "),
            if entry.require_mfa {
                "required"
            } else {
                "not required"
            },
            entry.expires_at
        ));
    }
    let date = at.unwrap_or_else(Utc::now).date_naive();
    lines.push(format!(
        "snapshot_sha256: {}",
        access_snapshot_sha256(tenant)
    ));
    lines.push("record it once reviewed:".to_owned());
    lines.push(format!(
        "  last_access_review: {{ date: {date}, reviewer: <who signs off>, snapshot_sha256: \"{}\" }}",
        access_snapshot_sha256(tenant)
    ));
    let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
    print_line(lines.join("\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn framework_name(framework: tenant_model::Framework) -> &'static str {
    match framework {
        tenant_model::Framework::Gdpr => "GDPR",
        tenant_model::Framework::Soc2 => "SOC 2",
        // A framework newer than this tenantctl: shown as the rules name it.
        _ => "other framework",
    }
}

/// A tenant document named on the command line: a file, or `git:REV:PATH`
/// for the file as committed in revision `REV` (`git show REV:PATH`, run in
/// the current directory).
fn read_tenant(spec: &str) -> Result<(tenant_model::Tenant, WrittenFields), Fatal> {
    let (text, path) = if let Some(rest) = spec.strip_prefix("git:") {
        let Some((_, path)) = rest.split_once(':') else {
            return Err(Fatal(format!(
                "`{}`: expected `git:REV:PATH`",
                escape(spec)
            )));
        };
        (
            git(&[Path::new("show"), Path::new(rest)], None)?,
            PathBuf::from(path),
        )
    } else {
        (read(Path::new(spec))?, PathBuf::from(spec))
    };
    parse_tenant(&text, &path, spec)
}

fn parse_tenant(
    text: &str,
    path: &Path,
    shown_as: &str,
) -> Result<(tenant_model::Tenant, WrittenFields), Fatal> {
    let format = tenant_model::Format::from_path(path).ok_or_else(|| {
        Fatal(format!(
            "`{}`: not a .json, .yaml, .yml or .toml file",
            escape(shown_as)
        ))
    })?;
    let tenant = tenant_model::parse::<tenant_model::Tenant>(text, format).map_err(|problems| {
        let first = problems.iter().next().map(|p| p.to_string()).unwrap_or_default();
        Fatal(format!(
            "`{}` is not a valid tenant document ({} problems; first: {}); run `tenantctl validate`",
            escape(shown_as),
            problems.iter().count(),
            escape(&first)
        ))
    })?;
    Ok((tenant, WrittenFields::of_text(text, format)))
}

/// Runs git with `args` (in `dir`), returning its standard output.
fn git(args: &[&Path], dir: Option<&Path>) -> Result<String, Fatal> {
    let mut command = std::process::Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    let out = command
        .args(args)
        .output()
        .map_err(|e| Fatal(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Fatal(format!(
            "git {} failed: {}",
            args.iter()
                .map(|a| a.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            escape(String::from_utf8_lossy(&out.stderr).trim())
        )));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| Fatal("git printed text that is not UTF-8".to_owned()))
}

/// `tenantctl compliance diff OLD NEW`: the access changes between two
/// versions of a tenant document, one line each (or JSON); with `--audit`,
/// appended to that audit trail as records by `--actor`.
pub(crate) fn diff(
    old: &str,
    new: &str,
    json: bool,
    audit: Option<(&Path, &str)>,
    at: Option<DateTime<Utc>>,
) -> Result<ExitCode, Fatal> {
    let (before, _) = read_tenant(old)?;
    let (after, _) = read_tenant(new)?;
    if before.id != after.id {
        return Err(Fatal(format!(
            "`{}` and `{}` are different tenants (ids `{}` and `{}`)",
            escape(old),
            escape(new),
            before.id,
            after.id
        )));
    }
    let changes = tenant_policy::checks::access_changes(&before, &after);
    if json {
        let text = serde_json::to_string_pretty(&changes)
            .map_err(|e| Fatal(format!("cannot encode the changes: {e}")))?;
        print_line(text)?;
    } else if !changes.is_empty() {
        let lines: Vec<String> = changes.iter().map(|c| escape(&c.describe())).collect();
        print_line(lines.join("\n"))?;
    }
    if let Some((path, actor)) = audit {
        let now = at.unwrap_or_else(Utc::now);
        let mut stamps = Vec::new();
        for _ in 0..changes.len() {
            // UUID v7 needs random bits; the library takes them as a parameter.
            let mut random = [0u8; 10];
            random.copy_from_slice(
                uuid::Uuid::new_v4()
                    .as_bytes()
                    .get(..10)
                    .unwrap_or(&[0; 10]),
            );
            stamps.push(
                tenant_policy::audit::EventStamp::new(now, random)
                    .map_err(|e| Fatal(format!("cannot stamp the audit records: {e}")))?,
            );
        }
        let events = tenant_policy::checks::access_change_events(
            after.slug.as_str(),
            actor,
            &changes,
            stamps,
        );
        append_events(path, events)?;
    }
    note(format_args!("{} access changes", changes.len()));
    Ok(ExitCode::SUCCESS)
}

/// Appends `events` to the trail at `path`, chained after what is there,
/// under an exclusive lock, after verifying the trail (as `explain --audit`
/// does for decisions).
fn append_events(path: &Path, events: Vec<tenant_policy::audit::AuditEvent>) -> Result<(), Fatal> {
    use std::io::{Read, Write};
    let shown_path = shown(path);
    let io = |what: &str, e: std::io::Error| Fatal(format!("cannot {what} `{shown_path}`: {e}"));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io("open", e))?;
    file.lock().map_err(|e| io("lock", e))?;
    let mut bytes = Vec::new();
    (&file)
        .take(crate::files::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io("read", e))?;
    let text =
        String::from_utf8(bytes).map_err(|_| Fatal(format!("`{shown_path}` is not UTF-8 text")))?;
    let existing = parse_jsonl(&text).map_err(|e| Fatal(format!("`{shown_path}`: {e}")))?;
    let mut chain = tenant_policy::audit::AuditChain::from_events(existing).map_err(|e| {
        Fatal(format!(
            "`{shown_path}` does not verify; not appending to it: {e}"
        ))
    })?;
    let mut lines = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        lines.push('\n');
    }
    for event in events {
        lines.push_str(&chain.append(event).to_json_line());
        lines.push('\n');
    }
    file.write_all(lines.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io("append to", e))?;
    file.unlock().map_err(|e| io("unlock", e))?;
    note(format_args!("audit: trail head {}", chain.head()));
    Ok(())
}

/// `tenantctl compliance history FILE PLATFORM [RULES] --since --until`:
/// every committed version of `FILE` in its git repository, evaluated over
/// the period; per rule, the intervals it failed in.
pub(crate) fn history(
    file: &Path,
    others: &[PathBuf],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    json: bool,
) -> Result<ExitCode, Fatal> {
    let loaded = match load_valid(others, OutputFormat::Text)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let Some((_, platform)) = &loaded.platform else {
        return Err(Fatal("give the platform document too".to_owned()));
    };
    let rules = rules_of(&loaded)?;
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .ok_or_else(|| Fatal(format!("`{}` is not a file", shown(file))))?;
    let relative = Path::new(".").join(name);
    let log = git(
        &[
            Path::new("log"),
            Path::new("--format=%H %cI"),
            Path::new("--"),
            &relative,
        ],
        Some(dir),
    )?;
    let mut versions = Vec::new();
    for line in log.lines() {
        let Some((commit, time)) = line.split_once(' ') else {
            continue;
        };
        let committed_at = DateTime::parse_from_rfc3339(time)
            .map_err(|e| Fatal(format!("git gave the time `{}`: {e}", escape(time))))?
            .with_timezone(&Utc);
        let spec = format!("{commit}:{}", relative.display());
        let text = git(&[Path::new("show"), Path::new(&spec)], Some(dir))?;
        let (tenant, written) = parse_tenant(&text, file, &spec)?;
        versions.push((committed_at, commit.to_owned(), tenant, written));
    }
    if versions.is_empty() {
        return Err(Fatal(format!(
            "`{}` has no committed versions",
            shown(file)
        )));
    }
    let borrowed: Vec<tenant_policy::checks::TenantVersion<'_>> = versions
        .iter()
        .map(
            |(committed_at, revision, tenant, written)| tenant_policy::checks::TenantVersion {
                committed_at: *committed_at,
                revision,
                tenant,
                written,
            },
        )
        .collect();
    let history =
        tenant_policy::checks::evaluate_history(&rules, &borrowed, platform, since, until);
    if json {
        let text = serde_json::to_string_pretty(&history)
            .map_err(|e| Fatal(format!("cannot encode the history: {e}")))?;
        print_line(text)?;
    } else {
        let mut lines = vec![format!(
            "{}: {} versions, {} to {}",
            shown(file),
            versions.len(),
            since.to_rfc3339(),
            until.to_rfc3339()
        )];
        for rule in &history.rules {
            if rule.failing.is_empty() {
                lines.push(format!(
                    "  {} ({}): passed throughout",
                    rule.rule, rule.reference
                ));
                continue;
            }
            lines.push(format!("  {} ({}):", rule.rule, rule.reference));
            for f in &rule.failing {
                lines.push(format!(
                    "    {} {} to {} [{}]: {}",
                    f.outcome.as_str(),
                    f.from.to_rfc3339(),
                    f.until.to_rfc3339(),
                    if f.revisions.is_empty() {
                        "no version".to_owned()
                    } else {
                        f.revisions
                            .iter()
                            .map(|r| r.chars().take(12).collect::<String>())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    f.message
                ));
            }
        }
        let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
        print_line(lines.join("\n"))?;
    }
    Ok(if history.always_compliant() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

//! `tenantctl compliance`: evaluates the compliance rules against each tenant
//! and prints a report; exits 1 when any control fails.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tenant_policy::checks::{ComplianceReport, Outcome, default_rules, evaluate_compliance};

use crate::OutputFormat;
use crate::documents::{load, print_diagnostics};
use crate::files::{Fatal, escape, note, print_line};

pub(crate) fn run(
    paths: &[PathBuf],
    at: Option<DateTime<Utc>>,
    format: OutputFormat,
) -> Result<ExitCode, Fatal> {
    let loaded = load(paths)?;
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics, format)?;
        note(format_args!(
            "{} problems: fix the documents first (`tenantctl validate`)",
            loaded.diagnostics.len()
        ));
        return Ok(ExitCode::from(1));
    }
    let Some((_, platform)) = &loaded.platform else {
        return Err(Fatal(
            "give the platform document too: compliance needs its regions and their jurisdictions"
                .to_owned(),
        ));
    };
    let rules = match loaded.rules.as_slice() {
        [] => default_rules(),
        [(_, rules)] => rules.clone(),
        _ => {
            return Err(Fatal(
                "give at most one compliance rules document".to_owned(),
            ));
        }
    };
    // The command line owns the clock; the library takes the instant.
    let now = at.unwrap_or_else(Utc::now);
    let reports: Vec<ComplianceReport> = loaded
        .distinct_tenants()
        .into_iter()
        .map(|tenant| evaluate_compliance(&rules, tenant, platform, now))
        .collect();
    match format {
        OutputFormat::Json => {
            let json = serde_json::to_string_pretty(&reports)
                .map_err(|e| Fatal(format!("cannot encode the reports: {e}")))?;
            print_line(json)?;
        }
        OutputFormat::Text => {
            // Everything here comes from the documents (through the model and
            // the policy crate); each line is escaped again so that a report
            // line can never be forged.
            let mut lines = Vec::new();
            for report in &reports {
                let s = &report.summary;
                lines.push(format!(
                    "{}: {} passed, {} failed, {} not applicable",
                    report.tenant, s.passed, s.failed, s.not_applicable
                ));
                for result in report.results.iter().filter(|r| r.outcome == Outcome::Fail) {
                    lines.push(format!(
                        "  FAIL [{}] {} ({} {}): {}",
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
                    lines.push(format!("       fix: {}", result.remediation));
                }
            }
            let lines: Vec<String> = lines.iter().map(|line| escape(line)).collect();
            if !lines.is_empty() {
                print_line(lines.join("\n"))?;
            }
        }
    }
    let failed = reports.iter().filter(|r| !r.is_compliant()).count();
    note(format_args!(
        "{} tenants, {failed} with failed controls ({} rules, evaluated at {})",
        reports.len(),
        rules.rules.len(),
        now.to_rfc3339()
    ));
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn framework_name(framework: tenant_model::Framework) -> &'static str {
    match framework {
        tenant_model::Framework::Gdpr => "GDPR",
        tenant_model::Framework::Soc2 => "SOC 2",
    }
}

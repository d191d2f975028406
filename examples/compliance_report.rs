//! A compliance report for each example tenant: the GDPR and SOC 2 controls
//! of `examples/compliance_rules.yaml` evaluated against each tenant's
//! document and the platform (for the jurisdiction of its region), as of a
//! fixed instant. Controls fail closed: a field the document does not write
//! is no evidence, and without an audit trail the audit-trail controls have
//! no evidence either.
//!
//! Run it with `cargo run --example compliance_report`.

mod common;

use tenant_kit::policy::checks::{ComplianceContext, TenantEvidence, evaluate_compliance};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let examples = common::load(&common::examples_dir())?;
    let context = ComplianceContext::new(&examples.platform, common::at());
    println!(
        "compliance as of {}, {} rules:\n",
        common::at().to_rfc3339(),
        examples.rules.rules.len()
    );
    let mut compliant = 0;
    for (tenant, written) in examples.tenants.iter().zip(&examples.written) {
        let report = evaluate_compliance(
            &examples.rules,
            TenantEvidence::new(tenant, written),
            &context,
        );
        let s = &report.summary;
        let jurisdiction = examples
            .platform
            .jurisdiction_of(&tenant.data_residency.region)
            .map_or("?", |j| j.as_str());
        let failures = report.failures();
        if failures.is_empty() && s.passed > 0 {
            compliant += 1;
        }
        println!(
            "{} (region {}, {jurisdiction}): {} passed, {} failed, {} no evidence, {} not applicable",
            tenant.slug,
            tenant.data_residency.region,
            s.passed,
            s.failed,
            s.no_evidence,
            s.not_applicable
        );
        for failure in failures {
            println!(
                "  {} {}: {}",
                failure.outcome.as_str().to_uppercase(),
                failure.rule,
                failure.message
            );
        }
        println!();
    }
    println!(
        "{compliant} of {} tenants compliant; with an audit trail and JSON output: cargo run -p tenant-cli -- compliance --help",
        examples.tenants.len()
    );
    Ok(())
}

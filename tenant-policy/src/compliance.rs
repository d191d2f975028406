//! Compliance evaluation: the platform's controls (GDPR, SOC 2) checked
//! against each tenant's document, with the evidence, the observed value and
//! a summary.
//!
//! Every [`Check`] is a typed test of the tenant document; the evaluation is
//! a pure function of the rules, the tenant, the platform (for the
//! jurisdiction of the tenant's region) and `now` (for the age of the last
//! access review).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tenant_model::{
    AccessControl, Check, ComplianceRule, ComplianceRules, FindingSeverity, Format, Framework,
    Name, PlatformConfig, Pointer, Slug, Tenant, TenantId, parse,
};

/// The outcome of one rule for one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check holds.
    Pass,
    /// The check does not hold.
    Fail,
    /// The rule does not apply to this tenant, or this version cannot
    /// evaluate its check.
    NotApplicable,
}

/// One rule's result for one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RuleResult {
    /// The rule's id.
    pub rule: Name,
    /// Its framework.
    pub framework: Framework,
    /// The framework's reference, e.g. `Art. 44`.
    pub reference: String,
    /// The rule's title.
    pub title: String,
    /// The rule's severity (how bad a failure is).
    pub severity: FindingSeverity,
    /// The outcome.
    pub outcome: Outcome,
    /// Where in the tenant document the evidence is (the rule's `evidence`).
    pub evidence: Pointer,
    /// What was found in the tenant document; never a secret. Empty when the
    /// rule does not apply.
    pub observed: String,
    /// Why the rule passed, failed or does not apply.
    pub message: String,
    /// What to do when the check fails (the rule's `remediation`).
    pub remediation: String,
}

/// Counts of outcomes in a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ComplianceSummary {
    /// Rules that passed.
    pub passed: usize,
    /// Rules that failed.
    pub failed: usize,
    /// Rules that do not apply.
    pub not_applicable: usize,
    /// Failed rules by severity; severities without failures are absent.
    pub failed_by_severity: BTreeMap<FindingSeverity, usize>,
}

/// The compliance report of one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ComplianceReport {
    /// The tenant's id.
    pub tenant_id: TenantId,
    /// The tenant's slug.
    pub tenant: Slug,
    /// The instant the report was made for.
    pub evaluated_at: DateTime<Utc>,
    /// One result per rule, in the rules' order.
    pub results: Vec<RuleResult>,
    /// Counts of outcomes.
    pub summary: ComplianceSummary,
}

impl ComplianceReport {
    /// Whether no rule failed.
    pub fn is_compliant(&self) -> bool {
        self.summary.failed == 0
    }

    /// The failed results, most severe first (rule order within a severity).
    pub fn failures(&self) -> Vec<&RuleResult> {
        let mut failed: Vec<&RuleResult> = self
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Fail)
            .collect();
        failed.sort_by_key(|r| std::cmp::Reverse(r.severity));
        failed
    }
}

/// Evaluates every rule against `tenant`.
///
/// A rule applies when every list of its `applies_to` that is given matches:
/// the jurisdiction of the tenant's home region (looked up in `platform`'s
/// regions), its tier and its status. When the home region is not one of the
/// platform's regions, its jurisdiction is unknown and a rule limited to
/// jurisdictions is applied anyway: a control is never skipped for want of
/// information.
pub fn evaluate_compliance(
    rules: &ComplianceRules,
    tenant: &Tenant,
    platform: &PlatformConfig,
    now: DateTime<Utc>,
) -> ComplianceReport {
    let results: Vec<RuleResult> = rules
        .rules
        .iter()
        .map(|rule| evaluate_rule(rule, tenant, platform, now))
        .collect();
    let mut summary = ComplianceSummary::default();
    for result in &results {
        match result.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail => {
                summary.failed += 1;
                *summary
                    .failed_by_severity
                    .entry(result.severity)
                    .or_default() += 1;
            }
            Outcome::NotApplicable => summary.not_applicable += 1,
        }
    }
    ComplianceReport {
        tenant_id: tenant.id.clone(),
        tenant: tenant.slug.clone(),
        evaluated_at: now,
        results,
        summary,
    }
}

/// Evaluates every rule against each tenant; one report per tenant, in order.
pub fn evaluate_compliance_set(
    rules: &ComplianceRules,
    tenants: &[&Tenant],
    platform: &PlatformConfig,
    now: DateTime<Utc>,
) -> Vec<ComplianceReport> {
    tenants
        .iter()
        .map(|tenant| evaluate_compliance(rules, tenant, platform, now))
        .collect()
}

/// Evaluates one rule against `tenant`.
pub fn evaluate_rule(
    rule: &ComplianceRule,
    tenant: &Tenant,
    platform: &PlatformConfig,
    now: DateTime<Utc>,
) -> RuleResult {
    let (outcome, observed, message) = match applicability(rule, tenant, platform) {
        Err(why) => (Outcome::NotApplicable, String::new(), why),
        Ok(()) => match run_check(&rule.check, tenant, now) {
            Checked::Pass { observed, message } => (Outcome::Pass, observed, message),
            Checked::Fail { observed, message } => (Outcome::Fail, observed, message),
            Checked::Unsupported => (
                Outcome::NotApplicable,
                String::new(),
                "not applicable: check not supported by this version".to_owned(),
            ),
        },
    };
    RuleResult {
        rule: rule.id.clone(),
        framework: rule.framework,
        reference: rule.reference.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        outcome,
        evidence: rule.evidence.clone(),
        observed,
        message,
        remediation: rule.remediation.clone(),
    }
}

/// `Ok` when the rule applies, otherwise why not.
fn applicability(
    rule: &ComplianceRule,
    tenant: &Tenant,
    platform: &PlatformConfig,
) -> Result<(), String> {
    let a = &rule.applies_to;
    if !a.jurisdictions.is_empty()
        && let Some(j) = platform.jurisdiction_of(&tenant.data_residency.region)
        && !a.jurisdictions.contains(j)
    {
        return Err(format!(
            "not applicable: region `{}` is in jurisdiction `{j}`, the rule covers {}",
            tenant.data_residency.region,
            list(&a.jurisdictions, |j| j.as_str())
        ));
    }
    if !a.tiers.is_empty() && !a.tiers.contains(&tenant.tier) {
        return Err(format!(
            "not applicable: tier `{}`, the rule covers {}",
            tenant.tier.as_str(),
            list(&a.tiers, |t| t.as_str())
        ));
    }
    if !a.statuses.is_empty() && !a.statuses.contains(&tenant.status) {
        return Err(format!(
            "not applicable: status `{}`, the rule covers {}",
            status_name(tenant.status),
            list(&a.statuses, |s| status_name(*s))
        ));
    }
    Ok(())
}

fn status_name(status: tenant_model::TenantStatus) -> &'static str {
    use tenant_model::TenantStatus as S;
    match status {
        S::Provisioning => "provisioning",
        S::Active => "active",
        S::Suspended => "suspended",
        S::Offboarding => "offboarding",
    }
}

fn contact_role_name(role: tenant_model::ContactRole) -> &'static str {
    use tenant_model::ContactRole as R;
    match role {
        R::Owner => "owner",
        R::Technical => "technical",
        R::Billing => "billing",
        R::Security => "security",
        R::Dpo => "dpo",
    }
}

/// `` `a`, `b` `` — backticked, comma-separated.
fn list<T>(items: &[T], name: impl Fn(&T) -> &str) -> String {
    items
        .iter()
        .map(|i| format!("`{}`", name(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

enum Checked {
    Pass { observed: String, message: String },
    Fail { observed: String, message: String },
    Unsupported,
}

fn verdict(ok: bool, observed: String, pass: String, fail: String) -> Checked {
    if ok {
        Checked::Pass {
            observed,
            message: pass,
        }
    } else {
        Checked::Fail {
            observed,
            message: fail,
        }
    }
}

fn run_check(check: &Check, t: &Tenant, now: DateTime<Utc>) -> Checked {
    match check {
        Check::RegionIn { regions } => {
            let home = &t.data_residency.region;
            let replicas = &t.data_residency.replica_regions;
            let observed = if replicas.is_empty() {
                format!("`{home}`")
            } else {
                format!("`{home}`, replicas {}", list(replicas, |r| r.as_str()))
            };
            let outside: Vec<&Name> = std::iter::once(home)
                .chain(replicas)
                .filter(|r| !regions.contains(r))
                .collect();
            verdict(
                outside.is_empty(),
                observed,
                "every region holding the tenant's data is allowed".to_owned(),
                format!(
                    "data is held outside the allowed regions ({}): {}",
                    list(regions, |r| r.as_str()),
                    list(&outside, |r| r.as_str())
                ),
            )
        }
        Check::RetentionAtMost { days } => {
            let kept = t.data_protection.retention_days;
            verdict(
                kept <= *days,
                format!("{kept} days"),
                format!("personal data is kept {kept} days, at most {days}"),
                format!("personal data is kept {kept} days, more than {days}"),
            )
        }
        Check::ContactPresent { role } => {
            let roles: BTreeSet<&str> = t
                .contacts
                .iter()
                .map(|c| contact_role_name(c.role))
                .collect();
            let wanted = contact_role_name(*role);
            verdict(
                t.contacts.iter().any(|c| c.role == *role),
                format!(
                    "contact roles: {}",
                    list(&roles.into_iter().collect::<Vec<_>>(), |r| r)
                ),
                format!("a `{wanted}` contact is listed"),
                format!("no contact has the role `{wanted}`"),
            )
        }
        Check::ErasureOnOffboarding => {
            let erase = t.data_protection.erasure_on_offboarding;
            verdict(
                erase,
                format!("erasure_on_offboarding: {erase}"),
                "data is erased when the tenant leaves".to_owned(),
                "data is kept when the tenant leaves".to_owned(),
            )
        }
        Check::AuditLoggingEnabled => {
            let on = t.audit.enabled;
            verdict(
                on,
                format!("audit.enabled: {on}"),
                "audit logging is on".to_owned(),
                "audit logging is off".to_owned(),
            )
        }
        Check::MfaForRoles { roles } => {
            let ac = &t.access_control;
            let covered = roles_reaching(ac, |r| roles.contains(&r.name));
            let without: Vec<String> = ac
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| covered.contains(&b.role) && !b.conditions.require_mfa)
                .map(|(i, b)| format!("/access_control/bindings/{i} (`{}`)", b.role))
                .collect();
            let bound = ac
                .bindings
                .iter()
                .filter(|b| covered.contains(&b.role))
                .count();
            verdict(
                without.is_empty(),
                format!(
                    "{bound} binding(s) to {}; {} without MFA",
                    list(&covered.iter().collect::<Vec<_>>(), |r| r.as_str()),
                    without.len()
                ),
                "every binding to these roles requires MFA".to_owned(),
                format!("bindings without `require_mfa`: {}", without.join(", ")),
            )
        }
        Check::EncryptionAtRest => {
            let on = t.isolation.encryption.at_rest;
            verdict(
                on,
                format!("isolation.encryption.at_rest: {on}"),
                "data is encrypted at rest".to_owned(),
                "data is not encrypted at rest".to_owned(),
            )
        }
        Check::AccessReviewWithin { days } => {
            let Some(date) = &t.access_control.last_access_review else {
                return Checked::Fail {
                    observed: "no access review recorded".to_owned(),
                    message: "`last_access_review` is missing".to_owned(),
                };
            };
            let age = (now.date_naive() - date.date()).num_days();
            let observed = format!("last review on {date} ({age} days before now)");
            if age < -1 {
                // One day of slack for time zones: a review dated "today"
                // east of UTC can be tomorrow in UTC.
                Checked::Fail {
                    observed,
                    message: format!("the last access review `{date}` is dated in the future"),
                }
            } else {
                verdict(
                    age <= i64::from(*days),
                    observed,
                    format!("access was reviewed {age} days ago, within {days}"),
                    format!("access was last reviewed {age} days ago, more than {days}"),
                )
            }
        }
        Check::NoWildcardBindingWithoutExpiry => {
            let ac = &t.access_control;
            let wildcard = roles_reaching(ac, |r| {
                r.permissions
                    .iter()
                    .any(|p| p.resource() == "*" && p.action() == "*")
            });
            let open: Vec<String> = ac
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| wildcard.contains(&b.role) && b.expires_at.is_none())
                .map(|(i, b)| format!("/access_control/bindings/{i} (`{}`)", b.role))
                .collect();
            verdict(
                open.is_empty(),
                format!(
                    "roles holding `*:*`: {}; {} binding(s) to them without expiry",
                    if wildcard.is_empty() {
                        "none".to_owned()
                    } else {
                        list(&wildcard.iter().collect::<Vec<_>>(), |r| r.as_str())
                    },
                    open.len()
                ),
                "every binding to a role holding `*:*` expires".to_owned(),
                format!(
                    "bindings to a role holding `*:*` without `expires_at`: {}",
                    open.join(", ")
                ),
            )
        }
        Check::IsolationAtLeast { mode } => {
            let actual = t.isolation.mode;
            verdict(
                actual >= *mode,
                format!("isolation.mode: {}", actual.as_str()),
                format!(
                    "isolation `{}` is at least `{}`",
                    actual.as_str(),
                    mode.as_str()
                ),
                format!(
                    "isolation `{}` is weaker than `{}`",
                    actual.as_str(),
                    mode.as_str()
                ),
            )
        }
        // `Check` is non-exhaustive: rules written for a newer model are
        // reported, not guessed at.
        _ => Checked::Unsupported,
    }
}

/// The roles that satisfy `seed` or inherit, directly or not, a role that
/// does: the roles whose effective permissions include the seed's.
///
/// Computed as a fixed point, so inheritance cycles (which the model rejects
/// when parsing, but code may build) terminate.
fn roles_reaching(
    ac: &AccessControl,
    seed: impl Fn(&tenant_model::Role) -> bool,
) -> BTreeSet<Name> {
    let mut reached: BTreeSet<Name> = ac
        .roles
        .iter()
        .filter(|r| seed(r))
        .map(|r| r.name.clone())
        .collect();
    loop {
        let before = reached.len();
        for role in &ac.roles {
            if !reached.contains(&role.name) && role.inherits.iter().any(|p| reached.contains(p)) {
                reached.insert(role.name.clone());
            }
        }
        if reached.len() == before {
            return reached;
        }
    }
}

/// The default GDPR and SOC 2 rule set, as YAML; [`default_rules`] parses it.
/// The same text is in `examples/compliance_rules.yaml`.
pub const DEFAULT_RULES_YAML: &str = r#"# yaml-language-server: $schema=../schemas/compliance_rules.json
# The default GDPR and SOC 2 controls, checked against every tenant document
# by `tenant_policy::checks::evaluate_compliance` (`tenant_policy::checks::default_rules()`
# is this document). Region lists must name the platform's regions.
schema_version: 1
rules:
  - id: gdpr-art-44-residency
    framework: gdpr
    reference: Art. 44
    title: Personal data of EU tenants stays in EU regions
    severity: critical
    applies_to: { jurisdictions: [eu] }
    check: { region_in: { regions: [eu-west-1, eu-west-3, eu-central-1, eu-north-1, eu-south-1] } }
    evidence: /data_residency
    remediation: Move the home region and every replica region to an EU region, or document the transfer safeguards and change the rule.
  - id: gdpr-art-5-retention
    framework: gdpr
    reference: Art. 5(1)(e)
    title: Personal data is kept no longer than needed
    severity: medium
    check: { retention_at_most: { days: 730 } }
    evidence: /data_protection/retention_days
    remediation: Lower `retention_days` to at most 730 days, or record why the tenant needs longer.
  - id: gdpr-art-37-dpo
    framework: gdpr
    reference: Art. 37
    title: EU tenants name a data protection officer
    severity: medium
    applies_to: { jurisdictions: [eu] }
    check: { contact_present: { role: dpo } }
    evidence: /contacts
    remediation: "Add the tenant's data protection officer to `contacts` with `role: dpo`."
  - id: gdpr-art-17-erasure
    framework: gdpr
    reference: Art. 17
    title: Data is erased when the tenant leaves
    severity: high
    check: erasure_on_offboarding
    evidence: /data_protection/erasure_on_offboarding
    remediation: Set `erasure_on_offboarding` to true.
  - id: soc2-cc7-2-audit-logging
    framework: soc2
    reference: CC7.2
    title: Access decisions and changes are logged
    severity: high
    check: audit_logging_enabled
    evidence: /audit/enabled
    remediation: Set `audit.enabled` to true.
  - id: soc2-cc6-1-mfa-admin
    framework: soc2
    reference: CC6.1
    title: Administrators sign in with multi-factor authentication
    severity: high
    check: { mfa_for_roles: { roles: [admin, owner] } }
    evidence: /access_control/bindings
    remediation: Set `conditions.require_mfa` on every binding to an administrator role or a role inheriting one.
  - id: soc2-cc6-1-encryption-at-rest
    framework: soc2
    reference: CC6.1
    title: Data is encrypted at rest
    severity: high
    check: encryption_at_rest
    evidence: /isolation/encryption/at_rest
    remediation: Set `isolation.encryption.at_rest` to true and encrypt the tenant's storage.
  - id: soc2-cc6-2-access-review
    framework: soc2
    reference: CC6.2
    title: Access is reviewed at least every 90 days
    severity: medium
    applies_to: { statuses: [active, suspended] }
    check: { access_review_within: { days: 90 } }
    evidence: /access_control/last_access_review
    remediation: Review the tenant's bindings and set `last_access_review` to the review's date.
  - id: soc2-cc6-3-wildcard-expiry
    framework: soc2
    reference: CC6.3
    title: Full access is granted only for a limited time
    severity: high
    check: no_wildcard_binding_without_expiry
    evidence: /access_control/bindings
    remediation: Give every binding to a role holding `*:*` an `expires_at`, or bind a narrower role.
"#;

/// The default GDPR and SOC 2 rule set ([`DEFAULT_RULES_YAML`]): data
/// residency in EU regions, a retention limit, a DPO contact for EU tenants,
/// erasure on offboarding, audit logging, MFA for administrator roles,
/// encryption at rest, an access review within 90 days, and no binding to a
/// role holding `*:*` without expiry.
#[expect(clippy::expect_used, reason = "constant input, checked by a test")]
pub fn default_rules() -> ComplianceRules {
    parse::<ComplianceRules>(DEFAULT_RULES_YAML, Format::Yaml)
        .expect("the default compliance rules are valid")
}

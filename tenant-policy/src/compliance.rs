//! Compliance evaluation: the platform's controls (GDPR, SOC 2) checked
//! against each tenant's document, failing closed.
//!
//! Every [`Check`] is a typed test of the tenant document. A result is one
//! of four [`Outcome`]s: pass, fail, not applicable, and *no evidence* — the
//! field the rule reads is not written in the document (the model's default
//! is not evidence), or there is nothing to test. No evidence counts against
//! the tenant: a [`ComplianceReport`] is compliant only when at least one
//! rule applied and none failed or lacked evidence.
//!
//! The evaluation is a pure function of the rules, the tenant with the
//! fields its document writes ([`TenantEvidence`]) and a
//! [`ComplianceContext`]: the platform (regions and their jurisdictions,
//! operators' regions), `now`, and optionally the audit trail with its
//! independently kept head.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use tenant_model::{
    AccessControl, Check, ComplianceRule, ComplianceRules, FindingSeverity, Format, Framework,
    Grantee, Name, Permission, PlatformConfig, Pointer, Slug, SubjectKind, Tenant, TenantId,
    TransferMechanism, WrittenFields, parse,
};

use crate::access_review::{access_snapshot_sha256, effective_permissions};
use crate::audit::{AuditEvent, verify_trail_with_head};

/// The outcome of one rule for one tenant.
///
/// The public enums of tenant-kit whose set of cases can grow (outcomes,
/// reasons, severities, statuses, formats, error kinds) are
/// `#[non_exhaustive]`: a `match` outside the crate needs a wildcard arm,
/// so a new case is not a breaking change.
///
/// ```
/// use tenant_policy::checks::Outcome;
///
/// fn counts_against(outcome: Outcome) -> bool {
///     match outcome {
///         Outcome::Pass | Outcome::NotApplicable => false,
///         Outcome::Fail | Outcome::NoEvidence => true,
///         // A case added later fails closed.
///         _ => true,
///     }
/// }
/// assert!(counts_against(Outcome::NoEvidence));
/// ```
///
/// Without the wildcard arm the match is refused:
///
/// ```compile_fail,E0004
/// use tenant_policy::checks::Outcome;
///
/// fn counts_against(outcome: Outcome) -> bool {
///     match outcome {
///         Outcome::Pass | Outcome::NotApplicable => false,
///         Outcome::Fail | Outcome::NoEvidence => true,
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The check holds, on evidence the document writes.
    Pass,
    /// The check does not hold.
    Fail,
    /// The rule does not apply to this tenant.
    NotApplicable,
    /// The document does not write what the check reads (a default is not
    /// evidence), there is nothing to test, or this version cannot evaluate
    /// the check. Counts against the tenant.
    NoEvidence,
}

impl Outcome {
    /// The outcome as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not applicable",
            Outcome::NoEvidence => "no evidence",
        }
    }
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
    /// JSON pointers of exactly what is wrong or missing (a binding without
    /// MFA, a region without a transfer mechanism, an unwritten field);
    /// empty when the rule passes or does not apply.
    pub locations: Vec<String>,
    /// What was found in the tenant document; never a secret. Empty when the
    /// rule does not apply.
    pub observed: String,
    /// Why the rule passed, failed, does not apply or lacks evidence.
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
    /// Rules without evidence.
    pub no_evidence: usize,
    /// Failed or unevidenced rules by severity; severities without any are
    /// absent.
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
    /// Whether the tenant is compliant: at least one rule applied, and none
    /// failed or lacked evidence.
    pub fn is_compliant(&self) -> bool {
        let s = &self.summary;
        s.failed == 0 && s.no_evidence == 0 && s.passed > 0
    }

    /// The failed and unevidenced results, most severe first (rule order
    /// within a severity).
    pub fn failures(&self) -> Vec<&RuleResult> {
        let mut failed: Vec<&RuleResult> = self
            .results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::NoEvidence))
            .collect();
        failed.sort_by_key(|r| std::cmp::Reverse(r.severity));
        failed
    }
}

/// A tenant and the fields its document writes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TenantEvidence<'a> {
    /// The parsed tenant (defaults filled in).
    pub tenant: &'a Tenant,
    /// The fields the document writes ([`WrittenFields::of_text`] for a
    /// document read from text).
    pub written: &'a WrittenFields,
}

/// The audit trail given with an evaluation, and its head as kept apart
/// from the trail (so that cutting events off the end is detected).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AuditEvidence<'a> {
    /// The whole trail, oldest first.
    pub events: &'a [AuditEvent],
    /// The hash of the last event, kept independently of the trail.
    pub head: &'a str,
}

/// What an evaluation needs besides the rules and the tenant.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ComplianceContext<'a> {
    /// The platform: regions and their jurisdictions, operators' regions.
    pub platform: &'a PlatformConfig,
    /// The instant of the evaluation.
    pub now: DateTime<Utc>,
    /// The audit trail, when the caller has it; without it, audit trail
    /// checks report no evidence.
    pub audit: Option<AuditEvidence<'a>>,
}

impl<'a> TenantEvidence<'a> {
    /// `tenant` with the fields its document writes.
    pub fn new(tenant: &'a Tenant, written: &'a WrittenFields) -> Self {
        TenantEvidence { tenant, written }
    }
}

impl<'a> AuditEvidence<'a> {
    /// The trail `events` and its independently kept `head`.
    pub fn new(events: &'a [AuditEvent], head: &'a str) -> Self {
        AuditEvidence { events, head }
    }
}

impl<'a> ComplianceContext<'a> {
    /// The same context with the audit trail given.
    pub fn with_audit(self, audit: AuditEvidence<'a>) -> Self {
        ComplianceContext {
            audit: Some(audit),
            ..self
        }
    }

    /// A context without an audit trail.
    pub fn new(platform: &'a PlatformConfig, now: DateTime<Utc>) -> Self {
        ComplianceContext {
            platform,
            now,
            audit: None,
        }
    }
}

/// Evaluates every rule against `tenant`.
///
/// A rule applies when every list of its `applies_to` that is given matches:
/// the jurisdictions of the tenant (its data subjects', and its home
/// region's, looked up in the platform's regions), its tier and its status.
/// When the home region is not one of the platform's regions and no data
/// subjects are written, a rule limited to jurisdictions is applied anyway:
/// a control is never skipped for want of information.
///
/// # Examples
///
/// A field the document does not write is no evidence, and counts against
/// the tenant: the default filled in by parsing is not taken as proof.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tenant_model::{ComplianceRules, Format, PlatformConfig, Tenant, WrittenFields, parse};
/// use tenant_policy::checks::{ComplianceContext, Outcome, TenantEvidence, evaluate_compliance};
///
/// let rules: ComplianceRules = parse(r#"
/// schema_version: 1
/// rules:
///   - id: retention
///     framework: gdpr
///     reference: Art. 5(1)(e)
///     title: Personal data is kept no longer than needed
///     severity: medium
///     check: { retention_at_most: { days: 730 } }
///     evidence: /data_protection/retention_days
///     remediation: Write `data_protection.retention_days`, at most 730 days.
/// "#, Format::Yaml)?;
/// let platform: PlatformConfig = parse(
///     "schema_version: 1\nregions: [{ name: eu-west-1, jurisdiction: eu }]\n",
///     Format::Yaml,
/// )?;
/// let now = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).single().ok_or("no such time")?;
/// let cx = ComplianceContext::new(&platform, now);
///
/// let base = r#"
/// schema_version: 1
/// id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
/// slug: acme-music
/// display_name: Acme Music
/// tier: professional
/// status: active
/// locale: fr-FR
/// time_zone: Europe/Paris
/// data_residency: { region: eu-west-1 }
/// contacts:
///   - { name: Claire Martin, email: claire@acme.example, role: owner }
/// isolation:
///   mode: schema
///   database: { name: music, schema: tenant_acme_music, role: acme_music_app }
///   cache: { key_prefix: "acme-music:", acl_user: acme-music }
/// "#;
/// for (text, expected) in [
///     (base.to_owned(), Outcome::NoEvidence),
///     (format!("{base}data_protection: {{ retention_days: 365, erasure_on_offboarding: true }}\n"), Outcome::Pass),
///     (format!("{base}data_protection: {{ retention_days: 3650, erasure_on_offboarding: true }}\n"), Outcome::Fail),
/// ] {
///     let tenant: Tenant = parse(&text, Format::Yaml)?;
///     let written = WrittenFields::of_text(&text, Format::Yaml);
///     let report = evaluate_compliance(&rules, TenantEvidence::new(&tenant, &written), &cx);
///     assert_eq!(report.results[0].outcome, expected);
///     assert_eq!(report.is_compliant(), expected == Outcome::Pass);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate_compliance(
    rules: &ComplianceRules,
    tenant: TenantEvidence<'_>,
    cx: &ComplianceContext<'_>,
) -> ComplianceReport {
    let results: Vec<RuleResult> = rules
        .rules
        .iter()
        .map(|rule| evaluate_rule(rule, tenant, cx))
        .collect();
    let mut summary = ComplianceSummary::default();
    for result in &results {
        match result.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail => summary.failed += 1,
            Outcome::NotApplicable => summary.not_applicable += 1,
            Outcome::NoEvidence => summary.no_evidence += 1,
        }
        if matches!(result.outcome, Outcome::Fail | Outcome::NoEvidence) {
            *summary
                .failed_by_severity
                .entry(result.severity)
                .or_default() += 1;
        }
    }
    ComplianceReport {
        tenant_id: tenant.tenant.id.clone(),
        tenant: tenant.tenant.slug.clone(),
        evaluated_at: cx.now,
        results,
        summary,
    }
}

/// Evaluates every rule against each tenant; one report per tenant, in order.
pub fn evaluate_compliance_set(
    rules: &ComplianceRules,
    tenants: &[TenantEvidence<'_>],
    cx: &ComplianceContext<'_>,
) -> Vec<ComplianceReport> {
    tenants
        .iter()
        .map(|tenant| evaluate_compliance(rules, *tenant, cx))
        .collect()
}

/// The fields a check reads, beyond the rule's evidence pointer: each must
/// be written for the check to have evidence.
fn required_fields(check: &Check) -> &'static [&'static str] {
    match check {
        Check::RetentionAtMost { .. } => &["/data_protection/retention_days"],
        Check::ErasureOnOffboarding => &["/data_protection/erasure_on_offboarding"],
        Check::AuditLoggingEnabled => &["/audit/enabled"],
        Check::EncryptionAtRest => &["/isolation/encryption/at_rest"],
        Check::EncryptionInTransit => &["/isolation/encryption/in_transit"],
        Check::AccessReviewWithin { .. } => &["/access_control/last_access_review"],
        Check::MfaForRoles { .. }
        | Check::NoWildcardBindingWithoutExpiry
        | Check::PrivilegedAccess { .. } => &["/access_control"],
        Check::TransfersSafeguarded { .. } => &["/data_residency/data_subjects"],
        Check::AuditTrail { .. } => &["/audit/enabled", "/audit/retention_days"],
        _ => &[],
    }
}

/// Evaluates one rule against `tenant`.
pub fn evaluate_rule(
    rule: &ComplianceRule,
    tenant: TenantEvidence<'_>,
    cx: &ComplianceContext<'_>,
) -> RuleResult {
    let checked = match applicability(rule, tenant.tenant, cx.platform) {
        Err(why) => Checked::NotApplicable(why),
        Ok(()) => {
            let missing: Vec<String> = std::iter::once(rule.evidence.as_str())
                .chain(required_fields(&rule.check).iter().copied())
                .filter(|p| !tenant.written.contains(p))
                .map(str::to_owned)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if missing.is_empty() {
                run_check(&rule.check, tenant.tenant, cx)
            } else {
                Checked::NoEvidence {
                    observed: "not written in the document".to_owned(),
                    message: format!(
                        "no evidence: the document does not write {} (a default is not evidence)",
                        list(&missing, |p| p.as_str())
                    ),
                    locations: missing,
                }
            }
        }
    };
    let (outcome, observed, message, locations) = match checked {
        Checked::Pass { observed, message } => (Outcome::Pass, observed, message, Vec::new()),
        Checked::Fail {
            observed,
            message,
            locations,
        } => (Outcome::Fail, observed, message, locations),
        Checked::NoEvidence {
            observed,
            message,
            locations,
        } => (Outcome::NoEvidence, observed, message, locations),
        Checked::NotApplicable(why) => (Outcome::NotApplicable, String::new(), why, Vec::new()),
    };
    RuleResult {
        rule: rule.id.clone(),
        framework: rule.framework,
        reference: rule.reference.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        outcome,
        evidence: rule.evidence.clone(),
        locations,
        observed,
        message,
        remediation: rule.remediation.clone(),
    }
}

/// The jurisdictions a tenant's data subjects are in, or, when none are
/// written, the home region's (if the platform knows it).
fn tenant_jurisdictions(tenant: &Tenant, platform: &PlatformConfig) -> Vec<Name> {
    let mut out: Vec<Name> = tenant.data_residency.data_subjects.clone();
    if let Some(j) = platform.jurisdiction_of(&tenant.data_residency.region)
        && !out.contains(j)
    {
        out.push(j.clone());
    }
    out
}

/// `Ok` when the rule applies, otherwise why not.
fn applicability(
    rule: &ComplianceRule,
    tenant: &Tenant,
    platform: &PlatformConfig,
) -> Result<(), String> {
    let a = &rule.applies_to;
    let jurisdictions = tenant_jurisdictions(tenant, platform);
    if !a.jurisdictions.is_empty()
        && !jurisdictions.is_empty()
        && !jurisdictions.iter().any(|j| a.jurisdictions.contains(j))
    {
        return Err(format!(
            "not applicable: the tenant's data subjects and home region are in {}, the rule covers {}",
            list(&jurisdictions, |j| j.as_str()),
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
            tenant.status.as_str(),
            list(&a.statuses, |s| s.as_str())
        ));
    }
    Ok(())
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
    Pass {
        observed: String,
        message: String,
    },
    Fail {
        observed: String,
        message: String,
        locations: Vec<String>,
    },
    NoEvidence {
        observed: String,
        message: String,
        locations: Vec<String>,
    },
    NotApplicable(String),
}

fn verdict(ok: bool, observed: String, pass: String, fail: String, at: &str) -> Checked {
    if ok {
        Checked::Pass {
            observed,
            message: pass,
        }
    } else {
        Checked::Fail {
            observed,
            message: fail,
            locations: vec![at.to_owned()],
        }
    }
}

/// A pass when `problems` is empty, else a failure listing them.
fn findings(
    problems: Vec<(String, String)>,
    observed: String,
    pass: String,
    fail: &str,
) -> Checked {
    if problems.is_empty() {
        return Checked::Pass {
            observed,
            message: pass,
        };
    }
    let message = format!(
        "{fail}: {}",
        problems
            .iter()
            .map(|(at, why)| format!("{at} ({why})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Checked::Fail {
        observed,
        message,
        locations: problems.into_iter().map(|(at, _)| at).collect(),
    }
}

fn run_check(check: &Check, t: &Tenant, cx: &ComplianceContext<'_>) -> Checked {
    let now = cx.now;
    match check {
        Check::RegionIn { regions } => {
            let home = &t.data_residency.region;
            let replicas = &t.data_residency.replica_regions;
            let observed = if replicas.is_empty() {
                format!("`{home}`")
            } else {
                format!("`{home}`, replicas {}", list(replicas, |r| r.as_str()))
            };
            let outside: Vec<(String, String)> =
                std::iter::once(("/data_residency/region".to_owned(), home))
                    .chain(
                        replicas
                            .iter()
                            .enumerate()
                            .map(|(i, r)| (format!("/data_residency/replica_regions/{i}"), r)),
                    )
                    .filter(|(_, r)| !regions.contains(r))
                    .map(|(at, r)| (at, format!("`{r}`")))
                    .collect();
            findings(
                outside,
                observed,
                "every region holding the tenant's data is allowed".to_owned(),
                &format!(
                    "data is held outside the allowed regions ({})",
                    list(regions, |r| r.as_str())
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
                "/data_protection/retention_days",
            )
        }
        Check::ContactPresent { role } => {
            let roles: BTreeSet<&str> = t.contacts.iter().map(|c| c.role.as_str()).collect();
            let wanted = role.as_str();
            verdict(
                t.contacts.iter().any(|c| c.role == *role),
                format!(
                    "contact roles: {}",
                    list(&roles.into_iter().collect::<Vec<_>>(), |r| r)
                ),
                format!("a `{wanted}` contact is listed"),
                format!("no contact has the role `{wanted}`"),
                "/contacts",
            )
        }
        Check::ErasureOnOffboarding => {
            let erase = t.data_protection.erasure_on_offboarding;
            verdict(
                erase,
                format!("erasure_on_offboarding: {erase}"),
                "data is erased when the tenant leaves".to_owned(),
                "data is kept when the tenant leaves".to_owned(),
                "/data_protection/erasure_on_offboarding",
            )
        }
        Check::AuditLoggingEnabled => {
            let on = t.audit.enabled;
            verdict(
                on,
                format!("audit.enabled: {on}"),
                "audit logging is on".to_owned(),
                "audit logging is off".to_owned(),
                "/audit/enabled",
            )
        }
        Check::MfaForRoles { roles } => {
            let ac = &t.access_control;
            let covered = roles_reaching(ac, |r| roles.contains(&r.name));
            let without: Vec<(String, String)> = ac
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| covered.contains(&b.role) && !b.conditions.require_mfa)
                .map(|(i, b)| {
                    (
                        format!("/access_control/bindings/{i}"),
                        format!("`{}`", b.role),
                    )
                })
                .collect();
            let bound = ac
                .bindings
                .iter()
                .filter(|b| covered.contains(&b.role))
                .count();
            findings(
                without,
                format!(
                    "{bound} binding(s) to {}",
                    list(&covered.iter().collect::<Vec<_>>(), |r| r.as_str()),
                ),
                "every binding to these roles requires MFA".to_owned(),
                "bindings without `require_mfa`",
            )
        }
        Check::EncryptionAtRest => {
            let on = t.isolation.encryption.at_rest;
            verdict(
                on,
                format!("isolation.encryption.at_rest: {on}"),
                "data is encrypted at rest".to_owned(),
                "data is not encrypted at rest".to_owned(),
                "/isolation/encryption/at_rest",
            )
        }
        Check::EncryptionInTransit => {
            let on = t.isolation.encryption.in_transit;
            verdict(
                on,
                format!("isolation.encryption.in_transit: {on}"),
                "TLS is required on every connection".to_owned(),
                "connections without TLS are allowed".to_owned(),
                "/isolation/encryption/in_transit",
            )
        }
        Check::AccessReviewWithin { days } => access_review(t, now, *days),
        Check::NoWildcardBindingWithoutExpiry => {
            let ac = &t.access_control;
            let wildcard = roles_reaching(ac, |r| {
                r.permissions
                    .iter()
                    .any(|p| p.resource() == "*" && p.action() == "*")
            });
            let open: Vec<(String, String)> = ac
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| wildcard.contains(&b.role) && b.expires_at.is_none())
                .map(|(i, b)| {
                    (
                        format!("/access_control/bindings/{i}"),
                        format!("`{}`", b.role),
                    )
                })
                .collect();
            findings(
                open,
                format!("roles holding `*:*`: {}", wildcard.len()),
                "every binding to a role holding `*:*` expires".to_owned(),
                "bindings to a role holding `*:*` without `expires_at`",
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
                "/isolation/mode",
            )
        }
        Check::PrivilegedAccess {
            permissions,
            max_days,
        } => privileged_access(t, now, permissions, *max_days),
        Check::TransfersSafeguarded { from, adequate } => {
            transfers(t, cx.platform, now, from, adequate)
        }
        Check::IsolationFindings => {
            let found = crate::isolation::check_isolation(t, cx.platform);
            let observed = format!("{} isolation finding(s)", found.len());
            findings(
                found.into_iter().map(|f| (f.pointer, f.message)).collect(),
                observed,
                "the isolation checks find nothing".to_owned(),
                "isolation findings",
            )
        }
        Check::AuditTrail {
            retention_days,
            max_gap_hours,
        } => audit_trail(t, cx, *retention_days, *max_gap_hours),
        // `Check` is non-exhaustive: rules written for a newer model are
        // reported as unevidenced, never as passing.
        _ => Checked::NoEvidence {
            observed: String::new(),
            message: "no evidence: this version cannot evaluate the check".to_owned(),
            locations: Vec::new(),
        },
    }
}

fn access_review(t: &Tenant, now: DateTime<Utc>, days: u32) -> Checked {
    let at = "/access_control/last_access_review";
    let Some(review) = &t.access_control.last_access_review else {
        return Checked::Fail {
            observed: "no access review recorded".to_owned(),
            message: "`last_access_review` is missing".to_owned(),
            locations: vec![at.to_owned()],
        };
    };
    let date = &review.date;
    let age = (now.date_naive() - date.date()).num_days();
    let observed = format!(
        "review on {date} ({age} days before now) by {}",
        review
            .reviewer
            .as_deref()
            .map_or("nobody named".to_owned(), |r| format!("`{r}`"))
    );
    let fail = |message: String, location: String| Checked::Fail {
        observed: observed.clone(),
        message,
        locations: vec![location],
    };
    // No slack: a review dated after the evaluation's UTC day is a review
    // that has not happened yet.
    if age < 0 {
        return fail(
            format!("the access review `{date}` is dated in the future"),
            format!("{at}/date"),
        );
    }
    if age > i64::from(days) {
        return fail(
            format!("access was last reviewed {age} days ago, more than {days}"),
            format!("{at}/date"),
        );
    }
    let (Some(_), Some(recorded)) = (&review.reviewer, &review.snapshot_sha256) else {
        return fail(
            "the review is a bare date: no reviewer and no snapshot of what was reviewed"
                .to_owned(),
            at.to_owned(),
        );
    };
    let current = access_snapshot_sha256(t);
    if recorded.as_str() != current {
        return fail(
            format!(
                "the effective access drifted from the reviewed snapshot `{recorded}` (now `{current}`; `tenantctl compliance review` lists it)"
            ),
            "/access_control/bindings".to_owned(),
        );
    }
    Checked::Pass {
        observed,
        message: format!(
            "access was reviewed {age} days ago, within {days}, and has not changed since"
        ),
    }
}

/// Whether a permission reaches (covers) one of the privileged ones.
fn reaches_privileged<'a>(
    held: impl IntoIterator<Item = &'a Permission>,
    privileged: &[Permission],
) -> Option<&'a Permission> {
    held.into_iter().find(|p| {
        privileged
            .iter()
            .any(|q| p.covers(q.resource(), q.action()))
    })
}

fn privileged_access(
    t: &Tenant,
    now: DateTime<Utc>,
    privileged: &[Permission],
    max_days: u32,
) -> Checked {
    let ac = &t.access_control;
    if ac.bindings.is_empty() && ac.cross_tenant_grants.is_empty() {
        return Checked::NoEvidence {
            observed: "no bindings and no grants".to_owned(),
            message: "no evidence: there is no binding or grant to test".to_owned(),
            locations: vec!["/access_control/bindings".to_owned()],
        };
    }
    let limit = Duration::try_days(i64::from(max_days))
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut reaching = 0usize;
    for (i, b) in ac.bindings.iter().enumerate() {
        if b.expires_at.as_ref().is_some_and(|e| e.instant() <= now) {
            continue; // expired: grants nothing
        }
        let Some(p) = reaches_privileged(effective_permissions(ac, &b.role), privileged) else {
            continue;
        };
        reaching += 1;
        let at = format!("/access_control/bindings/{i}");
        if !b.conditions.require_mfa {
            problems.push((
                format!("{at}/conditions/require_mfa"),
                format!("`{p}` without MFA"),
            ));
        }
        match &b.expires_at {
            None => problems.push((format!("{at}/expires_at"), format!("`{p}` never expires"))),
            Some(e) if e.instant() > limit => problems.push((
                format!("{at}/expires_at"),
                format!("`{p}` until `{e}`, more than {max_days} days"),
            )),
            Some(_) => {}
        }
        if b.subject.kind == SubjectKind::Group {
            problems.push((
                format!("{at}/subject"),
                format!("`{p}` to the whole group `{}`", b.subject.id),
            ));
        }
    }
    for (i, g) in ac.cross_tenant_grants.iter().enumerate() {
        if g.expires_at.instant() <= now {
            continue;
        }
        let Some(p) = reaches_privileged(&g.permissions, privileged) else {
            continue;
        };
        reaching += 1;
        let at = format!("/access_control/cross_tenant_grants/{i}");
        let grantee = match &g.grantee {
            Grantee::Tenant(slug) => format!("tenant `{slug}`"),
            Grantee::PlatformOperators => "the platform operators".to_owned(),
        };
        if !g.require_mfa {
            problems.push((
                format!("{at}/require_mfa"),
                format!("`{p}` to {grantee} without MFA"),
            ));
        }
        if g.subjects.is_empty() {
            problems.push((
                format!("{at}/subjects"),
                format!("`{p}` to every principal of {grantee}"),
            ));
        }
        for (j, s) in g.subjects.iter().enumerate() {
            if s.kind == SubjectKind::Group {
                problems.push((
                    format!("{at}/subjects/{j}"),
                    format!("`{p}` to the whole group `{}`", s.id),
                ));
            }
        }
        if g.expires_at.instant() > limit {
            problems.push((
                format!("{at}/expires_at"),
                format!("`{p}` until `{}`, more than {max_days} days", g.expires_at),
            ));
        }
    }
    findings(
        problems,
        format!(
            "{reaching} binding(s) or grant(s) reach {}",
            list(privileged, |p| p.as_str())
        ),
        format!(
            "every privileged binding needs MFA, names one subject and expires within {max_days} days"
        ),
        "privileged access not bounded",
    )
}

fn transfers(
    t: &Tenant,
    platform: &PlatformConfig,
    now: DateTime<Utc>,
    from: &[Name],
    adequate: &[Name],
) -> Checked {
    let subjects = &t.data_residency.data_subjects;
    let protected: Vec<&Name> = subjects.iter().filter(|s| from.contains(s)).collect();
    if protected.is_empty() {
        return Checked::NotApplicable(format!(
            "not applicable: data subjects in {}, the rule protects {}",
            list(subjects, |s| s.as_str()),
            list(from, |s| s.as_str())
        ));
    }
    // Every region holding the data, with the pointer that puts it there.
    let mut holding: Vec<(String, Name)> = vec![(
        "/data_residency/region".to_owned(),
        t.data_residency.region.clone(),
    )];
    for (i, r) in t.data_residency.replica_regions.iter().enumerate() {
        holding.push((format!("/data_residency/replica_regions/{i}"), r.clone()));
    }
    if let Some(key) = t.isolation.encryption.key_region() {
        let at = if t.isolation.encryption.key_region.is_some() {
            "/isolation/encryption/key_region"
        } else {
            "/isolation/encryption/key_id"
        };
        holding.push((at.to_owned(), key));
    }
    // Operators holding a grant can read the data where they are.
    let mut operators_unknown = None;
    for (i, g) in t.access_control.cross_tenant_grants.iter().enumerate() {
        if g.grantee != Grantee::PlatformOperators || g.expires_at.instant() <= now {
            continue;
        }
        let at = format!("/access_control/cross_tenant_grants/{i}");
        if platform.operator_regions.is_empty() {
            operators_unknown.get_or_insert(at);
            continue;
        }
        for r in &platform.operator_regions {
            holding.push((at.clone(), r.clone()));
        }
    }
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (at, region) in &holding {
        let Some(j) = platform.jurisdiction_of(region) else {
            problems.push((
                at.clone(),
                format!("region `{region}` has no known jurisdiction"),
            ));
            continue;
        };
        let shown = format!("`{region}` ({j})");
        if !seen.contains(&shown) {
            seen.push(shown);
        }
        for s in &protected {
            if j == *s || adequate.contains(j) {
                continue;
            }
            let mechanism = t
                .data_residency
                .transfers
                .iter()
                .find(|m| &m.to == j)
                .map(|m| m.mechanism);
            match mechanism {
                Some(TransferMechanism::Sccs | TransferMechanism::Bcrs) => {}
                Some(TransferMechanism::Adequacy) => problems.push((
                    at.clone(),
                    format!("`{s}` → `{j}` claims adequacy, which the rule does not list"),
                )),
                _ => problems.push((
                    at.clone(),
                    format!("`{s}` → `{j}` without a transfer mechanism"),
                )),
            }
        }
    }
    if problems.is_empty()
        && let Some(at) = operators_unknown
    {
        return Checked::NoEvidence {
            observed: "platform operators hold a grant; their regions are unknown".to_owned(),
            message: "no evidence: the platform does not say where its operators are (`operator_regions`), and they hold a grant".to_owned(),
            locations: vec![at],
        };
    }
    findings(
        problems,
        format!(
            "data subjects in {}; data held in {}",
            list(subjects, |s| s.as_str()),
            seen.join(", ")
        ),
        "every transfer out of the data subjects' jurisdiction has a mechanism".to_owned(),
        "transfers without a lawful mechanism",
    )
}

fn audit_trail(
    t: &Tenant,
    cx: &ComplianceContext<'_>,
    retention_days: u32,
    max_gap_hours: u32,
) -> Checked {
    let settings = &t.audit;
    let observed = format!(
        "audit.enabled: {}, retention {} days",
        settings.enabled, settings.retention_days
    );
    if !settings.enabled {
        return Checked::Fail {
            observed,
            message: "audit logging is off".to_owned(),
            locations: vec!["/audit/enabled".to_owned()],
        };
    }
    if settings.retention_days < retention_days {
        return Checked::Fail {
            observed,
            message: format!(
                "audit records are kept {} days, fewer than {retention_days}",
                settings.retention_days
            ),
            locations: vec!["/audit/retention_days".to_owned()],
        };
    }
    let Some(trail) = cx.audit else {
        return Checked::NoEvidence {
            observed,
            message:
                "no evidence: no audit trail was given, so nothing shows the log is kept and read"
                    .to_owned(),
            locations: vec!["/audit".to_owned()],
        };
    };
    if let Err(e) = verify_trail_with_head(trail.events, trail.head) {
        return Checked::Fail {
            observed,
            message: format!("the audit trail does not verify against the kept head: {e}"),
            locations: vec!["/audit".to_owned()],
        };
    }
    let gap = Duration::try_hours(i64::from(max_gap_hours)).unwrap_or(Duration::MAX);
    let times: Vec<DateTime<Utc>> = trail
        .events
        .iter()
        .map(|e| e.time)
        .chain(std::iter::once(cx.now))
        .collect();
    if let Some(pair) = times
        .windows(2)
        .find(|w| matches!(w, [a, b] if *b - *a > gap))
        && let [a, b] = pair
    {
        return Checked::Fail {
            observed,
            message: format!(
                "the audit trail has no record from {} to {}, more than {max_gap_hours} hours",
                a.to_rfc3339(),
                b.to_rfc3339()
            ),
            locations: vec!["/audit".to_owned()],
        };
    }
    let mine = trail
        .events
        .iter()
        .filter(|e| e.tenant == t.slug.as_str() || e.tenant == t.id.to_string())
        .count();
    Checked::Pass {
        observed: format!(
            "{observed}; trail of {} records ({mine} of this tenant) verified",
            trail.events.len()
        ),
        message: format!(
            "audit records are kept {} days and the trail verifies with no gap over {max_gap_hours} hours",
            settings.retention_days
        ),
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
# is this document). Jurisdictions and regions must be the platform's: a rule
# naming others is refused. Every rule fails closed: a field the document does
# not write is "no evidence", which counts against the tenant.
schema_version: 1
rules:
  - id: gdpr-ch5-transfers
    framework: gdpr
    reference: Art. 44-46
    title: Personal data of EU data subjects leaves the EU only under a transfer mechanism
    severity: critical
    check: { transfers_safeguarded: { from: [eu], adequate: [] } }
    evidence: /data_residency/data_subjects
    remediation: Write `data_residency.data_subjects`; for every region outside the data subjects' jurisdiction (home, replicas, key region, operators' regions) record the mechanism in `data_residency.transfers` (sccs, bcrs) or move the data.
  - id: gdpr-art-5-1-e-retention
    framework: gdpr
    reference: Art. 5(1)(e)
    title: Personal data is kept no longer than needed
    severity: medium
    check: { retention_at_most: { days: 730 } }
    evidence: /data_protection/retention_days
    remediation: Write `data_protection.retention_days`, at most 730 days, or record why the tenant needs longer.
  - id: gdpr-art-37-dpo
    framework: gdpr
    reference: Art. 37
    title: Tenants with EU data subjects name a data protection officer
    severity: medium
    applies_to: { jurisdictions: [eu] }
    check: { contact_present: { role: dpo } }
    evidence: /contacts
    remediation: "Add the tenant's data protection officer to `contacts` with `role: dpo`."
  - id: gdpr-art-33-security-contact
    framework: gdpr
    reference: Art. 33
    title: A personal data breach can be notified to someone within 72 hours
    severity: medium
    applies_to: { jurisdictions: [eu] }
    check: { contact_present: { role: security } }
    evidence: /contacts
    remediation: "Add the tenant's security contact to `contacts` with `role: security`."
  - id: gdpr-art-28-3-g-erasure
    framework: gdpr
    reference: Art. 28(3)(g)
    title: The processor deletes the tenant's data when the service ends
    severity: high
    check: erasure_on_offboarding
    evidence: /data_protection/erasure_on_offboarding
    remediation: "Write `data_protection.erasure_on_offboarding: true`."
  - id: soc2-cc6-1-privileged-access
    framework: soc2
    reference: CC6.1
    title: Privileged access needs MFA, names one subject and expires within 90 days
    severity: high
    check: { privileged_access: { max_days: 90 } }
    evidence: /access_control/bindings
    remediation: On every binding whose role reaches a wildcard write, delete, share, export or admin, set `conditions.require_mfa`, an `expires_at` within 90 days, and bind users or service accounts, not groups; give cross-tenant grants named subjects and an expiry within 90 days.
  - id: soc2-cc6-1-encryption-at-rest
    framework: soc2
    reference: CC6.1
    title: Data is encrypted at rest
    severity: high
    check: encryption_at_rest
    evidence: /isolation/encryption/at_rest
    remediation: "Write `isolation.encryption.at_rest: true` and encrypt the tenant's storage."
  - id: soc2-cc6-7-encryption-in-transit
    framework: soc2
    reference: CC6.7
    title: Data is encrypted in transit
    severity: high
    check: encryption_in_transit
    evidence: /isolation/encryption/in_transit
    remediation: "Write `isolation.encryption.in_transit: true` and require TLS on every connection."
  - id: soc2-cc6-6-isolation
    framework: soc2
    reference: CC6.6
    title: The tenant's data is kept apart from other tenants'
    severity: high
    check: isolation_findings
    evidence: /isolation
    remediation: Fix every isolation finding (`tenantctl compliance` lists them with their fields).
  - id: soc2-cc6-2-access-review
    framework: soc2
    reference: CC6.2
    title: Effective access is reviewed at least every 90 days
    severity: medium
    applies_to: { statuses: [active, suspended] }
    check: { access_review_within: { days: 90 } }
    evidence: /access_control/last_access_review
    remediation: Run `tenantctl compliance review TENANT`, review the population it prints, and record `last_access_review` as `{date, reviewer, snapshot_sha256}` with the hash it prints.
  - id: soc2-cc7-3-security-contact
    framework: soc2
    reference: CC7.3
    title: Security events of the tenant reach a named contact
    severity: medium
    check: { contact_present: { role: security } }
    evidence: /contacts
    remediation: "Add the tenant's security contact to `contacts` with `role: security`."
  - id: soc2-cc7-2-audit-trail
    framework: soc2
    reference: CC7.2
    title: The audit trail is kept a year, verifies, and has no gap over a day
    severity: high
    check: { audit_trail: { retention_days: 365, max_gap_hours: 24 } }
    evidence: /audit
    remediation: "Write `audit.enabled: true` and `audit.retention_days` of at least 365, and give the evaluation the audit trail with its independently kept head (`tenantctl compliance --audit-trail FILE --audit-head HASH`)."
"#;

/// The default GDPR and SOC 2 rule set ([`DEFAULT_RULES_YAML`]): transfers
/// out of the EU under a mechanism, a retention limit, a DPO and a security
/// contact for tenants with EU data subjects, erasure when the service ends,
/// privileged access bounded by MFA, expiry and named subjects, encryption
/// at rest and in transit, no isolation findings, a reviewed and unchanged
/// effective access, a security contact, and an audit trail that is kept,
/// verifies and has no gaps.
#[expect(clippy::expect_used, reason = "constant input, checked by a test")]
pub fn default_rules() -> ComplianceRules {
    parse::<ComplianceRules>(DEFAULT_RULES_YAML, Format::Yaml)
        .expect("the default compliance rules are valid")
}

//! Compliance over time, for SOC 2 Type II: the rules evaluated over every
//! committed version of a tenant document in a period, reporting per rule
//! the intervals in which it failed or lacked evidence.
//!
//! The caller supplies the versions with their commit times (the command
//! line reads them from a git repository). A version is in force from its
//! commit until the next one; the version in force when the period starts is
//! the last one committed before it. Each version is evaluated as of the
//! start of its interval, so a control that only becomes due inside an
//! interval (an access review ageing past its maximum) shows from the next
//! version on; adjacent intervals with the same outcome and the same reason
//! are merged.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tenant_model::{ComplianceRules, Name, PlatformConfig, Tenant, WrittenFields};

use crate::compliance::{ComplianceContext, Outcome, TenantEvidence, evaluate_compliance};

/// One committed version of a tenant document.
#[derive(Debug, Clone, Copy)]
pub struct TenantVersion<'a> {
    /// When it was committed.
    pub committed_at: DateTime<Utc>,
    /// The revision (e.g. a git commit id); any text.
    pub revision: &'a str,
    /// The tenant as parsed.
    pub tenant: &'a Tenant,
    /// The fields the version writes.
    pub written: &'a WrittenFields,
}

/// An interval in which a rule failed or lacked evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FailingInterval {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub until: DateTime<Utc>,
    /// `fail` or `no_evidence`.
    pub outcome: Outcome,
    /// The revisions in force during the interval, oldest first; empty when
    /// no version was committed yet.
    pub revisions: Vec<String>,
    /// Why (the same for every version of the interval).
    pub message: String,
}

/// One rule's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RuleHistory {
    /// The rule's id.
    pub rule: Name,
    /// The framework's reference.
    pub reference: String,
    /// The intervals in which it failed or lacked evidence, in order.
    pub failing: Vec<FailingInterval>,
}

/// The history of every rule over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ComplianceHistory {
    /// Start of the period (inclusive).
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub until: DateTime<Utc>,
    /// One history per rule, in the rules' order.
    pub rules: Vec<RuleHistory>,
}

impl ComplianceHistory {
    /// Whether no rule failed or lacked evidence at any time in the period.
    pub fn always_compliant(&self) -> bool {
        self.rules.iter().all(|r| r.failing.is_empty())
    }
}

/// Evaluates `rules` over the versions in force in `[from, until)`.
///
/// Versions may be given in any order; versions committed at or after
/// `until` are ignored. Before the first version there is no document: that
/// stretch is no evidence for every rule.
pub fn evaluate_history(
    rules: &ComplianceRules,
    versions: &[TenantVersion<'_>],
    platform: &PlatformConfig,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ComplianceHistory {
    let mut sorted: Vec<&TenantVersion<'_>> =
        versions.iter().filter(|v| v.committed_at < until).collect();
    sorted.sort_by_key(|v| v.committed_at);
    // The versions in force: the last one at or before `from`, then the rest.
    let first_in_period = sorted
        .iter()
        .rposition(|v| v.committed_at <= from)
        .unwrap_or(0);
    let in_force: Vec<&TenantVersion<'_>> = sorted.into_iter().skip(first_in_period).collect();

    // (start, end, version) for each stretch of the period.
    let mut stretches: Vec<(DateTime<Utc>, DateTime<Utc>, Option<&TenantVersion<'_>>)> = Vec::new();
    match in_force.first() {
        None => stretches.push((from, until, None)),
        Some(first) if first.committed_at > from => {
            stretches.push((from, first.committed_at, None));
        }
        Some(_) => {}
    }
    for (i, version) in in_force.iter().enumerate() {
        let start = version.committed_at.max(from);
        let end = in_force
            .get(i + 1)
            .map_or(until, |next| next.committed_at.min(until));
        if start < end {
            stretches.push((start, end, Some(version)));
        }
    }

    let mut histories: Vec<RuleHistory> = rules
        .rules
        .iter()
        .map(|r| RuleHistory {
            rule: r.id.clone(),
            reference: r.reference.clone(),
            failing: Vec::new(),
        })
        .collect();
    for (start, end, version) in stretches {
        let outcomes: Vec<(Outcome, String)> = match version {
            None => rules
                .rules
                .iter()
                .map(|_| {
                    (
                        Outcome::NoEvidence,
                        "no evidence: no version of the document was committed yet".to_owned(),
                    )
                })
                .collect(),
            Some(v) => evaluate_compliance(
                rules,
                TenantEvidence::new(v.tenant, v.written),
                &ComplianceContext::new(platform, start),
            )
            .results
            .into_iter()
            .map(|r| (r.outcome, r.message))
            .collect(),
        };
        for (history, (outcome, message)) in histories.iter_mut().zip(outcomes) {
            if !matches!(outcome, Outcome::Fail | Outcome::NoEvidence) {
                continue;
            }
            let revision = version.map(|v| v.revision.to_owned());
            if let Some(last) = history.failing.last_mut()
                && last.until == start
                && last.outcome == outcome
                && last.message == message
            {
                last.until = end;
                last.revisions.extend(revision);
                continue;
            }
            history.failing.push(FailingInterval {
                from: start,
                until: end,
                outcome,
                revisions: revision.into_iter().collect(),
                message,
            });
        }
    }
    ComplianceHistory {
        from,
        until,
        rules: histories,
    }
}

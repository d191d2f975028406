#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod access_changes;
mod access_review;
pub mod audit;
mod compile;
mod compliance;
mod decision;
mod explain;
mod history;
mod isolation;
mod names;
mod policy;
mod quota;
mod request;
mod table;

pub mod authz {
    //! The evaluator: [`PolicySet`] compiles the tenants' access control and
    //! answers a [`Request`] with a [`Decision`], which
    //! [`Decision::explain`] puts in words.

    pub use crate::compile::CompileError;
    pub use crate::decision::{
        Condition, Decision, Explanation, Reason, RequestPart, StaleDecision,
    };
    pub use crate::policy::PolicySet;
    pub use crate::request::{Groups, Principal, PrincipalKind, Request, Resource};
}

pub mod checks {
    //! Checks of tenant documents beyond access control: isolation findings
    //! (per tenant and across a set), compliance controls (GDPR, SOC 2) and
    //! quotas (usage against limits, token buckets).

    pub use crate::access_changes::{AccessChange, access_change_events, access_changes};
    pub use crate::access_review::{
        AccessEntry, access_population, access_snapshot_sha256, population_text,
    };
    pub use crate::compliance::{
        AuditEvidence, ComplianceContext, ComplianceReport, ComplianceSummary, DEFAULT_RULES_YAML,
        Outcome, RuleResult, TenantEvidence, default_rules, evaluate_compliance,
        evaluate_compliance_set, evaluate_rule,
    };
    pub use crate::history::{
        ComplianceHistory, FailingInterval, RuleHistory, TenantVersion, evaluate_history,
    };
    pub use crate::isolation::{
        IsolationCheck, IsolationFinding, IsolationSetFinding, check_isolation, check_isolation_set,
    };
    pub use crate::quota::{
        BucketState, QuotaDimension, QuotaReport, QuotaStatus, QuotaUsage, RateDecision, RateLimit,
        Usage, check_quotas, check_usage, effective_limits,
    };
}

//! Access control for tenant-kit: a compiled evaluator with a hard tenant
//! boundary, plus the policy checks built on the same tenant documents.
//!
//! Three modules, one per job: [`authz`], the evaluator; [`checks`], the
//! isolation, compliance and quota checks of documents; [`audit`], the
//! tamper-evident trail of decisions.
//!
//! [`PolicySet`](authz::PolicySet) compiles the `access_control` sections of every tenant once
//! (interned names, role inheritance resolved, bindings indexed by subject)
//! and then answers "may this principal do this action on this resource?"
//! without allocating. Every [`Decision`](authz::Decision) carries its reason and can be
//! explained in words with the JSON pointer of the rule that decided.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use tenant_model::{Classification, Format, Tenant, parse};
//! use tenant_policy::authz::{PolicySet, Principal, PrincipalKind, Reason, Request, Resource};
//!
//! let yaml = r#"
//! schema_version: 1
//! id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
//! slug: acme-music
//! display_name: Acme Music
//! tier: professional
//! status: active
//! locale: fr-FR
//! time_zone: Europe/Paris
//! data_residency: { region: eu-west-1 }
//! contacts:
//!   - { name: Claire Martin, email: claire@acme.example, role: owner }
//! isolation:
//!   mode: schema
//!   database: { name: music, schema: tenant_acme_music, role: acme_music_app }
//!   cache: { key_prefix: "acme-music:", acl_user: acme-music }
//! access_control:
//!   roles:
//!     - { name: viewer, permissions: ["track:read"] }
//!     - { name: editor, permissions: ["track:write"], inherits: [viewer] }
//!   bindings:
//!     - { subject: { kind: user, id: claire }, role: editor }
//!   denies:
//!     - { name: legal-hold, permissions: ["*:write"], when_locked: true, reason: legal hold }
//! "#;
//! let tenant: Tenant = parse(yaml, Format::Yaml)?;
//! let policy = PolicySet::compile([&tenant])?;
//!
//! let claire = Principal {
//!     kind: PrincipalKind::User,
//!     id: "claire",
//!     tenant: "acme-music",
//!     groups: Default::default(),
//!     mfa: true,
//!     source_ip: None,
//! };
//! let track = Resource {
//!     tenant: "acme-music",
//!     kind: "track",
//!     id: "t-1",
//!     owner: None,
//!     classification: Classification::Internal,
//!     locked: false,
//! };
//! let now = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap();
//! let request = Request { principal: claire, action: "read", resource: track, now };
//! let decision = policy.authorize(&request);
//! assert!(decision.is_allowed());
//! assert_eq!(
//!     decision.explain(&policy)?.to_string(),
//!     "allowed in tenant `acme-music`: role `editor` from a binding (/access_control/bindings/0)"
//! );
//!
//! // The same user on another tenant's resource: the tenant boundary.
//! let foreign = Resource { tenant: "other-label", ..track };
//! let decision = policy.authorize(&Request { resource: foreign, ..request });
//! assert_eq!(decision.reason(), Reason::UnknownTenant);
//!
//! // A deny beats the role.
//! let locked = Resource { locked: true, ..track };
//! let decision = policy.authorize(&Request { action: "write", resource: locked, ..request });
//! assert_eq!(decision.reason(), Reason::ExplicitDeny);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The library does no I/O and reads no clock: the instant of a request is
//! [`Request::now`](authz::Request::now).

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

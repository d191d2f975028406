//! The population of an access review: every subject that holds access to a
//! tenant's resources, with its effective permissions (role inheritance
//! expanded, so role names play no part), whether it needs MFA, and when it
//! expires; and the SHA-256 a reviewer signs off.
//!
//! The canonical form is one JSON object per line, lines sorted, joined with
//! `\n`; the snapshot hash is the SHA-256 of that text in lowercase hex.
//! Bindings and cross-tenant grants are both in it: an auditor reviews all
//! access, not only the tenant's own staff.

use std::collections::BTreeSet;

use serde::Serialize;
use sha2::{Digest, Sha256};
use tenant_model::{AccessControl, Grantee, Name, Permission, SubjectKind, Tenant};

/// One entry of the review population.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct AccessEntry {
    /// `binding` or `grant`.
    pub source: &'static str,
    /// Who: `user:<id>`, `group:<id>`, `service_account:<id>` for bindings;
    /// `tenant:<slug>` or `platform_operators`, with the named subject when
    /// the grant names one (`…/user:<id>`), for grants; `…/*` for all of
    /// the grantee's principals.
    pub subject: String,
    /// Effective permissions, sorted.
    pub permissions: Vec<String>,
    /// Whether MFA is required (grants carry no MFA condition: `false`).
    pub require_mfa: bool,
    /// Expiry, RFC 3339 as written, or `never`.
    pub expires_at: String,
}

/// The kind of a subject as written in documents.
pub(crate) fn kind_name(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::User => "user",
        SubjectKind::Group => "group",
        SubjectKind::ServiceAccount => "service_account",
    }
}

/// The effective permissions of `role`: its own and those of every role it
/// inherits, transitively. Unknown roles have none; cycles terminate.
pub(crate) fn effective_permissions<'a>(
    ac: &'a AccessControl,
    role: &Name,
) -> BTreeSet<&'a Permission> {
    let mut seen: BTreeSet<&Name> = BTreeSet::new();
    let mut stack = vec![role];
    let mut out = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(r) = ac.roles.iter().find(|r| &r.name == name) {
            out.extend(r.permissions.iter());
            stack.extend(r.inherits.iter());
        }
    }
    out
}

/// The review population of `tenant`, sorted.
pub fn access_population(tenant: &Tenant) -> Vec<AccessEntry> {
    let ac = &tenant.access_control;
    let mut out: Vec<AccessEntry> = ac
        .bindings
        .iter()
        .map(|b| AccessEntry {
            source: "binding",
            subject: format!("{}:{}", kind_name(b.subject.kind), b.subject.id),
            permissions: effective_permissions(ac, &b.role)
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            require_mfa: b.conditions.require_mfa,
            expires_at: b
                .expires_at
                .as_ref()
                .map_or_else(|| "never".to_owned(), |t| t.as_str().to_owned()),
        })
        .collect();
    for grant in &ac.cross_tenant_grants {
        let grantee = match &grant.grantee {
            Grantee::Tenant(slug) => format!("tenant:{slug}"),
            Grantee::PlatformOperators => "platform_operators".to_owned(),
        };
        let mut permissions: Vec<String> = grant
            .permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect();
        permissions.sort();
        permissions.dedup();
        let subjects: Vec<String> = if grant.subjects.is_empty() {
            vec!["*".to_owned()]
        } else {
            grant
                .subjects
                .iter()
                .map(|s| format!("{}:{}", kind_name(s.kind), s.id))
                .collect()
        };
        for subject in subjects {
            out.push(AccessEntry {
                source: "grant",
                subject: format!("{grantee}/{subject}"),
                permissions: permissions.clone(),
                require_mfa: false,
                expires_at: grant.expires_at.as_str().to_owned(),
            });
        }
    }
    out.sort();
    out
}

/// The canonical text of a population: one JSON object a line, sorted.
pub fn population_text(population: &[AccessEntry]) -> String {
    let mut lines: Vec<String> = population
        .iter()
        .map(|e| serde_json::to_string(e).unwrap_or_default())
        .collect();
    lines.sort();
    lines.join("\n")
}

/// The SHA-256 (lowercase hex) of `tenant`'s review population: the value
/// `last_access_review.snapshot_sha256` records.
pub fn access_snapshot_sha256(tenant: &Tenant) -> String {
    hex::encode(Sha256::digest(
        population_text(&access_population(tenant)).as_bytes(),
    ))
}

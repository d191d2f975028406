//! Access change events: what changed in a tenant's effective access between
//! two versions of its document (a binding or grant added or removed,
//! permissions widened or narrowed, MFA dropped or required, an expiry
//! extended or shortened), and those changes as audit records.
//!
//! Changes are computed on the effective access of each subject (see
//! [`access_population`]): role names play no part, so renaming a role is
//! no change, and a role gaining a permission widens every binding to it.
//! A subject bound several times is one subject: its permissions are the
//! union, MFA is required only if every binding requires it, and it expires
//! with its last binding.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tenant_model::Tenant;

use crate::access_review::{AccessEntry, access_population};
use crate::audit::{AuditDecision, AuditEvent, EventStamp};

/// One change of effective access. `source` is `binding` or `grant`;
/// `subject` is written as in the review population.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessChange {
    /// A subject gained access.
    Added {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// Its effective permissions.
        permissions: Vec<String>,
    },
    /// A subject lost all access.
    Removed {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// The permissions it held.
        permissions: Vec<String>,
    },
    /// A subject gained permissions (a grant or binding widened).
    Widened {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// The permissions added.
        added: Vec<String>,
    },
    /// A subject lost some permissions.
    Narrowed {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// The permissions removed.
        removed: Vec<String>,
    },
    /// MFA is no longer required.
    MfaDropped {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
    },
    /// MFA is now required.
    MfaRequired {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
    },
    /// Access ends later (or never).
    ExpiryExtended {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// The old expiry (`never` for none).
        from: String,
        /// The new expiry.
        to: String,
    },
    /// Access ends sooner.
    ExpiryShortened {
        /// `binding` or `grant`.
        source: String,
        /// Who.
        subject: String,
        /// The old expiry (`never` for none).
        from: String,
        /// The new expiry.
        to: String,
    },
}

impl AccessChange {
    /// The change's name, e.g. `mfa_dropped`.
    pub fn kind(&self) -> &'static str {
        match self {
            AccessChange::Added { .. } => "added",
            AccessChange::Removed { .. } => "removed",
            AccessChange::Widened { .. } => "widened",
            AccessChange::Narrowed { .. } => "narrowed",
            AccessChange::MfaDropped { .. } => "mfa_dropped",
            AccessChange::MfaRequired { .. } => "mfa_required",
            AccessChange::ExpiryExtended { .. } => "expiry_extended",
            AccessChange::ExpiryShortened { .. } => "expiry_shortened",
        }
    }

    /// `(source, subject)`.
    pub fn subject(&self) -> (&str, &str) {
        match self {
            AccessChange::Added {
                source, subject, ..
            }
            | AccessChange::Removed {
                source, subject, ..
            }
            | AccessChange::Widened {
                source, subject, ..
            }
            | AccessChange::Narrowed {
                source, subject, ..
            }
            | AccessChange::MfaDropped { source, subject }
            | AccessChange::MfaRequired { source, subject }
            | AccessChange::ExpiryExtended {
                source, subject, ..
            }
            | AccessChange::ExpiryShortened {
                source, subject, ..
            } => (source, subject),
        }
    }

    /// The change in words, one line.
    pub fn describe(&self) -> String {
        let (source, subject) = self.subject();
        match self {
            AccessChange::Added { permissions, .. } => {
                format!("{source} {subject} added: {}", permissions.join(", "))
            }
            AccessChange::Removed { permissions, .. } => {
                format!("{source} {subject} removed: {}", permissions.join(", "))
            }
            AccessChange::Widened { added, .. } => {
                format!("{source} {subject} widened: + {}", added.join(", "))
            }
            AccessChange::Narrowed { removed, .. } => {
                format!("{source} {subject} narrowed: - {}", removed.join(", "))
            }
            AccessChange::MfaDropped { .. } => format!("{source} {subject}: MFA dropped"),
            AccessChange::MfaRequired { .. } => format!("{source} {subject}: MFA required"),
            AccessChange::ExpiryExtended { from, to, .. } => {
                format!("{source} {subject}: expiry extended from {from} to {to}")
            }
            AccessChange::ExpiryShortened { from, to, .. } => {
                format!("{source} {subject}: expiry shortened from {from} to {to}")
            }
        }
    }
}

/// Effective access per `(source, subject)`.
struct Effective {
    permissions: BTreeSet<String>,
    require_mfa: bool,
    expires_at: String,
}

/// `never` sorts after every instant; RFC 3339 instants in UTC (`Z`) sort
/// as text. Instants with offsets are compared as written, which the model
/// keeps as given: normalise them to `Z` for exact comparisons.
fn later(a: &str, b: &str) -> bool {
    match (a, b) {
        ("never", "never") => false,
        ("never", _) => true,
        (_, "never") => false,
        (a, b) => match (
            chrono::DateTime::parse_from_rfc3339(a),
            chrono::DateTime::parse_from_rfc3339(b),
        ) {
            (Ok(a), Ok(b)) => a > b,
            _ => a > b,
        },
    }
}

fn effective(tenant: &Tenant) -> BTreeMap<(String, String), Effective> {
    let mut out: BTreeMap<(String, String), Effective> = BTreeMap::new();
    for AccessEntry {
        source,
        subject,
        permissions,
        require_mfa,
        expires_at,
        ..
    } in access_population(tenant)
    {
        let entry = out
            .entry((source.to_owned(), subject))
            .or_insert_with(|| Effective {
                permissions: BTreeSet::new(),
                require_mfa: true,
                expires_at: String::new(),
            });
        entry.permissions.extend(permissions);
        entry.require_mfa &= require_mfa;
        if entry.expires_at.is_empty() || later(&expires_at, &entry.expires_at) {
            entry.expires_at = expires_at;
        }
    }
    out
}

/// The changes of effective access from `old` to `new`, sorted by subject.
pub fn access_changes(old: &Tenant, new: &Tenant) -> Vec<AccessChange> {
    let before = effective(old);
    let after = effective(new);
    let mut changes = Vec::new();
    for ((source, subject), was) in &before {
        let (source, subject) = (source.clone(), subject.clone());
        let Some(now) = after.get(&(source.clone(), subject.clone())) else {
            changes.push(AccessChange::Removed {
                source,
                subject,
                permissions: was.permissions.iter().cloned().collect(),
            });
            continue;
        };
        let added: Vec<String> = now
            .permissions
            .difference(&was.permissions)
            .cloned()
            .collect();
        let removed: Vec<String> = was
            .permissions
            .difference(&now.permissions)
            .cloned()
            .collect();
        if !added.is_empty() {
            changes.push(AccessChange::Widened {
                source: source.clone(),
                subject: subject.clone(),
                added,
            });
        }
        if !removed.is_empty() {
            changes.push(AccessChange::Narrowed {
                source: source.clone(),
                subject: subject.clone(),
                removed,
            });
        }
        if was.require_mfa && !now.require_mfa {
            changes.push(AccessChange::MfaDropped {
                source: source.clone(),
                subject: subject.clone(),
            });
        }
        if !was.require_mfa && now.require_mfa {
            changes.push(AccessChange::MfaRequired {
                source: source.clone(),
                subject: subject.clone(),
            });
        }
        if later(&now.expires_at, &was.expires_at) {
            changes.push(AccessChange::ExpiryExtended {
                source,
                subject,
                from: was.expires_at.clone(),
                to: now.expires_at.clone(),
            });
        } else if later(&was.expires_at, &now.expires_at) {
            changes.push(AccessChange::ExpiryShortened {
                source,
                subject,
                from: was.expires_at.clone(),
                to: now.expires_at.clone(),
            });
        }
    }
    for ((source, subject), now) in &after {
        if !before.contains_key(&(source.clone(), subject.clone())) {
            changes.push(AccessChange::Added {
                source: source.clone(),
                subject: subject.clone(),
                permissions: now.permissions.iter().cloned().collect(),
            });
        }
    }
    changes.sort_by(|a, b| a.subject().cmp(&b.subject()).then_with(|| a.cmp(b)));
    changes
}

/// The changes as audit records of `tenant` (its slug), made by `actor`
/// (e.g. `git:<commit>` or the person who merged the change), each with its
/// stamp: action `access:<change>`, resource the subject
/// (`<source>/<subject>`), decision `allowed` (the change was applied), and
/// the change in words as the reason. Append them to the trail in order.
pub fn access_change_events(
    tenant: &str,
    actor: &str,
    changes: &[AccessChange],
    stamps: impl IntoIterator<Item = EventStamp>,
) -> Vec<AuditEvent> {
    changes
        .iter()
        .zip(stamps)
        .map(|(change, stamp)| {
            let (source, subject) = change.subject();
            AuditEvent::from_parts(
                stamp,
                tenant,
                actor,
                format!("access:{}", change.kind()),
                format!("{source}/{subject}"),
                AuditDecision::Allowed,
                change.describe(),
            )
        })
        .collect()
}

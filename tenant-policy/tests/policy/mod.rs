//! Tests of the compiled access-control evaluator: rule by rule, against a
//! naive reference model, explanations and compile errors.

mod compile;
mod explain;
mod hostile;
mod reference;
mod rules;

use chrono::{DateTime, TimeZone, Utc};
use tenant_model::{
    Binding, Classification, Conditions, CrossTenantGrant, Deny, Format, Grantee, Name, Permission,
    Role, Slug, Subject, SubjectKind, Tenant, TenantStatus, Timestamp, parse,
};

/// A valid tenant document with no access control yet.
pub(crate) fn tenant(slug: &str) -> Tenant {
    let yaml = format!(
        r#"
schema_version: 1
id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
slug: {slug}
display_name: Test tenant
tier: professional
status: active
locale: en
time_zone: Europe/Paris
data_residency: {{ region: eu-west-1 }}
contacts:
  - {{ name: Ops, email: ops@example.com, role: owner }}
isolation:
  mode: schema
  database: {{ name: music, schema: tenant_x, role: x_app }}
  cache: {{ key_prefix: "x:", acl_user: x }}
"#
    );
    parse::<Tenant>(&yaml, Format::Yaml).unwrap()
}

pub(crate) fn name(s: &str) -> Name {
    Name::new(s).unwrap()
}

pub(crate) fn perms(list: &[&str]) -> Vec<Permission> {
    list.iter().map(|p| Permission::new(*p).unwrap()).collect()
}

pub(crate) fn role(n: &str, permissions: &[&str], inherits: &[&str]) -> Role {
    Role {
        name: name(n),
        description: None,
        permissions: perms(permissions),
        inherits: inherits.iter().map(|i| name(i)).collect(),
    }
}

pub(crate) fn subject(kind: SubjectKind, id: &str) -> Subject {
    Subject {
        kind,
        id: id.to_owned(),
    }
}

pub(crate) fn user(id: &str) -> Subject {
    subject(SubjectKind::User, id)
}

pub(crate) fn binding(subject: Subject, role: &str) -> Binding {
    Binding {
        subject,
        role: name(role),
        conditions: Conditions::default(),
        expires_at: None,
    }
}

pub(crate) fn deny(n: &str, permissions: &[&str]) -> Deny {
    Deny {
        name: name(n),
        subjects: Vec::new(),
        permissions: perms(permissions),
        when_locked: false,
        min_classification: None,
        reason: format!("reason of {n}"),
    }
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp::new(t.to_rfc3339()).unwrap()
}

pub(crate) fn grant(
    n: &str,
    grantee: Option<&str>,
    permissions: &[&str],
    expires: DateTime<Utc>,
) -> CrossTenantGrant {
    CrossTenantGrant {
        name: name(n),
        grantee: match grantee {
            Some(slug) => Grantee::Tenant(Slug::new(slug).unwrap()),
            None => Grantee::PlatformOperators,
        },
        subjects: Vec::new(),
        permissions: perms(permissions),
        expires_at: timestamp(expires),
        require_mfa: false,
        reason: format!("reason of {n}"),
    }
}

/// Monday 4 May 2026, 10:00 in Paris.
pub(crate) fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap()
}

pub(crate) fn with_status(mut t: Tenant, status: TenantStatus) -> Tenant {
    t.status = status;
    t
}

pub(crate) const PUBLIC: Classification = Classification::Public;

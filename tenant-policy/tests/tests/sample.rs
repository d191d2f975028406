//! Sample documents for the isolation, quota, compliance and audit tests:
//! a tenant that passes every check, to be changed one field at a time.

use chrono::{DateTime, TimeZone, Utc};
use tenant_model::{Format, PlatformConfig, Tenant, parse};

/// The instant the tests run at.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

/// A platform with two EU regions and one US region, default switches
/// (at least `schema` isolation, not strict) and default tier presets.
pub(crate) fn platform() -> PlatformConfig {
    parse(
        r#"
schema_version: 1
regions:
  - { name: eu-west-1, jurisdiction: eu }
  - { name: eu-central-1, jurisdiction: eu }
  - { name: us-east-1, jurisdiction: us }
"#,
        Format::Yaml,
    )
    .unwrap()
}

/// A well-configured tenant named `slug`: schema mode in the shared database
/// `music`, its own schema, role, ACL user and key prefix, references for
/// passwords, allowed networks, encryption with its own key, a DPO, MFA and
/// an expiry on the admin binding, a recent access review.
pub(crate) fn tenant(slug: &str) -> Tenant {
    let ident = slug.replace('-', "_");
    let yaml = format!(
        r#"
schema_version: 1
id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
slug: {slug}
display_name: "Tenant {slug}"
tier: professional
status: active
locale: en
time_zone: Europe/Paris
data_residency: {{ region: eu-west-1, replica_regions: [eu-central-1] }}
data_protection: {{ retention_days: 365, erasure_on_offboarding: true }}
contacts:
  - {{ name: Owner, email: owner@example.com, role: owner }}
  - {{ name: DPO, email: dpo@example.com, role: dpo }}
isolation:
  mode: schema
  database:
    name: music
    schema: tenant_{ident}
    role: {ident}_app
    password: {{ env: PG_PASSWORD }}
  cache:
    key_prefix: "{slug}:"
    acl_user: {slug}
    password: {{ file: /run/secrets/redis }}
  network:
    allowed_cidrs: [10.20.0.0/16]
  encryption: {{ at_rest: true, in_transit: true, key_id: "kms/{slug}" }}
access_control:
  last_access_review: 2026-10-01
  roles:
    - {{ name: viewer, permissions: ["track:read"] }}
    - {{ name: editor, permissions: ["track:write"], inherits: [viewer] }}
    - {{ name: admin, permissions: ["*:*"], inherits: [editor] }}
  bindings:
    - {{ subject: {{ kind: group, id: staff }}, role: viewer }}
    - subject: {{ kind: user, id: boss }}
      role: admin
      conditions: {{ require_mfa: true }}
      expires_at: 2027-06-30T00:00:00Z
audit: {{ enabled: true, retention_days: 400 }}
"#
    );
    parse(&yaml, Format::Yaml).unwrap()
}

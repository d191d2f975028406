//! The isolation policy (`isolation_policy`): how a tenant's data is kept
//! apart in PostgreSQL, Redis, the network and at rest.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::secret::Secret;
use crate::text::{Cidr, KeyPrefix, Name, SqlIdentifier};

/// How a tenant's data is kept apart from other tenants'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "IsolationPolicy"))]
pub struct IsolationPolicy {
    /// Database, schema or row per tenant.
    pub mode: IsolationMode,
    /// Forbid shared rows: `row` mode is not allowed and a per-tenant
    /// encryption key is required.
    #[serde(default)]
    pub strict: bool,
    /// PostgreSQL objects owned by the tenant.
    #[validate(nested)]
    pub database: DatabaseIsolation,
    /// Redis key space and ACL user.
    #[validate(nested)]
    pub cache: CacheIsolation,
    /// Network access.
    #[serde(default)]
    #[validate(nested)]
    pub network: NetworkIsolation,
    /// Encryption settings.
    #[serde(default)]
    #[validate(nested)]
    pub encryption: Encryption,
}

/// Unit of isolation in PostgreSQL, weakest first.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IsolationMode {
    /// Shared tables; rows are separated by row-level security on a tenant column.
    Row,
    /// A schema per tenant in a shared database.
    Schema,
    /// A database per tenant.
    Database,
}

impl IsolationMode {
    /// The mode's name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            IsolationMode::Row => "row",
            IsolationMode::Schema => "schema",
            IsolationMode::Database => "database",
        }
    }
}

/// PostgreSQL objects owned by one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DatabaseIsolation {
    /// Database name: the tenant's own in `database` mode, the shared one otherwise.
    pub name: SqlIdentifier,
    /// Schema name: the tenant's own in `schema` mode; the shared one in `row` mode.
    pub schema: SqlIdentifier,
    /// Login role the tenant's services use.
    pub role: SqlIdentifier,
    /// The role's password, or its SCRAM-SHA-256 verifier
    /// (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`), which is
    /// written as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// Most concurrent connections for the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 10000, message = "must be between 1 and 10000"))]
    pub connection_limit: Option<u32>,
}

/// Redis key space and ACL user of one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CacheIsolation {
    /// Every key the tenant may touch starts with this prefix.
    pub key_prefix: KeyPrefix,
    /// The Redis ACL user.
    pub acl_user: Name,
    /// The ACL user's password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
}

/// Network access of a tenant's workloads and users.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NetworkIsolation {
    /// Networks the tenant's users may connect from; empty means anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 networks"))]
    pub allowed_cidrs: Vec<Cidr>,
    /// Networks the tenant's workloads may reach besides the platform's services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 networks"))]
    pub egress_cidrs: Vec<Cidr>,
}

/// Encryption of the tenant's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Encryption {
    /// Data encrypted at rest.
    pub at_rest: bool,
    /// TLS required on every connection.
    pub in_transit: bool,
    /// Identifier of the tenant's own key in the key management service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters long"))]
    pub key_id: Option<String>,
    /// The region of the key management service holding that key (for an
    /// AWS KMS ARN it is also read from the ARN); the key's region holds
    /// the tenant's data as far as transfers are concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_region: Option<Name>,
}

impl Encryption {
    /// The key's region: `key_region`, or the region of an AWS KMS key ARN
    /// (`arn:aws:kms:<region>:...`).
    pub fn key_region(&self) -> Option<Name> {
        if let Some(region) = &self.key_region {
            return Some(region.clone());
        }
        let arn = self.key_id.as_deref()?;
        let mut parts = arn.split(':');
        let (arn_, _partition, service, region) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if arn_ == "arn" && service == "kms" {
            Name::new(region).ok()
        } else {
            None
        }
    }
}

impl Default for Encryption {
    fn default() -> Self {
        Encryption {
            at_rest: true,
            in_transit: true,
            key_id: None,
            key_region: None,
        }
    }
}

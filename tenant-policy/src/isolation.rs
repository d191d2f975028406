//! Isolation audit: findings about how well each tenant's data is kept apart,
//! against the platform's switches and across a set of tenants.
//!
//! `tenant_model::check_tenant_set` already rejects the set conflicts when
//! documents are parsed; this audit also works on tenants built in code,
//! reports a conflict on every tenant it affects, grades every finding by
//! severity and says how to fix it. The rules themselves are the model's:
//! shared values are found with `tenant_model::shared_values` and key
//! prefixes judged with `tenant_model::key_prefix_overlaps`, both
//! O(n log n) whatever the tenants share.

use std::collections::BTreeMap;

use serde::Serialize;
use tenant_model::{
    FindingSeverity, IsolationMode, PlatformConfig, Secret, Tenant, key_prefix_overlaps,
    shared_values,
};

/// What an isolation finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IsolationCheck {
    /// The isolation mode is weaker than the platform's `minimum_isolation`.
    WeakerThanPlatform,
    /// The platform requires strict isolation and the tenant is not strict.
    StrictRequired,
    /// Strict isolation (the tenant's or the platform's) with `row` mode.
    SharedRowsUnderStrict,
    /// Strict isolation without the tenant's own encryption key.
    MissingTenantKey,
    /// Encryption at rest is off.
    EncryptionAtRestOff,
    /// TLS is not required.
    EncryptionInTransitOff,
    /// `row` mode without `strict`: the tenant's rows share tables with other
    /// tenants' rows and are kept apart by row-level security alone.
    RowLevelOnly,
    /// A password is written in the document instead of referenced.
    InlinePassword,
    /// No `allowed_cidrs`: users may connect from anywhere.
    NoAllowedNetworks,
    /// Another tenant uses the same database, which this tenant's mode
    /// (`database`) requires to be its own.
    SharedDatabase,
    /// Another tenant uses the same schema of the same database, which this
    /// tenant's mode (`schema`) requires to be its own.
    SharedSchema,
    /// Another tenant's cache key prefix is equal to this one, or one of the
    /// two is a prefix of the other (`acme:` covers `acme:music:`).
    SharedCachePrefix,
    /// Another tenant uses the same PostgreSQL login role.
    SharedDatabaseRole,
    /// Another tenant uses the same Redis ACL user.
    SharedAclUser,
}

impl IsolationCheck {
    /// The check's name in reports, e.g. `shared_cache_prefix`.
    pub fn as_str(self) -> &'static str {
        match self {
            IsolationCheck::WeakerThanPlatform => "weaker_than_platform",
            IsolationCheck::StrictRequired => "strict_required",
            IsolationCheck::SharedRowsUnderStrict => "shared_rows_under_strict",
            IsolationCheck::MissingTenantKey => "missing_tenant_key",
            IsolationCheck::EncryptionAtRestOff => "encryption_at_rest_off",
            IsolationCheck::EncryptionInTransitOff => "encryption_in_transit_off",
            IsolationCheck::RowLevelOnly => "row_level_only",
            IsolationCheck::InlinePassword => "inline_password",
            IsolationCheck::NoAllowedNetworks => "no_allowed_networks",
            IsolationCheck::SharedDatabase => "shared_database",
            IsolationCheck::SharedSchema => "shared_schema",
            IsolationCheck::SharedCachePrefix => "shared_cache_prefix",
            IsolationCheck::SharedDatabaseRole => "shared_database_role",
            IsolationCheck::SharedAclUser => "shared_acl_user",
        }
    }
}

/// One isolation finding in one tenant's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IsolationFinding {
    /// What was checked.
    pub check: IsolationCheck,
    /// How bad it is.
    pub severity: FindingSeverity,
    /// JSON pointer of the field in the tenant's document.
    pub pointer: String,
    /// What is wrong; never contains a secret.
    pub message: String,
    /// What to do about it.
    pub remediation: String,
}

/// An isolation finding in a set of tenants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IsolationSetFinding {
    /// Index, in the given slice, of the tenant whose document the finding's
    /// pointer points into.
    pub tenant: usize,
    /// Index of the tenant it conflicts with, for conflicts between tenants.
    pub other: Option<usize>,
    /// The finding.
    pub finding: IsolationFinding,
}

fn finding(
    check: IsolationCheck,
    severity: FindingSeverity,
    pointer: &str,
    message: String,
    remediation: &str,
) -> IsolationFinding {
    IsolationFinding {
        check,
        severity,
        pointer: pointer.to_owned(),
        message,
        remediation: remediation.to_owned(),
    }
}

/// Audits one tenant's isolation against the platform's switches, in the
/// order of [`IsolationCheck`]'s variants.
///
/// Conflicts with other tenants need the whole set: see
/// [`check_isolation_set`].
pub fn check_isolation(tenant: &Tenant, platform: &PlatformConfig) -> Vec<IsolationFinding> {
    use FindingSeverity::{Critical, High, Low, Medium};
    use IsolationCheck as C;

    let iso = &tenant.isolation;
    let switches = &platform.switches;
    let strict = iso.strict || switches.strict_isolation;
    let mut out = Vec::new();

    if iso.mode < switches.minimum_isolation {
        out.push(finding(
            C::WeakerThanPlatform,
            High,
            "/isolation/mode",
            format!(
                "isolation mode `{}` is weaker than the platform's minimum `{}`",
                iso.mode.as_str(),
                switches.minimum_isolation.as_str()
            ),
            "move the tenant to its own schema or database, at least the platform's minimum mode",
        ));
    }
    if switches.strict_isolation && !iso.strict {
        out.push(finding(
            C::StrictRequired,
            Medium,
            "/isolation/strict",
            "the platform requires strict isolation but the tenant does not set `strict`"
                .to_owned(),
            "set `strict: true` after moving to `schema` or `database` mode with a tenant key",
        ));
    }
    if strict && iso.mode == IsolationMode::Row {
        out.push(finding(
            C::SharedRowsUnderStrict,
            Critical,
            "/isolation/mode",
            format!(
                "strict isolation forbids shared rows, but the mode is `row` (tables of schema `{}` shared with other tenants)",
                iso.database.schema
            ),
            "move the tenant to `schema` or `database` mode",
        ));
    }
    if strict && iso.encryption.key_id.is_none() {
        out.push(finding(
            C::MissingTenantKey,
            High,
            "/isolation/encryption/key_id",
            "strict isolation needs the tenant's own encryption key, but `key_id` is not set"
                .to_owned(),
            "create a key for the tenant in the key management service and set `key_id`",
        ));
    }
    if !iso.encryption.at_rest {
        out.push(finding(
            C::EncryptionAtRestOff,
            High,
            "/isolation/encryption/at_rest",
            "the tenant's data is not encrypted at rest".to_owned(),
            "set `at_rest: true` and encrypt the tenant's storage",
        ));
    }
    if !iso.encryption.in_transit {
        out.push(finding(
            C::EncryptionInTransitOff,
            High,
            "/isolation/encryption/in_transit",
            "connections are not required to use TLS".to_owned(),
            "set `in_transit: true` and require TLS on every connection",
        ));
    }
    if iso.mode == IsolationMode::Row && !iso.strict {
        out.push(finding(
            C::RowLevelOnly,
            Medium,
            "/isolation/mode",
            format!(
                "the tenant's rows share the tables of schema `{}` in database `{}` with other tenants and are kept apart by row-level security alone",
                iso.database.schema, iso.database.name
            ),
            "prefer `schema` mode; in `row` mode, force row-level security on every table and test the policies",
        ));
    }
    for (pointer, secret, what) in [
        (
            "/isolation/database/password",
            &iso.database.password,
            "PostgreSQL role",
        ),
        (
            "/isolation/cache/password",
            &iso.cache.password,
            "Redis ACL user",
        ),
    ] {
        if secret.as_ref().is_some_and(is_inline) {
            out.push(finding(
                C::InlinePassword,
                Medium,
                pointer,
                format!("the {what}'s password is written in the document"),
                "reference the password instead: `{ env: NAME }` or `{ file: PATH }`, and rotate it",
            ));
        }
    }
    if iso.network.allowed_cidrs.is_empty() {
        out.push(finding(
            C::NoAllowedNetworks,
            Low,
            "/isolation/network/allowed_cidrs",
            "no `allowed_cidrs`: users may connect from any network".to_owned(),
            "list the networks the tenant's users connect from",
        ));
    }
    out
}

fn is_inline(secret: &Secret) -> bool {
    // `Secret` is non-exhaustive; only the inline form exposes a value.
    secret.expose_inline().is_some()
}

/// Audits a set of tenants: every tenant's own findings
/// ([`check_isolation`], with `other: None`) and the conflicts between
/// tenants (`other: Some(_)`), ordered by tenant, then by check.
///
/// A conflict is reported on every tenant it affects, each time naming the
/// first other tenant involved (and how many more there are), so each
/// tenant's list of findings is complete on its own:
///
/// - a database shared between a tenant in `database` mode and any other
///   tenant (tenants in `schema` and `row` mode share databases by design);
/// - a schema of a database shared between a tenant in `schema` mode and any
///   other tenant not in `database` mode (tenants in `row` mode share
///   schemas by design);
/// - a cache key prefix equal to another's, covering another's or covered
///   by another's;
/// - a PostgreSQL login role or a Redis ACL user used by another tenant.
pub fn check_isolation_set(
    tenants: &[&Tenant],
    platform: &PlatformConfig,
) -> Vec<IsolationSetFinding> {
    let mut conflicts: Vec<(usize, usize, IsolationFinding)> = Vec::new();

    database_conflicts(tenants, &mut conflicts);
    prefix_conflicts(tenants, &mut conflicts);
    same_name_conflicts(
        tenants,
        |t| t.isolation.database.role.as_str(),
        IsolationCheck::SharedDatabaseRole,
        "/isolation/database/role",
        "PostgreSQL role",
        "give each tenant its own login role: roles are shared by the whole server",
        &mut conflicts,
    );
    same_name_conflicts(
        tenants,
        |t| t.isolation.cache.acl_user.as_str(),
        IsolationCheck::SharedAclUser,
        "/isolation/cache/acl_user",
        "Redis ACL user",
        "give each tenant its own ACL user limited to its key prefix",
        &mut conflicts,
    );

    let mut by_tenant: BTreeMap<usize, Vec<(usize, IsolationFinding)>> = BTreeMap::new();
    for (tenant, other, finding) in conflicts {
        by_tenant.entry(tenant).or_default().push((other, finding));
    }
    let mut out = Vec::new();
    for (i, tenant) in tenants.iter().enumerate() {
        out.extend(
            check_isolation(tenant, platform)
                .into_iter()
                .map(|finding| IsolationSetFinding {
                    tenant: i,
                    other: None,
                    finding,
                }),
        );
        let mut mine = by_tenant.remove(&i).unwrap_or_default();
        mine.sort_by_key(|(other, f)| (f.check, *other));
        out.extend(
            mine.into_iter()
                .map(|(other, finding)| IsolationSetFinding {
                    tenant: i,
                    other: Some(other),
                    finding,
                }),
        );
    }
    out
}

/// `, and 2 more tenants` when a conflict involves more than one other tenant.
fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " and 1 more tenant".to_owned(),
        n => format!(" and {} more tenants", n - 1),
    }
}

/// The lowest member of `group` (ascending, without repeats) other than
/// `i`, and how many others there are; `member` says whether `i` is in it.
fn others_in(group: &[usize], i: usize, member: bool) -> Option<(usize, usize)> {
    // `i` is at most one of the first two.
    let first = group.iter().copied().take(2).find(|&j| j != i)?;
    Some((first, group.len() - usize::from(member)))
}

fn database_conflicts(tenants: &[&Tenant], out: &mut Vec<(usize, usize, IsolationFinding)>) {
    use IsolationMode::{Database, Row, Schema};

    let mode = |j: usize| tenants.get(j).map_or(Row, |o| o.isolation.mode);
    let name = |j: usize| tenants.get(j).map(|t| &t.isolation.database);
    // Who conflicts with tenant `i` in a group sharing a database or a
    // schema: everyone when `i`'s mode needs the object to itself,
    // otherwise only those whose mode does.
    let mut report = |group: &[usize], exclusive: IsolationMode, check: IsolationCheck| {
        let holders: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&j| mode(j) == exclusive)
            .collect();
        for &i in group {
            let found = if mode(i) == exclusive {
                others_in(group, i, true)
            } else {
                others_in(&holders, i, false)
            };
            let (Some((first, count)), Some(t)) = (found, tenants.get(i)) else {
                continue;
            };
            let db = &t.isolation.database;
            let (pointer, what, remediation) = if check == IsolationCheck::SharedDatabase {
                (
                    "/isolation/database/name",
                    format!("database `{}`", db.name),
                    "give each tenant in `database` mode its own database, used by no other tenant",
                )
            } else {
                (
                    "/isolation/database/schema",
                    format!("schema `{}` of database `{}`", db.schema, db.name),
                    "give each tenant in `schema` mode its own schema, used by no other tenant",
                )
            };
            let mine = mode(i);
            let other = tenants.get(first).map_or("", |o| o.slug.as_str());
            let other_mode = mode(first);
            let needs = if mine >= other_mode {
                format!("`{}` mode needs its own", mine.as_str())
            } else {
                format!("`{}` mode needs it to itself", other_mode.as_str())
            };
            out.push((
                i,
                first,
                finding(
                    check,
                    FindingSeverity::Critical,
                    pointer,
                    format!(
                        "{what} is used by tenant `{other}` ({} mode){} too; {needs}",
                        other_mode.as_str(),
                        more(count),
                    ),
                    remediation,
                ),
            ));
        }
    };
    let n = tenants.len();
    for group in shared_values(n, |i| name(i).map(|db| db.name.as_str())) {
        report(&group, Database, IsolationCheck::SharedDatabase);
    }
    // A `database`-mode tenant's conflicts are about the whole database.
    let schema_key = |i: usize| {
        name(i)
            .filter(|_| mode(i) != Database)
            .map(|db| (db.name.as_str(), db.schema.as_str()))
    };
    for group in shared_values(n, schema_key) {
        if group.first().is_some_and(|&i| schema_key(i).is_some()) {
            report(&group, Schema, IsolationCheck::SharedSchema);
        }
    }
}

fn prefix_conflicts(tenants: &[&Tenant], out: &mut Vec<(usize, usize, IsolationFinding)>) {
    // The model's rule: equal prefixes, or one inside another.
    let prefix = |i: usize| {
        tenants
            .get(i)
            .map_or("", |t| t.isolation.cache.key_prefix.as_str())
    };
    let prefixes: Vec<&str> = (0..tenants.len()).map(prefix).collect();
    for (i, overlap) in key_prefix_overlaps(&prefixes).into_iter().enumerate() {
        let Some(first) = min_index([overlap.same, overlap.covers, overlap.covered_by]) else {
            continue;
        };
        let mine = prefix(i);
        let theirs = prefix(first);
        let other = tenants.get(first).map_or("", |o| o.slug.as_str());
        let relation = if theirs == mine {
            format!("cache key prefix `{mine}` is used by tenant `{other}`")
        } else if theirs.starts_with(mine) {
            format!("cache key prefix `{mine}` covers the prefix `{theirs}` of tenant `{other}`")
        } else {
            format!(
                "cache key prefix `{mine}` is covered by the prefix `{theirs}` of tenant `{other}`"
            )
        };
        out.push((
            i,
            first,
            finding(
                IsolationCheck::SharedCachePrefix,
                FindingSeverity::Critical,
                "/isolation/cache/key_prefix",
                format!(
                    "{relation}{}: one tenant can read the other's keys",
                    more(overlap.others)
                ),
                "give each tenant a prefix that no other tenant's prefix starts with, e.g. its slug followed by `:`",
            ),
        ));
    }
}

fn min_index(candidates: [Option<usize>; 3]) -> Option<usize> {
    candidates.into_iter().flatten().min()
}

fn same_name_conflicts<'a>(
    tenants: &[&'a Tenant],
    name: impl Fn(&'a Tenant) -> &'a str,
    check: IsolationCheck,
    pointer: &str,
    what: &str,
    remediation: &str,
    out: &mut Vec<(usize, usize, IsolationFinding)>,
) {
    let value = |i: usize| tenants.get(i).map(|t| name(t));
    for group in shared_values(tenants.len(), value) {
        for &i in &group {
            let (Some((first, count)), Some(value)) = (others_in(&group, i, true), value(i)) else {
                continue;
            };
            let other = tenants.get(first).map_or("", |o| o.slug.as_str());
            out.push((
                i,
                first,
                finding(
                    check,
                    FindingSeverity::Critical,
                    pointer,
                    format!(
                        "{what} `{value}` is used by tenant `{other}`{} too",
                        more(count)
                    ),
                    remediation,
                ),
            ));
        }
    }
}

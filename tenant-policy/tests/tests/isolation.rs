//! Isolation audit: each finding of one tenant against the platform, and the
//! conflicts across a set of tenants, at the right pointer and severity.

use proptest::prelude::*;
use tenant_model::{
    FindingSeverity, IsolationMode, KeyPrefix, Name, PlatformConfig, Secret, SqlIdentifier, Tenant,
};
use tenant_policy::checks::{IsolationSetFinding, check_isolation, check_isolation_set};

use crate::sample::{platform, tenant};

/// `(check, pointer, severity)` of each finding of `t` on `p`.
fn findings(t: &Tenant, p: &PlatformConfig) -> Vec<(&'static str, String, FindingSeverity)> {
    check_isolation(t, p)
        .into_iter()
        .map(|f| (f.check.as_str(), f.pointer, f.severity))
        .collect()
}

/// Checks one tenant changed by `edit` on the platform changed by `edit_platform`.
#[track_caller]
fn check(
    edit: impl FnOnce(&mut Tenant),
    edit_platform: impl FnOnce(&mut PlatformConfig),
    expected: &[(&str, &str, FindingSeverity)],
) {
    let mut t = tenant("acme-music");
    edit(&mut t);
    let mut p = platform();
    edit_platform(&mut p);
    let expected: Vec<(&str, String, FindingSeverity)> = expected
        .iter()
        .map(|&(c, ptr, s)| (c, ptr.to_owned(), s))
        .collect();
    assert_eq!(findings(&t, &p), expected);
}

#[test]
fn a_well_isolated_tenant_has_no_findings() {
    check(|_| {}, |_| {}, &[]);
}

#[test]
fn each_single_tenant_finding_at_its_field() {
    use FindingSeverity::{Critical, High, Low, Medium};
    check(
        |t| t.isolation.mode = IsolationMode::Row,
        |_| {},
        &[
            ("weaker_than_platform", "/isolation/mode", High),
            ("row_level_only", "/isolation/mode", Medium),
        ],
    );
    check(
        |t| t.isolation.mode = IsolationMode::Row,
        |p| p.switches.minimum_isolation = IsolationMode::Row,
        &[("row_level_only", "/isolation/mode", Medium)],
    );
    check(
        |t| t.isolation.mode = IsolationMode::Schema,
        |p| p.switches.minimum_isolation = IsolationMode::Database,
        &[("weaker_than_platform", "/isolation/mode", High)],
    );
    check(
        |t| t.isolation.encryption.key_id = None,
        |p| p.switches.strict_isolation = true,
        &[
            ("strict_required", "/isolation/strict", Medium),
            ("missing_tenant_key", "/isolation/encryption/key_id", High),
        ],
    );
    check(
        |t| t.isolation.strict = true,
        |p| p.switches.strict_isolation = true,
        &[],
    );
    check(
        // Built in code: the model's parser would reject strict row mode.
        |t| {
            t.isolation.strict = true;
            t.isolation.mode = IsolationMode::Row;
            t.isolation.encryption.key_id = None;
        },
        |p| p.switches.minimum_isolation = IsolationMode::Row,
        &[
            ("shared_rows_under_strict", "/isolation/mode", Critical),
            ("missing_tenant_key", "/isolation/encryption/key_id", High),
        ],
    );
    check(
        |t| t.isolation.encryption.at_rest = false,
        |_| {},
        &[(
            "encryption_at_rest_off",
            "/isolation/encryption/at_rest",
            High,
        )],
    );
    check(
        |t| t.isolation.encryption.in_transit = false,
        |_| {},
        &[(
            "encryption_in_transit_off",
            "/isolation/encryption/in_transit",
            High,
        )],
    );
    check(
        |t| {
            t.isolation.database.password = Some(Secret::inline("pg-hunter2"));
            t.isolation.cache.password = Some(Secret::inline("redis-hunter2"));
        },
        |_| {},
        &[
            ("inline_password", "/isolation/database/password", Medium),
            ("inline_password", "/isolation/cache/password", Medium),
        ],
    );
    check(
        |t| {
            t.isolation.database.password = None;
            t.isolation.cache.password = None;
        },
        |_| {},
        &[],
    );
    check(
        |t| t.isolation.network.allowed_cidrs.clear(),
        |_| {},
        &[(
            "no_allowed_networks",
            "/isolation/network/allowed_cidrs",
            Low,
        )],
    );
}

#[test]
fn findings_never_show_an_inline_password() {
    let mut t = tenant("acme-music");
    t.isolation.database.password = Some(Secret::inline("pg-hunter2"));
    let shown = format!("{:?}", check_isolation(&t, &platform()));
    assert!(shown.contains("inline_password") || shown.contains("InlinePassword"));
    assert!(!shown.contains("hunter2"), "{shown}");
}

fn name(s: &str) -> Name {
    Name::new(s).unwrap()
}

fn ident(s: &str) -> SqlIdentifier {
    SqlIdentifier::new(s).unwrap()
}

/// `(tenant, other, check)` of the findings between tenants.
fn conflicts(tenants: &[Tenant]) -> Vec<(usize, usize, &'static str)> {
    let refs: Vec<&Tenant> = tenants.iter().collect();
    check_isolation_set(&refs, &platform())
        .into_iter()
        .filter_map(|f: IsolationSetFinding| {
            f.other.map(|o| (f.tenant, o, f.finding.check.as_str()))
        })
        .collect()
}

/// Three distinct, well-isolated tenants changed by `edit`.
#[track_caller]
fn check_set(edit: impl FnOnce(&mut [Tenant]), expected: &[(usize, usize, &str)]) {
    let mut tenants = vec![
        tenant("acme-music"),
        tenant("beatforge"),
        tenant("lofi-labs"),
    ];
    edit(&mut tenants);
    assert_eq!(conflicts(&tenants), expected);
}

#[test]
fn distinct_tenants_have_no_conflicts() {
    check_set(|_| {}, &[]);
}

#[test]
fn shared_databases_and_schemas() {
    // Two tenants in `database` mode on one database: both are told.
    check_set(
        |ts| {
            for t in &mut ts[..2] {
                t.isolation.mode = IsolationMode::Database;
                t.isolation.database.name = ident("shared_db");
            }
        },
        &[(0, 1, "shared_database"), (1, 0, "shared_database")],
    );
    // A `database`-mode tenant on the database the others share in schema
    // mode: everyone is told, each naming the first tenant it conflicts with.
    check_set(
        |ts| ts[2].isolation.mode = IsolationMode::Database,
        &[
            (0, 2, "shared_database"),
            (1, 2, "shared_database"),
            (2, 0, "shared_database"),
        ],
    );
    // Two schema-mode tenants on one schema.
    check_set(
        |ts| ts[1].isolation.database.schema = ident("tenant_acme_music"),
        &[(0, 1, "shared_schema"), (1, 0, "shared_schema")],
    );
    // A row-mode tenant whose shared schema is a schema-mode tenant's own:
    // both are told.
    check_set(
        |ts| {
            ts[2].isolation.mode = IsolationMode::Row;
            ts[2].isolation.database.schema = ident("tenant_beatforge");
        },
        &[(1, 2, "shared_schema"), (2, 1, "shared_schema")],
    );
    // A `database`-mode tenant with the same schema name conflicts on the
    // database only.
    check_set(
        |ts| {
            ts[1].isolation.mode = IsolationMode::Database;
            ts[1].isolation.database.schema = ident("tenant_acme_music");
        },
        &[
            (0, 1, "shared_database"),
            (1, 0, "shared_database"),
            (2, 1, "shared_database"),
        ],
    );
    // Row-mode tenants share their schema by design.
    check_set(
        |ts| {
            for t in ts.iter_mut() {
                t.isolation.mode = IsolationMode::Row;
                t.isolation.database.schema = ident("shared");
            }
        },
        &[],
    );
}

#[test]
fn database_messages_say_whose_mode_needs_it() {
    let mut ts = [tenant("acme-music"), tenant("beatforge")];
    ts[1].isolation.mode = IsolationMode::Database;
    let refs: Vec<&Tenant> = ts.iter().collect();
    let messages: Vec<String> = check_isolation_set(&refs, &platform())
        .into_iter()
        .map(|f| f.finding.message)
        .collect();
    assert_eq!(
        messages,
        [
            "database `music` is used by tenant `beatforge` (database mode) too; `database` mode needs it to itself",
            "database `music` is used by tenant `acme-music` (schema mode) too; `database` mode needs its own",
        ]
    );
}

#[test]
fn shared_cache_prefixes_equal_or_covering() {
    let prefix = |s: &str| KeyPrefix::new(s).unwrap();
    check_set(
        |ts| ts[0].isolation.cache.key_prefix = prefix("beatforge:"),
        &[(0, 1, "shared_cache_prefix"), (1, 0, "shared_cache_prefix")],
    );
    check_set(
        |ts| {
            ts[0].isolation.cache.key_prefix = prefix("acme:");
            ts[2].isolation.cache.key_prefix = prefix("acme:music:");
        },
        &[(0, 2, "shared_cache_prefix"), (2, 0, "shared_cache_prefix")],
    );
    // Text that starts the same is not a covering prefix: `acme:` does not
    // cover `acmex:`.
    check_set(
        |ts| {
            ts[0].isolation.cache.key_prefix = prefix("acme:");
            ts[1].isolation.cache.key_prefix = prefix("acmex:");
            ts[2].isolation.cache.key_prefix = prefix("acm:");
        },
        &[],
    );
}

#[test]
fn cache_prefix_messages_say_who_covers_whom() {
    let mut ts = [tenant("acme-music"), tenant("beatforge")];
    ts[0].isolation.cache.key_prefix = KeyPrefix::new("acme:").unwrap();
    ts[1].isolation.cache.key_prefix = KeyPrefix::new("acme:music:").unwrap();
    let refs: Vec<&Tenant> = ts.iter().collect();
    let messages: Vec<String> = check_isolation_set(&refs, &platform())
        .into_iter()
        .map(|f| f.finding.message)
        .collect();
    assert_eq!(
        messages,
        [
            "cache key prefix `acme:` covers the prefix `acme:music:` of tenant `beatforge`: one tenant can read the other's keys",
            "cache key prefix `acme:music:` is covered by the prefix `acme:` of tenant `acme-music`: one tenant can read the other's keys",
        ]
    );
}

#[test]
fn shared_roles_and_acl_users() {
    check_set(
        |ts| ts[2].isolation.database.role = ident("acme_music_app"),
        &[
            (0, 2, "shared_database_role"),
            (2, 0, "shared_database_role"),
        ],
    );
    check_set(
        |ts| ts[1].isolation.cache.acl_user = name("lofi-labs"),
        &[(1, 2, "shared_acl_user"), (2, 1, "shared_acl_user")],
    );
}

#[test]
fn a_conflict_with_several_tenants_names_the_first_and_counts_the_rest() {
    let mut ts = vec![
        tenant("acme-music"),
        tenant("beatforge"),
        tenant("lofi-labs"),
    ];
    for t in &mut ts {
        t.isolation.database.role = ident("app");
    }
    let refs: Vec<&Tenant> = ts.iter().collect();
    let found = check_isolation_set(&refs, &platform());
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].other, Some(1));
    assert_eq!(
        found[0].finding.message,
        "PostgreSQL role `app` is used by tenant `beatforge` and 1 more tenant too"
    );
    assert_eq!(found[0].finding.severity, FindingSeverity::Critical);
    assert_eq!(found[0].finding.pointer, "/isolation/database/role");
}

#[test]
fn set_findings_include_each_tenants_own_findings_in_order() {
    let mut ts = [tenant("acme-music"), tenant("beatforge")];
    ts[1].isolation.network.allowed_cidrs.clear();
    ts[1].isolation.cache.acl_user = name("acme-music");
    let refs: Vec<&Tenant> = ts.iter().collect();
    let found: Vec<(usize, Option<usize>, &str)> = check_isolation_set(&refs, &platform())
        .into_iter()
        .map(|f| (f.tenant, f.other, f.finding.check.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (0, Some(1), "shared_acl_user"),
            (1, None, "no_allowed_networks"),
            (1, Some(0), "shared_acl_user"),
        ]
    );
}

fn prefix_strategy() -> impl Strategy<Value = String> {
    // Few short segments, so equal and covering prefixes are common.
    prop::collection::vec(prop::sample::select(vec!["a", "b", "ab"]), 1..4)
        .prop_map(|segments| format!("{}:", segments.join(":")))
}

proptest! {
    /// The indexed search for covering prefixes agrees with comparing every
    /// pair: a tenant is reported exactly when another tenant's prefix is
    /// equal to, covers or is covered by its own, naming the first such tenant.
    #[test]
    fn prefix_conflicts_match_pairwise_comparison(prefixes in prop::collection::vec(prefix_strategy(), 1..12)) {
        let ts: Vec<Tenant> = prefixes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut t = tenant(&format!("tenant-{i}"));
                t.isolation.cache.key_prefix = KeyPrefix::new(p.as_str()).unwrap();
                t
            })
            .collect();
        let expected: Vec<(usize, usize, &str)> = prefixes
            .iter()
            .enumerate()
            .filter_map(|(i, mine)| {
                prefixes
                    .iter()
                    .enumerate()
                    .find(|(j, theirs)| *j != i && (theirs.starts_with(mine.as_str()) || mine.starts_with(theirs.as_str())))
                    .map(|(j, _)| (i, j, "shared_cache_prefix"))
            })
            .collect();
        prop_assert_eq!(conflicts(&ts), expected);
    }
}

/// Thousands of tenants sharing one prefix, role and ACL user: one finding
/// per tenant and check, each naming the first other and counting the rest
/// (the work is O(n log n); a pairwise check took 2 GB here).
#[test]
fn thousands_of_tenants_sharing_names_get_one_finding_each() {
    let base = tenant("acme-music");
    let n = 3_000;
    let tenants: Vec<Tenant> = (0..n)
        .map(|i| {
            let mut t = base.clone();
            t.slug = tenant_model::Slug::new(format!("tenant-{i}")).unwrap();
            t.isolation.database.schema = ident(&format!("tenant_{i}"));
            t.isolation.cache.key_prefix = KeyPrefix::new("shared:").unwrap();
            t
        })
        .collect();
    let refs: Vec<&Tenant> = tenants.iter().collect();
    let found = check_isolation_set(&refs, &platform());
    let shared: Vec<&IsolationSetFinding> = found.iter().filter(|f| f.other.is_some()).collect();
    for check in [
        "shared_cache_prefix",
        "shared_database_role",
        "shared_acl_user",
    ] {
        let of: Vec<&&IsolationSetFinding> = shared
            .iter()
            .filter(|f| f.finding.check.as_str() == check)
            .collect();
        assert_eq!(of.len(), n, "{check}");
        assert_eq!(of[0].other, Some(1), "{check}");
        assert!(of.iter().skip(1).all(|f| f.other == Some(0)), "{check}");
        assert!(
            of.iter()
                .all(|f| f.finding.message.contains(" and 2998 more tenants")),
            "{check}: {}",
            of[0].finding.message
        );
    }
}

//! The rules between fields: references that must resolve, names that must be
//! unique, role inheritance without cycles, and the rules across a set of
//! tenants (unique ids, slugs, databases, cache prefixes).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::access::{Grantee, TimeWindow};
use crate::compliance::ComplianceRules;
use crate::error::{Problem, join};
use crate::isolation::IsolationMode;
use crate::parse::Document;
use crate::platform::PlatformConfig;
use crate::tenant::Tenant;
use crate::text::Name;

impl Document for Tenant {
    const KIND: &'static str = "tenant_base";

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        tenant_rules(self, problems);
    }
}

impl Document for ComplianceRules {
    const KIND: &'static str = "compliance_rules";

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        unique(
            self.rules
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("/rules/{i}/id"), r.id.as_str())),
            "rule id",
            problems,
        );
    }
}

impl Document for PlatformConfig {
    const KIND: &'static str = "platform";

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        unique(
            self.regions
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("/regions/{i}/name"), r.name.as_str())),
            "region",
            problems,
        );
        for tier in crate::tenant::Tier::ALL {
            let limits = self.tiers.get(tier);
            let base = format!("/tiers/{}", tier.as_str());
            limit_rules(limits, &base, problems);
        }
    }
}

fn limit_rules(limits: &crate::quotas::QuotaLimits, base: &str, problems: &mut Vec<Problem>) {
    if limits.autoscaling.min_replicas > limits.autoscaling.max_replicas {
        problems.push(Problem::new(
            format!("{base}/autoscaling/max_replicas"),
            format!(
                "must be at least `min_replicas` ({}), found `{}`",
                limits.autoscaling.min_replicas, limits.autoscaling.max_replicas
            ),
        ));
    }
    if limits.metrics.ingestion_burst < limits.metrics.ingestion_rate {
        problems.push(Problem::new(
            format!("{base}/metrics/ingestion_burst"),
            format!(
                "must be at least `ingestion_rate` ({}), found `{}`",
                limits.metrics.ingestion_rate, limits.metrics.ingestion_burst
            ),
        ));
    }
}

/// Reports every name after its first use: `what` `x` is defined twice.
fn unique<'a>(
    items: impl Iterator<Item = (String, &'a str)>,
    what: &str,
    problems: &mut Vec<Problem>,
) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (pointer, name) in items {
        if let Some(first) = seen.get(name) {
            problems.push(Problem::new(
                pointer,
                format!("{what} `{name}` is defined twice; first at `{first}`"),
            ));
        } else {
            seen.insert(name, pointer);
        }
    }
}

fn window_rules(window: &TimeWindow, pointer: &str, problems: &mut Vec<Problem>) {
    if window.end.minutes() <= window.start.minutes() {
        problems.push(Problem::new(
            join(pointer, "end"),
            format!(
                "must be after `start` ({}), found `{}`; a window across midnight is written as two windows",
                window.start, window.end
            ),
        ));
    }
    let mut days = BTreeSet::new();
    for (i, day) in window.days.iter().enumerate() {
        if !days.insert(day) {
            problems.push(Problem::new(
                format!("{pointer}/days/{i}"),
                "day is listed twice",
            ));
        }
    }
}

fn tenant_rules(t: &Tenant, problems: &mut Vec<Problem>) {
    // Data residency.
    for (i, region) in t.data_residency.replica_regions.iter().enumerate() {
        if region == &t.data_residency.region {
            problems.push(Problem::new(
                format!("/data_residency/replica_regions/{i}"),
                format!("`{region}` is the home region; list only other regions"),
            ));
        }
    }

    // Isolation.
    let iso = &t.isolation;
    if iso.strict && iso.mode == IsolationMode::Row {
        problems.push(Problem::new(
            "/isolation/mode",
            "strict isolation forbids shared rows: use `schema` or `database`",
        ));
    }
    if iso.strict && iso.encryption.key_id.is_none() {
        problems.push(Problem::new(
            "/isolation/encryption/key_id",
            "strict isolation needs the tenant's own encryption key: set `key_id`",
        ));
    }

    // Access control.
    let ac = &t.access_control;
    unique(
        ac.roles
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("/access_control/roles/{i}/name"), r.name.as_str())),
        "role",
        problems,
    );
    let roles: BTreeMap<&Name, usize> = ac
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.name, i))
        .collect();
    for (i, role) in ac.roles.iter().enumerate() {
        for (j, parent) in role.inherits.iter().enumerate() {
            let pointer = format!("/access_control/roles/{i}/inherits/{j}");
            if !roles.contains_key(parent) {
                problems.push(Problem::new(
                    pointer,
                    format!("role `{parent}` is not defined"),
                ));
            }
        }
    }
    role_cycles(t, &roles, problems);
    for (i, binding) in ac.bindings.iter().enumerate() {
        let base = format!("/access_control/bindings/{i}");
        if !roles.contains_key(&binding.role) {
            problems.push(Problem::new(
                format!("{base}/role"),
                format!("role `{}` is not defined", binding.role),
            ));
        }
        if let Some(window) = &binding.conditions.time_window {
            window_rules(window, &format!("{base}/conditions/time_window"), problems);
        }
    }
    unique(
        ac.denies
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("/access_control/denies/{i}/name"), d.name.as_str())),
        "deny",
        problems,
    );
    unique(
        ac.cross_tenant_grants.iter().enumerate().map(|(i, g)| {
            (
                format!("/access_control/cross_tenant_grants/{i}/name"),
                g.name.as_str(),
            )
        }),
        "grant",
        problems,
    );
    for (i, grant) in ac.cross_tenant_grants.iter().enumerate() {
        if grant.grantee == Grantee::Tenant(t.slug.clone()) {
            problems.push(Problem::new(
                format!("/access_control/cross_tenant_grants/{i}/grantee/tenant"),
                "a tenant cannot grant access to itself; use a binding",
            ));
        }
    }

    // Slack.
    let slack = &t.slack;
    unique(
        slack
            .receivers
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("/slack/receivers/{i}/name"), r.name.as_str())),
        "receiver",
        problems,
    );
    unique(
        slack
            .templates
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("/slack/templates/{i}/name"), r.name.as_str())),
        "template",
        problems,
    );
    let templates: BTreeSet<&Name> = slack.templates.iter().map(|t| &t.name).collect();
    for (i, receiver) in slack.receivers.iter().enumerate() {
        let base = format!("/slack/receivers/{i}");
        if let Some(template) = &receiver.template
            && !templates.contains(template)
        {
            problems.push(Problem::new(
                format!("{base}/template"),
                format!("template `{template}` is not defined"),
            ));
        }
        if receiver.webhook_url.is_redacted_placeholder() {
            problems.push(Problem::new(
                format!("{base}/webhook_url"),
                format!("holds `{}` from an earlier serialization: write the URL or a reference such as `{{ env: NAME }}`", crate::secret::REDACTED),
            ));
        } else if let Some(url) = receiver.webhook_url.expose_inline()
            && !url.starts_with("https://")
        {
            // The URL is a secret: the message must not quote it.
            problems.push(Problem::new(
                format!("{base}/webhook_url"),
                "must be an `https://` URL (value not shown: it is a secret)",
            ));
        }
    }

    // Monitoring.
    let m = &t.monitoring;
    let receivers: BTreeSet<&Name> = slack.receivers.iter().map(|r| &r.name).collect();
    let routing = &m.routing;
    if let Some(default) = &routing.default_receiver {
        if !receivers.contains(default) {
            problems.push(Problem::new(
                "/monitoring/routing/default_receiver",
                format!("receiver `{default}` is not defined"),
            ));
        }
    } else if !slack.receivers.is_empty() {
        problems.push(Problem::new(
            "/monitoring/routing/default_receiver",
            "missing: required when the tenant has Slack receivers",
        ));
    }
    for (i, route) in routing.routes.iter().enumerate() {
        let base = format!("/monitoring/routing/routes/{i}");
        if !receivers.contains(&route.receiver) {
            problems.push(Problem::new(
                format!("{base}/receiver"),
                format!("receiver `{}` is not defined", route.receiver),
            ));
        }
        if route.when.is_some() && routing.business_hours.is_none() {
            problems.push(Problem::new(
                format!("{base}/when"),
                "needs `business_hours` in the routing",
            ));
        }
    }
    let mut group_by = BTreeSet::new();
    for (i, label) in routing.group_by.iter().enumerate() {
        if !group_by.insert(label) {
            problems.push(Problem::new(
                format!("/monitoring/routing/group_by/{i}"),
                "label is listed twice",
            ));
        }
    }
    if let Some(window) = &routing.business_hours {
        window_rules(window, "/monitoring/routing/business_hours", problems);
    }
    unique(
        routing
            .maintenance_windows
            .iter()
            .enumerate()
            .map(|(i, w)| {
                (
                    format!("/monitoring/routing/maintenance_windows/{i}/name"),
                    w.name.as_str(),
                )
            }),
        "maintenance window",
        problems,
    );
    for (i, window) in routing.maintenance_windows.iter().enumerate() {
        let base = format!("/monitoring/routing/maintenance_windows/{i}");
        match (&window.weekly, &window.once) {
            (Some(weekly), None) => window_rules(weekly, &format!("{base}/weekly"), problems),
            (None, Some(once)) => {
                if once.ends_at.instant() <= once.starts_at.instant() {
                    problems.push(Problem::new(
                        format!("{base}/once/ends_at"),
                        format!("must be after `starts_at` ({})", once.starts_at),
                    ));
                }
            }
            _ => problems.push(Problem::new(
                base,
                "needs exactly one of `weekly` or `once`",
            )),
        }
    }
    for (i, rule) in m.alert_rules.iter().enumerate() {
        for label in rule.labels.keys() {
            if matches!(label.as_str(), "tenant" | "severity") {
                problems.push(Problem::new(
                    format!("/monitoring/alert_rules/{i}/labels/{label}"),
                    format!("label `{label}` is set by tenant-kit and cannot be overridden"),
                ));
            }
        }
    }
    for (i, rule) in m.recording_rules.iter().enumerate() {
        if rule.labels.keys().any(|l| l.as_str() == "tenant") {
            problems.push(Problem::new(
                format!("/monitoring/recording_rules/{i}/labels/tenant"),
                "label `tenant` is set by tenant-kit and cannot be overridden",
            ));
        }
    }
    unique(
        m.slos
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("/monitoring/slos/{i}/name"), s.name.as_str())),
        "SLO",
        problems,
    );
    for (i, slo) in m.slos.iter().enumerate() {
        let base = format!("/monitoring/slos/{i}");
        const HOUR: u64 = 3_600_000;
        if !(HOUR..=365 * 24 * HOUR).contains(&slo.period.millis()) {
            problems.push(Problem::new(
                format!("{base}/period"),
                format!("must be between `1h` and `365d`, found `{}`", slo.period),
            ));
        }
        for (field, query) in [
            ("error_query", &slo.sli.error_query),
            ("total_query", &slo.sli.total_query),
        ] {
            if !query.contains("$window") {
                problems.push(Problem::new(
                    format!("{base}/sli/{field}"),
                    "must contain `$window` where the range goes, e.g. `rate(x[$window])`",
                ));
            }
        }
    }
    unique(
        m.dashboards
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("/monitoring/dashboards/{i}/name"), d.name.as_str())),
        "dashboard",
        problems,
    );
    for (i, dashboard) in m.dashboards.iter().enumerate() {
        for (j, panel) in dashboard.panels.iter().enumerate() {
            let base = format!("/monitoring/dashboards/{i}/panels/{j}");
            let is_text = panel.kind == crate::monitoring::PanelKind::Text;
            if is_text && panel.content.is_none() {
                problems.push(Problem::new(
                    format!("{base}/content"),
                    "missing: a `text` panel needs `content`",
                ));
            }
            if is_text && !panel.queries.is_empty() {
                problems.push(Problem::new(
                    format!("{base}/queries"),
                    "a `text` panel has no queries",
                ));
            }
            if !is_text && panel.queries.is_empty() {
                problems.push(Problem::new(
                    format!("{base}/queries"),
                    "missing: this panel needs at least one query",
                ));
            }
        }
    }

    // Quotas.
    let q = &t.quotas;
    if let (Some(min), Some(max)) = (q.autoscaling.min_replicas, q.autoscaling.max_replicas)
        && min > max
    {
        problems.push(Problem::new(
            "/quotas/autoscaling/max_replicas",
            format!("must be at least `min_replicas` ({min}), found `{max}`"),
        ));
    }
    if let (Some(rate), Some(burst)) = (q.metrics.ingestion_rate, q.metrics.ingestion_burst)
        && burst < rate
    {
        problems.push(Problem::new(
            "/quotas/metrics/ingestion_burst",
            format!("must be at least `ingestion_rate` ({rate}), found `{burst}`"),
        ));
    }
}

/// Reports each cycle in role inheritance once, at the edge that closes it.
fn role_cycles(t: &Tenant, roles: &BTreeMap<&Name, usize>, problems: &mut Vec<Problem>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let graph = &t.access_control.roles;
    let mut marks = vec![Mark::New; graph.len()];
    // Iterative depth-first search: role graphs come from tenants, so no recursion.
    for start in 0..graph.len() {
        if marks.get(start) != Some(&Mark::New) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(m) = marks.get_mut(start) {
            *m = Mark::Active;
        }
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            let parents = graph.get(node).map_or(&[][..], |r| r.inherits.as_slice());
            let Some(parent) = parents.get(*edge) else {
                if let Some(m) = marks.get_mut(node) {
                    *m = Mark::Done;
                }
                stack.pop();
                continue;
            };
            let this_edge = *edge;
            *edge += 1;
            let Some(&next) = roles.get(parent) else {
                continue;
            };
            match marks.get(next) {
                Some(Mark::New) => {
                    if let Some(m) = marks.get_mut(next) {
                        *m = Mark::Active;
                    }
                    stack.push((next, 0));
                }
                Some(Mark::Active) => {
                    let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                    let mut names: Vec<&str> = stack
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|(n, _)| graph.get(*n).map(|r| r.name.as_str()))
                        .collect();
                    names.push(parent.as_str());
                    problems.push(Problem::new(
                        format!("/access_control/roles/{node}/inherits/{this_edge}"),
                        format!("role inheritance has a cycle: {}", names.join(" → ")),
                    ));
                }
                _ => {}
            }
        }
    }
}

/// A problem found across a set of tenants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetProblem {
    /// Index of the tenant the problem is reported on.
    pub tenant: usize,
    /// Index of the tenant it conflicts with.
    pub other: usize,
    /// The problem, with a pointer into the first tenant's document.
    pub problem: Problem,
}

/// Checks the rules across a set of tenants: ids, slugs, PostgreSQL databases,
/// schemas and roles, Redis ACL users and key prefixes are not shared (a key
/// prefix may not be a prefix of another's either), and, in a set of two or
/// more tenants, every cross-tenant grant names a tenant of the set.
pub fn check_tenant_set(tenants: &[&Tenant]) -> Vec<SetProblem> {
    let mut out = Vec::new();
    let mut first: HashMap<(&str, String), usize> = HashMap::new();
    let mut claim = |out: &mut Vec<SetProblem>,
                     i: usize,
                     key: (&'static str, String),
                     pointer: &str,
                     what: String| {
        if let Some(&other) = first.get(&key) {
            out.push(SetProblem {
                tenant: i,
                other,
                problem: Problem::new(pointer, what),
            });
        } else {
            first.insert(key, i);
        }
    };
    for (i, t) in tenants.iter().enumerate() {
        let db = &t.isolation.database;
        claim(
            &mut out,
            i,
            ("id", t.id.to_string()),
            "/id",
            format!("id `{}` is used by another tenant too", t.id),
        );
        claim(
            &mut out,
            i,
            ("slug", t.slug.to_string()),
            "/slug",
            format!("slug `{}` is used by another tenant too", t.slug),
        );
        claim(
            &mut out,
            i,
            ("role", db.role.to_string()),
            "/isolation/database/role",
            format!(
                "PostgreSQL role `{}` is used by another tenant too (roles are shared by the whole server)",
                db.role
            ),
        );
        claim(
            &mut out,
            i,
            ("acl", t.isolation.cache.acl_user.to_string()),
            "/isolation/cache/acl_user",
            format!(
                "Redis ACL user `{}` is used by another tenant too",
                t.isolation.cache.acl_user
            ),
        );
        match t.isolation.mode {
            IsolationMode::Database => claim(
                &mut out,
                i,
                ("database", db.name.to_string()),
                "/isolation/database/name",
                format!(
                    "database `{}` is used by another tenant too; `database` mode needs its own",
                    db.name
                ),
            ),
            IsolationMode::Schema => claim(
                &mut out,
                i,
                ("schema", format!("{}.{}", db.name, db.schema)),
                "/isolation/database/schema",
                format!(
                    "schema `{}` of database `{}` is used by another tenant too; `schema` mode needs its own",
                    db.schema, db.name
                ),
            ),
            IsolationMode::Row => {}
        }
    }
    // Databases and schemas shared across modes.
    for (i, t) in tenants.iter().enumerate() {
        let db = &t.isolation.database;
        for (j, other) in tenants.iter().enumerate() {
            if i == j {
                continue;
            }
            let odb = &other.isolation.database;
            let clash = match (t.isolation.mode, other.isolation.mode) {
                (IsolationMode::Database, IsolationMode::Database) => false, // reported above
                (IsolationMode::Database, _) => db.name == odb.name,
                (IsolationMode::Schema, IsolationMode::Row) => {
                    db.name == odb.name && db.schema == odb.schema
                }
                _ => false,
            };
            if clash {
                out.push(SetProblem {
                    tenant: i,
                    other: j,
                    problem: Problem::new(
                        if t.isolation.mode == IsolationMode::Database {
                            "/isolation/database/name"
                        } else {
                            "/isolation/database/schema"
                        },
                        format!(
                            "tenant `{}` ({} mode) uses the same {} too",
                            other.slug,
                            other.isolation.mode.as_str(),
                            if t.isolation.mode == IsolationMode::Database {
                                "database"
                            } else {
                                "schema"
                            }
                        ),
                    ),
                });
            }
        }
    }
    // Key prefixes: equal, or one a prefix of another, lets one tenant read
    // the other's keys.
    for (i, t) in tenants.iter().enumerate() {
        let mine = t.isolation.cache.key_prefix.as_str();
        for (j, other) in tenants.iter().enumerate() {
            let theirs = other.isolation.cache.key_prefix.as_str();
            if i != j && theirs.starts_with(mine) && (mine != theirs || j < i) {
                let message = if mine == theirs {
                    format!(
                        "cache key prefix `{mine}` is used by tenant `{}` too",
                        other.slug
                    )
                } else {
                    format!(
                        "cache key prefix `{mine}` covers the prefix `{theirs}` of tenant `{}`",
                        other.slug
                    )
                };
                out.push(SetProblem {
                    tenant: i,
                    other: j,
                    problem: Problem::new("/isolation/cache/key_prefix", message),
                });
            }
        }
    }
    // Grants name tenants of the set. A single tenant checked alone is not
    // taken as the whole platform, so the rule needs at least two.
    let slugs: BTreeSet<&str> = tenants.iter().map(|t| t.slug.as_str()).collect();
    for (i, t) in tenants.iter().enumerate().filter(|_| tenants.len() > 1) {
        for (g, grant) in t.access_control.cross_tenant_grants.iter().enumerate() {
            if let Grantee::Tenant(slug) = &grant.grantee
                && !slugs.contains(slug.as_str())
            {
                out.push(SetProblem {
                    tenant: i,
                    other: i,
                    problem: Problem::new(
                        format!("/access_control/cross_tenant_grants/{g}/grantee/tenant"),
                        format!("tenant `{slug}` is not in this set of tenants"),
                    ),
                });
            }
        }
    }
    out
}

/// Checks a tenant against the platform: its regions exist and its isolation
/// is at least the platform's minimum.
pub fn check_against_platform(t: &Tenant, platform: &PlatformConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let known: Vec<&str> = platform.regions.iter().map(|r| r.name.as_str()).collect();
    let regions = std::iter::once((
        "/data_residency/region".to_owned(),
        &t.data_residency.region,
    ))
    .chain(
        t.data_residency
            .replica_regions
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("/data_residency/replica_regions/{i}"), r)),
    );
    for (pointer, region) in regions {
        if !known.contains(&region.as_str()) {
            problems.push(Problem::new(
                pointer,
                format!(
                    "region `{region}` is not one of the platform's regions: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    let switches = &platform.switches;
    if t.isolation.mode < switches.minimum_isolation {
        problems.push(Problem::new(
            "/isolation/mode",
            format!(
                "`{}` is weaker than the platform's minimum `{}`",
                t.isolation.mode.as_str(),
                switches.minimum_isolation.as_str()
            ),
        ));
    }
    if switches.strict_isolation && !t.isolation.strict {
        problems.push(Problem::new(
            "/isolation/strict",
            "the platform requires strict isolation",
        ));
    }
    problems
}

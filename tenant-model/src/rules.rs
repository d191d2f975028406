//! The rules between fields: references that must resolve, names that must be
//! unique, role inheritance without cycles, and the rules across a set of
//! tenants (unique ids, slugs, databases, cache prefixes).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::access::{AccessControl, Grantee, TimeWindow};
use crate::compliance::ComplianceRules;
use crate::error::{Problem, join};
use crate::isolation::IsolationMode;
use crate::parse::{Document, MAX_PROBLEMS};
use crate::platform::PlatformConfig;
use crate::secret::Secret;
use crate::tenant::Tenant;
use crate::text::{Name, Slug};

impl Document for Tenant {
    const KIND: &'static str = "tenant_base";

    fn schema_version(&self) -> Option<u32> {
        Some(self.schema_version)
    }

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        tenant_rules(self, problems);
    }

    fn secrets(&self) -> Vec<(String, &Secret)> {
        // The same positions as `parse::TENANT_SECRETS`; a test writes a
        // tenant with a secret at every one of them.
        let isolation = &self.isolation;
        let mut out: Vec<(String, &Secret)> = [
            ("/isolation/database/password", &isolation.database.password),
            ("/isolation/cache/password", &isolation.cache.password),
        ]
        .into_iter()
        .filter_map(|(pointer, secret)| secret.as_ref().map(|s| (pointer.to_owned(), s)))
        .collect();
        out.extend(
            self.slack
                .receivers
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("/slack/receivers/{i}/webhook_url"), &r.webhook_url)),
        );
        out
    }
}

impl Document for ComplianceRules {
    const KIND: &'static str = "compliance_rules";

    fn schema_version(&self) -> Option<u32> {
        Some(self.schema_version)
    }

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        unique(
            self.rules
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("/rules/{i}/id"), r.id.as_str())),
            "rule id",
            problems,
        );
        // Evidence must name a field a tenant document can have: a pointer
        // into nothing would make every tenant's evidence "missing" for a
        // reason no tenant can fix.
        for (i, rule) in self.rules.iter().enumerate() {
            if !crate::evidence::is_tenant_field(rule.evidence.as_str()) {
                problems.push(Problem::new(
                    format!("/rules/{i}/evidence"),
                    format!(
                        "`{}` is not a field of a tenant document",
                        crate::show::escape_controls(rule.evidence.as_str())
                    ),
                ));
            }
        }
    }
}

/// Checks compliance rules against the platform: every jurisdiction a rule
/// names is the jurisdiction of one of the platform's regions, and every
/// region it names is one of them. A rule naming an unknown one would
/// otherwise never apply, or always fail, and say nothing about why.
pub fn check_rules_against_platform(
    rules: &ComplianceRules,
    platform: &PlatformConfig,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let regions: BTreeSet<&str> = platform.regions.iter().map(|r| r.name.as_str()).collect();
    let jurisdictions: BTreeSet<&str> = platform
        .regions
        .iter()
        .map(|r| r.jurisdiction.as_str())
        .collect();
    let known = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join(", ");
    for (i, rule) in rules.rules.iter().enumerate() {
        for (j, name) in rule.applies_to.jurisdictions.iter().enumerate() {
            if !jurisdictions.contains(name.as_str()) {
                problems.push(Problem::new(
                    format!("/rules/{i}/applies_to/jurisdictions/{j}"),
                    format!(
                        "jurisdiction `{name}` is not one of the platform's: {}",
                        known(&jurisdictions)
                    ),
                ));
            }
        }
        for name in rule.check.jurisdictions() {
            if !jurisdictions.contains(name.as_str()) {
                problems.push(Problem::new(
                    format!("/rules/{i}/check"),
                    format!(
                        "jurisdiction `{name}` is not one of the platform's: {}",
                        known(&jurisdictions)
                    ),
                ));
            }
        }
        for name in rule.check.regions() {
            if !regions.contains(name.as_str()) {
                problems.push(Problem::new(
                    format!("/rules/{i}/check"),
                    format!(
                        "region `{name}` is not one of the platform's regions: {}",
                        known(&regions)
                    ),
                ));
            }
        }
    }
    problems
}

impl Document for PlatformConfig {
    const KIND: &'static str = "platform";

    fn schema_version(&self) -> Option<u32> {
        Some(self.schema_version)
    }

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        unique(
            self.regions
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("/regions/{i}/name"), r.name.as_str())),
            "region",
            problems,
        );
        unique(
            self.shared_tables
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("/shared_tables/{i}/table"), t.table.as_str())),
            "shared table",
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
    role_rules(ac, problems);
    let roles = role_positions(ac);
    for (i, binding) in ac.bindings.iter().enumerate() {
        let base = format!("/access_control/bindings/{i}");
        if !roles.contains_key(&binding.role) {
            problems.push(undefined_binding_role(i, &binding.role));
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

/// Checks the roles of an access-control section and the roles its bindings
/// name: role names are unique, every inherited role and every binding's
/// role is defined, and inheritance has no cycle. Document validation and
/// the policy compiler both apply these rules, from here.
pub fn check_roles(access_control: &AccessControl) -> Vec<Problem> {
    let mut problems = Vec::new();
    role_rules(access_control, &mut problems);
    let roles = role_positions(access_control);
    for (i, binding) in access_control.bindings.iter().enumerate() {
        if !roles.contains_key(&binding.role) {
            problems.push(undefined_binding_role(i, &binding.role));
        }
    }
    problems
}

fn undefined_binding_role(i: usize, role: &Name) -> Problem {
    Problem::new(
        format!("/access_control/bindings/{i}/role"),
        format!("role `{role}` is not defined"),
    )
}

/// Unique role names, defined parents, no cycles.
fn role_rules(ac: &AccessControl, problems: &mut Vec<Problem>) {
    unique(
        ac.roles
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("/access_control/roles/{i}/name"), r.name.as_str())),
        "role",
        problems,
    );
    let roles = role_positions(ac);
    for (i, role) in ac.roles.iter().enumerate() {
        for (j, parent) in role.inherits.iter().enumerate() {
            if !roles.contains_key(parent) {
                problems.push(Problem::new(
                    format!("/access_control/roles/{i}/inherits/{j}"),
                    format!("role `{parent}` is not defined"),
                ));
            }
        }
    }
    role_cycles(ac, &roles, problems);
}

/// Each role name at its first position.
fn role_positions(ac: &AccessControl) -> BTreeMap<&Name, usize> {
    let mut roles = BTreeMap::new();
    for (i, r) in ac.roles.iter().enumerate() {
        roles.entry(&r.name).or_insert(i);
    }
    roles
}

/// Reports each cycle in role inheritance once, at the edge that closes it.
fn role_cycles(ac: &AccessControl, roles: &BTreeMap<&Name, usize>, problems: &mut Vec<Problem>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let graph = &ac.roles;
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
#[non_exhaustive]
pub struct SetProblem {
    /// Index of the tenant the problem is reported on.
    pub tenant: usize,
    /// Index of the tenant it conflicts with.
    pub other: usize,
    /// The problem, with a pointer into the first tenant's document.
    pub problem: Problem,
    /// Slug of the tenant the problem is reported on (an index means
    /// little to the reader of a log).
    pub slug: Slug,
    /// Slug of the tenant it conflicts with.
    pub other_slug: Slug,
}

/// `tenant `SLUG`: POINTER: MESSAGE`, naming the tenant by slug.
impl std::fmt::Display for SetProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tenant `{}`: {}", self.slug, self.problem)
    }
}

/// A set problem is an error of its own.
impl std::error::Error for SetProblem {}

/// What a conflict across the set is about, in the order problems of one
/// tenant are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Clash {
    Id,
    Slug,
    DatabaseRole,
    AclUser,
    /// Two tenants in `database` mode name one database.
    Database,
    /// A tenant in `database` mode shares its database with one in another mode.
    DatabaseAcrossModes,
    /// Two tenants in `schema` mode name one schema.
    Schema,
    /// A tenant in `schema` mode shares its schema with one in `row` mode.
    SchemaAcrossModes,
    /// The same cache key prefix as an earlier tenant.
    SamePrefix,
    /// A cache key prefix that another tenant's starts with.
    CoversPrefix,
    /// A cross-tenant grant (its index) names a tenant outside the set.
    UnknownGrantee(usize),
}

/// A conflict found but not yet put in words: the set checks find every
/// conflict first (a few integers each, at most a few per tenant), then
/// build the messages of the first [`MAX_PROBLEMS`] only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    tenant: usize,
    clash: Clash,
    other: usize,
}

/// Groups `0..n` by `key`: each group of two or more, in ascending index
/// order. Sorting makes it O(n log n) whatever the number of equal keys.
fn groups<K: Ord>(n: usize, key: impl Fn(usize) -> K) -> Vec<Vec<usize>> {
    let mut order: Vec<(K, usize)> = (0..n).map(|i| (key(i), i)).collect();
    order.sort();
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let mut last: Option<&K> = None;
    for (k, i) in &order {
        if last != Some(k) {
            if run.len() > 1 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
            last = Some(k);
        }
        run.push(*i);
    }
    if run.len() > 1 {
        out.push(run);
    }
    out
}

/// Records `clash` on every member of each group after the first, against
/// the first.
fn after_first(groups: Vec<Vec<usize>>, clash: Clash, found: &mut Vec<Found>) {
    for group in groups {
        if let Some((&first, rest)) = group.split_first() {
            found.extend(rest.iter().map(|&tenant| Found {
                tenant,
                clash,
                other: first,
            }));
        }
    }
}

/// How one tenant's cache key prefix meets the other tenants' prefixes in a
/// set: the lowest index of another tenant with the same prefix, with a
/// prefix inside it (it *covers* theirs) and with a prefix it is inside
/// (it is *covered by* theirs), and how many other tenants are in any of
/// the three. Equal prefixes, or one a prefix of another, let one tenant
/// read the other's keys; [`check_tenant_set`] and tenant-policy's
/// isolation audit both judge prefixes by it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrefixOverlap {
    /// The lowest index of another tenant with the same prefix.
    pub same: Option<usize>,
    /// The lowest index of a tenant whose prefix starts with this one.
    pub covers: Option<usize>,
    /// The lowest index of a tenant whose prefix this one starts with.
    pub covered_by: Option<usize>,
    /// How many other tenants share, cover or are covered by this prefix.
    pub others: usize,
}

impl PrefixOverlap {
    /// Whether any other tenant's prefix meets this one.
    pub fn any(&self) -> bool {
        self.others > 0
    }
}

/// A run of equal prefixes, as a node of the tree of prefixes inside one
/// another.
struct PrefixNode<'a> {
    prefix: &'a str,
    /// Tenants with this prefix, ascending.
    members: Vec<usize>,
    /// Lowest index and count of the tenants whose prefix is inside this one.
    inside: (Option<usize>, usize),
    /// Lowest index and count of the tenants whose prefix this one is inside.
    around: (Option<usize>, usize),
}

fn min_of(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// [`PrefixOverlap`] of each prefix (by position in `prefixes`), in
/// O(n log n): sorted, the prefixes that start with `p` directly follow the
/// run of `p`, so a stack of the prefixes the current one starts with gives
/// both directions.
pub fn key_prefix_overlaps(prefixes: &[&str]) -> Vec<PrefixOverlap> {
    let mut order: Vec<(&str, usize)> = prefixes.iter().copied().zip(0..).collect();
    order.sort_unstable();
    let mut nodes: Vec<PrefixNode<'_>> = Vec::new();
    for (prefix, i) in order {
        match nodes.last_mut() {
            Some(node) if node.prefix == prefix => node.members.push(i),
            _ => nodes.push(PrefixNode {
                prefix,
                members: vec![i],
                inside: (None, 0),
                around: (None, 0),
            }),
        }
    }
    // The stack holds the chain of prefixes the current one may be inside,
    // each with the lowest index and count of its chain so far.
    let mut stack: Vec<(usize, Option<usize>, usize)> = Vec::new();
    let close = |nodes: &mut Vec<PrefixNode<'_>>, closed: usize, parent: Option<usize>| {
        let Some(node) = nodes.get(closed) else {
            return;
        };
        let (min, count) = node.inside;
        let own = (node.members.first().copied(), node.members.len());
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.inside = (
                min_of(p.inside.0, min_of(min, own.0)),
                p.inside.1 + count + own.1,
            );
        }
    };
    for k in 0..nodes.len() {
        let Some(prefix) = nodes.get(k).map(|n| n.prefix) else {
            continue;
        };
        while let Some(&(top, _, _)) = stack.last() {
            if nodes.get(top).is_some_and(|t| prefix.starts_with(t.prefix)) {
                break;
            }
            stack.pop();
            close(&mut nodes, top, stack.last().map(|&(p, _, _)| p));
        }
        let around = stack
            .last()
            .map_or((None, 0), |&(_, min, count)| (min, count));
        if let Some(node) = nodes.get_mut(k) {
            node.around = around;
            let chain = (
                min_of(around.0, node.members.first().copied()),
                around.1 + node.members.len(),
            );
            stack.push((k, chain.0, chain.1));
        }
    }
    while let Some((top, _, _)) = stack.pop() {
        close(&mut nodes, top, stack.last().map(|&(p, _, _)| p));
    }
    let mut out = vec![PrefixOverlap::default(); prefixes.len()];
    for node in &nodes {
        for &i in &node.members {
            let same = node.members.iter().copied().find(|&j| j != i);
            if let Some(slot) = out.get_mut(i) {
                *slot = PrefixOverlap {
                    same,
                    covers: node.inside.0,
                    covered_by: node.around.0,
                    others: node.members.len() - 1 + node.inside.1 + node.around.1,
                };
            }
        }
    }
    out
}

/// The tenants `0..n` that share a value of `key`: each group of two or
/// more, ascending. O(n log n) whatever the number of equal values;
/// [`check_tenant_set`] and tenant-policy's isolation audit both find
/// shared names, databases and schemas with it.
pub fn shared_values<K: Ord>(n: usize, key: impl Fn(usize) -> K) -> Vec<Vec<usize>> {
    groups(n, key)
}

/// Checks the rules across a set of tenants: ids (UUIDs, in any case),
/// slugs, PostgreSQL databases, schemas and roles, Redis ACL users and key
/// prefixes are not shared (a key prefix may not be a prefix of another's
/// either), and, in a set of two or more tenants, every cross-tenant grant
/// names a tenant of the set.
///
/// A conflict is reported on each tenant after the first that takes part
/// in it, naming the first. The work is O(n log n) in the number of tenants
/// whatever they share, and at most [`MAX_PROBLEMS`] problems are built: a
/// last problem then says how many more were found.
pub fn check_tenant_set(tenants: &[&Tenant]) -> Vec<SetProblem> {
    let n = tenants.len();
    let get = |i: usize| tenants.get(i).copied();
    let mut found: Vec<Found> = Vec::new();

    after_first(
        groups(n, |i| get(i).map(|t| t.id.uuid())),
        Clash::Id,
        &mut found,
    );
    after_first(
        groups(n, |i| get(i).map(|t| t.slug.as_str())),
        Clash::Slug,
        &mut found,
    );
    after_first(
        groups(n, |i| get(i).map(|t| t.isolation.database.role.as_str())),
        Clash::DatabaseRole,
        &mut found,
    );
    after_first(
        groups(n, |i| get(i).map(|t| t.isolation.cache.acl_user.as_str())),
        Clash::AclUser,
        &mut found,
    );

    // Databases and schemas, within a mode and across modes.
    let mode = |i: usize| get(i).map(|t| t.isolation.mode);
    for group in groups(n, |i| get(i).map(|t| t.isolation.database.name.as_str())) {
        let in_mode: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| mode(i) == Some(IsolationMode::Database))
            .collect();
        let other_mode = group
            .iter()
            .copied()
            .find(|&i| mode(i) != Some(IsolationMode::Database));
        if let Some(other) = other_mode {
            found.extend(in_mode.iter().map(|&tenant| Found {
                tenant,
                clash: Clash::DatabaseAcrossModes,
                other,
            }));
        }
        after_first(vec![in_mode], Clash::Database, &mut found);
    }
    for group in groups(n, |i| {
        get(i).map(|t| {
            let db = &t.isolation.database;
            (db.name.as_str(), db.schema.as_str())
        })
    }) {
        let in_mode: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| mode(i) == Some(IsolationMode::Schema))
            .collect();
        let row = group
            .iter()
            .copied()
            .find(|&i| mode(i) == Some(IsolationMode::Row));
        if let Some(other) = row {
            found.extend(in_mode.iter().map(|&tenant| Found {
                tenant,
                clash: Clash::SchemaAcrossModes,
                other,
            }));
        }
        after_first(vec![in_mode], Clash::Schema, &mut found);
    }

    // Key prefixes: equal, or one a prefix of another, lets one tenant read
    // the other's keys. Reported on the later of equal prefixes and on the
    // covering one.
    let prefixes: Vec<&str> = tenants
        .iter()
        .map(|t| t.isolation.cache.key_prefix.as_str())
        .collect();
    for (tenant, overlap) in key_prefix_overlaps(&prefixes).into_iter().enumerate() {
        if let Some(other) = overlap.same.filter(|&j| j < tenant) {
            found.push(Found {
                tenant,
                clash: Clash::SamePrefix,
                other,
            });
        }
        if let Some(other) = overlap.covers {
            found.push(Found {
                tenant,
                clash: Clash::CoversPrefix,
                other,
            });
        }
    }

    // Grants name tenants of the set. A single tenant checked alone is not
    // taken as the whole platform, so the rule needs at least two.
    let slugs: BTreeSet<&str> = tenants.iter().map(|t| t.slug.as_str()).collect();
    for (i, t) in tenants.iter().enumerate().filter(|_| n > 1) {
        for (g, grant) in t.access_control.cross_tenant_grants.iter().enumerate() {
            if let Grantee::Tenant(slug) = &grant.grantee
                && !slugs.contains(slug.as_str())
            {
                found.push(Found {
                    tenant: i,
                    clash: Clash::UnknownGrantee(g),
                    other: i,
                });
            }
        }
    }

    found.sort_unstable();
    let mut out: Vec<SetProblem> = found
        .iter()
        .take(MAX_PROBLEMS)
        .filter_map(|f| set_problem(tenants, *f))
        .collect();
    if let Some(first_left) = found.get(MAX_PROBLEMS)
        && let Some(t) = tenants.get(first_left.tenant)
    {
        let more = found.len() - MAX_PROBLEMS;
        out.push(SetProblem {
            tenant: first_left.tenant,
            other: first_left.tenant,
            slug: t.slug.clone(),
            other_slug: t.slug.clone(),
            problem: Problem::new(
                "",
                format!(
                    "{more} more problems across the set of tenants are not shown; only the first {MAX_PROBLEMS} are"
                ),
            ),
        });
    }
    out
}

/// The words of a conflict.
fn set_problem(tenants: &[&Tenant], f: Found) -> Option<SetProblem> {
    let t = tenants.get(f.tenant)?;
    let other = tenants.get(f.other)?;
    let db = &t.isolation.database;
    let (pointer, message) = match f.clash {
        Clash::Id => (
            "/id".to_owned(),
            format!("id `{}` is used by another tenant too", t.id),
        ),
        Clash::Slug => (
            "/slug".to_owned(),
            format!("slug `{}` is used by another tenant too", t.slug),
        ),
        Clash::DatabaseRole => (
            "/isolation/database/role".to_owned(),
            format!(
                "PostgreSQL role `{}` is used by another tenant too (roles are shared by the whole server)",
                db.role
            ),
        ),
        Clash::AclUser => (
            "/isolation/cache/acl_user".to_owned(),
            format!(
                "Redis ACL user `{}` is used by another tenant too",
                t.isolation.cache.acl_user
            ),
        ),
        Clash::Database => (
            "/isolation/database/name".to_owned(),
            format!(
                "database `{}` is used by another tenant too; `database` mode needs its own",
                db.name
            ),
        ),
        Clash::DatabaseAcrossModes => (
            "/isolation/database/name".to_owned(),
            format!(
                "tenant `{}` ({} mode) uses the same database too",
                other.slug,
                other.isolation.mode.as_str()
            ),
        ),
        Clash::Schema => (
            "/isolation/database/schema".to_owned(),
            format!(
                "schema `{}` of database `{}` is used by another tenant too; `schema` mode needs its own",
                db.schema, db.name
            ),
        ),
        Clash::SchemaAcrossModes => (
            "/isolation/database/schema".to_owned(),
            format!(
                "tenant `{}` ({} mode) uses the same schema too",
                other.slug,
                other.isolation.mode.as_str()
            ),
        ),
        Clash::SamePrefix => (
            "/isolation/cache/key_prefix".to_owned(),
            format!(
                "cache key prefix `{}` is used by tenant `{}` too",
                t.isolation.cache.key_prefix, other.slug
            ),
        ),
        Clash::CoversPrefix => (
            "/isolation/cache/key_prefix".to_owned(),
            format!(
                "cache key prefix `{}` covers the prefix `{}` of tenant `{}`",
                t.isolation.cache.key_prefix, other.isolation.cache.key_prefix, other.slug
            ),
        ),
        Clash::UnknownGrantee(g) => {
            let grant = t.access_control.cross_tenant_grants.get(g)?;
            let Grantee::Tenant(slug) = &grant.grantee else {
                return None;
            };
            (
                format!("/access_control/cross_tenant_grants/{g}/grantee/tenant"),
                format!("tenant `{slug}` is not in this set of tenants"),
            )
        }
    };
    Some(SetProblem {
        tenant: f.tenant,
        other: f.other,
        problem: Problem::new(pointer, message),
        slug: t.slug.clone(),
        other_slug: other.slug.clone(),
    })
}

/// The bytes of PromQL one document's queries may hold in all.
pub const MAX_QUERY_BYTES: usize = 1 << 20;

/// The operators one document's queries may hold in all.
pub const MAX_QUERY_OPERATORS: usize = 20_000;

/// Every PromQL query of a tenant (alert and recording rules, SLI queries
/// with `$window` filled in, dashboard panels), locked to the tenant as the
/// renderers lock it ([`crate::promql::lock`]): a query that is not PromQL,
/// uses grammar Prometheus 2.42 does not read, or matches `tenant_label`
/// with anything but the tenant's own slug is a problem at its pointer.
///
/// The work is bounded: each query may hold at most 200 operators (the
/// parser's cost grows with their square), and a document's queries at most
/// [`MAX_QUERY_BYTES`] and [`MAX_QUERY_OPERATORS`] in all; past either, one
/// problem says so and the rest is not parsed.
pub fn check_queries(t: &Tenant, tenant_label: &str) -> Vec<Problem> {
    check_queries_with(t, tenant_label, &QueryVerdicts::default())
}

/// Verdicts of [`check_queries_with`] shared between the tenants of one run,
/// so that a query text many tenants hold is parsed once.
///
/// Parsing is most of the cost of checking a document (the PromQL parser
/// compiles every regular expression it meets). Only queries whose verdict
/// cannot depend on the slug are shared: those that do not contain the tenant
/// label's name or a backslash (an escape could spell the name), so no
/// matcher can name the label and the lock's outcome is the same for every
/// tenant. Anything else is checked per tenant. Safe to share between
/// threads; it holds one entry per distinct shared query text.
#[derive(Debug, Default)]
pub struct QueryVerdicts {
    /// By label, then SLI query or not, then text: `None` if the query
    /// locks, else the problem's message. Nested so that a lookup borrows
    /// the texts instead of building a key.
    seen: std::sync::Mutex<HashMap<String, SharedVerdicts>>,
}

/// The verdicts of one tenant label.
#[derive(Debug, Default)]
struct SharedVerdicts {
    queries: HashMap<String, Option<String>>,
    slis: HashMap<String, Option<String>>,
}

impl SharedVerdicts {
    fn of(&mut self, sli: bool) -> &mut HashMap<String, Option<String>> {
        if sli {
            &mut self.slis
        } else {
            &mut self.queries
        }
    }
}

impl QueryVerdicts {
    /// The verdict on `query`, from the memo when it is shareable.
    fn verdict(
        &self,
        query: &str,
        label: &str,
        sli: bool,
        lock: impl Fn() -> Result<String, crate::promql::LockError>,
    ) -> Option<String> {
        let check = || lock().err().map(|e| e.message().to_owned());
        if query.contains('\\') || query.contains(label) {
            return check();
        }
        let seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_mut(label)
            .and_then(|shared| shared.of(sli).get(query).cloned());
        if let Some(found) = seen {
            return found;
        }
        // Parsed without holding the lock, so threads check in parallel; two
        // threads may parse the same text once each, with the same verdict.
        let verdict = check();
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(label.to_owned())
            .or_default()
            .of(sli)
            .insert(query.to_owned(), verdict.clone());
        verdict
    }
}

/// [`check_queries`], sharing the verdicts on queries that do not depend on
/// the slug with the other tenants checked with the same `verdicts`; the
/// problems are exactly those of [`check_queries`].
pub fn check_queries_with(
    t: &Tenant,
    tenant_label: &str,
    verdicts: &QueryVerdicts,
) -> Vec<Problem> {
    let slug = t.slug.as_str();
    let mut problems = Vec::new();
    let mut bytes = 0usize;
    let mut operators = 0usize;
    let mut over = false;
    // The pointer is only written for a query with a problem.
    let mut check = |pointer: &dyn Fn() -> String, query: &str, sli: bool| {
        if over {
            return;
        }
        bytes += query.len();
        operators += crate::promql::count_operators(query);
        if bytes > MAX_QUERY_BYTES || operators > MAX_QUERY_OPERATORS {
            over = true;
            problems.push(Problem::new(
                "/monitoring",
                format!(
                    "the queries hold more than {MAX_QUERY_BYTES} bytes or {MAX_QUERY_OPERATORS} operators in all; the rest were not checked (from {} on)",
                    pointer()
                ),
            ));
            return;
        }
        let verdict = verdicts.verdict(query, tenant_label, sli, || {
            if sli {
                crate::promql::lock_sli(query, "5m", tenant_label, slug)
            } else {
                crate::promql::lock(query, tenant_label, slug)
            }
        });
        if let Some(message) = verdict {
            problems.push(Problem::new(pointer(), message));
        }
    };
    let m = &t.monitoring;
    for (i, r) in m.alert_rules.iter().enumerate() {
        check(
            &|| format!("/monitoring/alert_rules/{i}/expr"),
            &r.expr,
            false,
        );
    }
    for (i, r) in m.recording_rules.iter().enumerate() {
        check(
            &|| format!("/monitoring/recording_rules/{i}/expr"),
            &r.expr,
            false,
        );
    }
    for (i, s) in m.slos.iter().enumerate() {
        for (field, query) in [
            ("error_query", &s.sli.error_query),
            ("total_query", &s.sli.total_query),
        ] {
            check(&|| format!("/monitoring/slos/{i}/sli/{field}"), query, true);
        }
    }
    for (i, d) in m.dashboards.iter().enumerate() {
        for (j, p) in d.panels.iter().enumerate() {
            for (k, q) in p.queries.iter().enumerate() {
                check(
                    &|| format!("/monitoring/dashboards/{i}/panels/{j}/queries/{k}/expr"),
                    &q.expr,
                    false,
                );
            }
        }
    }
    problems
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
    if let Some(region) = &t.isolation.encryption.key_region
        && !known.contains(&region.as_str())
    {
        problems.push(Problem::new(
            "/isolation/encryption/key_region",
            format!(
                "region `{region}` is not one of the platform's regions: {}",
                known.join(", ")
            ),
        ));
    }
    let jurisdictions: BTreeSet<&str> = platform
        .regions
        .iter()
        .map(|r| r.jurisdiction.as_str())
        .collect();
    for (i, transfer) in t.data_residency.transfers.iter().enumerate() {
        if !jurisdictions.contains(transfer.to.as_str()) {
            problems.push(Problem::new(
                format!("/data_residency/transfers/{i}/to"),
                format!(
                    "jurisdiction `{}` is not one of the platform's: {}",
                    transfer.to,
                    jurisdictions.iter().copied().collect::<Vec<_>>().join(", ")
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

#[cfg(test)]
mod tests {
    //! The rules across a set of tenants, at sizes where quadratic work or
    //! unbounded problems would show.
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

    use super::*;
    use crate::parse::{Format, parse};
    use crate::text::{KeyPrefix, Slug, SqlIdentifier, TenantId};

    fn base() -> Tenant {
        let yaml = r#"
schema_version: 1
id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
slug: tenant-0
display_name: Test
tier: professional
status: active
locale: en
time_zone: Europe/Paris
data_residency: { region: eu-west-1 }
contacts:
  - { name: Ops, email: ops@example.com, role: owner }
isolation:
  mode: schema
  database: { name: music, schema: tenant_0, role: tenant_0_app }
  cache: { key_prefix: "tenant-0:", acl_user: tenant-0 }
"#;
        parse(yaml, Format::Yaml).unwrap()
    }

    #[test]
    fn shared_tables_are_optional_unique_and_checked_identifiers() {
        let base = "schema_version: 1\nregions: [{ name: eu-west-1, jurisdiction: eu }]\n";
        let none: PlatformConfig = parse(base, Format::Yaml).unwrap();
        assert!(none.shared_tables.is_empty());
        let with =
            format!("{base}shared_tables:\n  - {{ table: tracks, tenant_column: tenant_id }}\n");
        let p: PlatformConfig = parse(&with, Format::Yaml).unwrap();
        assert_eq!(p.shared_tables.len(), 1);
        assert_eq!(p.shared_tables[0].tenant_column.as_str(), "tenant_id");
        let twice = format!(
            "{base}shared_tables:\n  - {{ table: tracks, tenant_column: tenant_id }}\n  - {{ table: tracks, tenant_column: owner }}\n"
        );
        let problems = parse::<PlatformConfig>(&twice, Format::Yaml).unwrap_err();
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|p| p.contains("/shared_tables/1/table") && p.contains("defined twice")),
            "{shown:?}"
        );
        for bad in [
            "{ table: Tracks, tenant_column: tenant_id }",
            "{ table: user, tenant_column: tenant_id }",
            "{ table: tracks }",
            "{ table: tracks, tenant_column: tenant_id, schema: x }",
        ] {
            let text = format!("{base}shared_tables:\n  - {bad}\n");
            let problems = parse::<PlatformConfig>(&text, Format::Yaml).unwrap_err();
            assert!(
                problems
                    .iter()
                    .all(|p| p.pointer().starts_with("/shared_tables/0")),
                "{bad}: {:?}",
                problems.iter().map(|p| p.to_string()).collect::<Vec<_>>()
            );
        }
    }

    /// `n` tenants, distinct in everything but what `shape` changes.
    fn tenants(n: usize, shape: impl Fn(usize, &mut Tenant)) -> Vec<Tenant> {
        let base = base();
        (0..n)
            .map(|i| {
                let mut t = base.clone();
                t.id = TenantId::new(format!("0b7c6f1e-3a52-4f0e-9d43-{i:012x}")).unwrap();
                t.slug = Slug::new(format!("tenant-{i}")).unwrap();
                let db = &mut t.isolation.database;
                db.schema = SqlIdentifier::new(format!("tenant_{i}")).unwrap();
                db.role = SqlIdentifier::new(format!("tenant_{i}_app")).unwrap();
                t.isolation.cache.key_prefix = KeyPrefix::new(format!("tenant-{i}:")).unwrap();
                t.isolation.cache.acl_user = Name::new(format!("tenant-{i}")).unwrap();
                shape(i, &mut t);
                t
            })
            .collect()
    }

    fn check(tenants: &[Tenant]) -> Vec<SetProblem> {
        let refs: Vec<&Tenant> = tenants.iter().collect();
        check_tenant_set(&refs)
    }

    fn messages(found: &[SetProblem]) -> Vec<String> {
        found
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}: {}",
                    f.tenant,
                    f.other,
                    f.problem.pointer(),
                    f.problem.message()
                )
            })
            .collect()
    }

    /// Shared verdicts change no outcome: every tenant gets exactly the
    /// problems a check of its own finds, whether its query names the tenant
    /// label (its own slug, another's, through an escape) or not.
    #[test]
    fn shared_query_verdicts_give_each_tenant_its_own_problems() {
        let long = "x+".repeat(250);
        let exprs = [
            r#"up{tenant="tenant-0"}"#,
            r#"up{tenant="tenant-1"}"#,
            r#"up{tenant=~"tenant-.*"}"#,
            r#"up{"ten\x61nt"="tenant-0"}"#,
            r#"sum by (job) (rate(http_requests_total{job=~"api|web"}[5m]))"#,
            "sum(",
            long.trim_end_matches('+'),
            r#"absent(up{tenant_x="1"})"#,
        ];
        let slo = |error: &str| {
            serde_json::json!({
                "name": "availability",
                "objective": 99.9,
                "period": "30d",
                "sli": {
                    "error_query": error,
                    "total_query": "sum(rate(http_requests_total[$window]))",
                },
            })
        };
        let set = tenants(3, |_, t| {
            t.monitoring.alert_rules = exprs
                .iter()
                .map(|e| {
                    serde_json::from_value(serde_json::json!({
                        "alert": "A", "expr": e, "severity": "info", "summary": "s",
                    }))
                    .unwrap()
                })
                .collect();
            t.monitoring.slos = vec![
                serde_json::from_value(slo(
                    r#"sum(rate(errors_total{tenant="tenant-1"}[$window]))"#,
                ))
                .unwrap(),
                serde_json::from_value(slo("sum(rate(errors_total[5m]))")).unwrap(),
                serde_json::from_value(slo("sum(rate(errors_total[$window]))")).unwrap(),
            ];
        });
        let shown = |p: Vec<Problem>| -> Vec<String> { p.iter().map(|p| p.to_string()).collect() };
        for label in ["tenant", "job"] {
            let verdicts = QueryVerdicts::default();
            let mut differ = false;
            let mut first: Option<Vec<String>> = None;
            for t in &set {
                let alone = shown(check_queries(t, label));
                assert_eq!(shown(check_queries_with(t, label, &verdicts)), alone);
                differ |= first.get_or_insert_with(|| alone.clone()) != &alone;
            }
            // The set is built so that the slug matters: the check above
            // would be vacuous if every tenant had the same problems.
            assert!(differ, "{label}");
        }
    }

    /// A document full of the costliest queries the per-query bound allows
    /// is checked up to the document's budget, then reported once.
    #[test]
    fn query_checks_stop_at_the_documents_budget() {
        let mut t = base();
        let rule: crate::monitoring::AlertRule = serde_json::from_value(serde_json::json!({
            "alert": "Costly",
            "expr": "x+".repeat(190) + "x",
            "severity": "info",
            "summary": "s",
        }))
        .unwrap();
        t.monitoring.alert_rules = vec![rule; 500];
        let problems = check_queries(&t, "tenant");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].pointer(), "/monitoring");
        assert!(
            problems[0]
                .message()
                .contains("/monitoring/alert_rules/105/expr"),
            "{}",
            problems[0].message()
        );
        // Under the budget every query is checked.
        t.monitoring.alert_rules.truncate(100);
        assert!(check_queries(&t, "tenant").is_empty());
    }

    #[test]
    fn distinct_tenants_have_no_problems() {
        assert_eq!(check(&tenants(50, |_, _| {})), vec![]);
    }

    #[test]
    fn thousands_of_tenants_sharing_a_prefix_build_bounded_problems() {
        for n in [3_000, 20_000] {
            let set = tenants(n, |_, t| {
                t.isolation.cache.key_prefix = KeyPrefix::new("shared:").unwrap();
            });
            let found = check(&set);
            assert_eq!(found.len(), MAX_PROBLEMS + 1, "{n}");
            assert!(found[..MAX_PROBLEMS].iter().all(|f| f.other == 0
                && f.problem.message()
                    == "cache key prefix `shared:` is used by tenant `tenant-0` too"));
            let last = found.last().unwrap();
            assert_eq!(
                last.problem.message(),
                format!(
                    "{} more problems across the set of tenants are not shown; only the first {MAX_PROBLEMS} are",
                    n - 1 - MAX_PROBLEMS
                )
            );
        }
    }

    #[test]
    fn prefixes_inside_one_another_are_found_by_neighbours() {
        let prefixes = ["a:", "a:b:", "a:b:c:", "b:", "a:", "c:", "c:x:"];
        let set = tenants(prefixes.len(), |i, t| {
            t.isolation.cache.key_prefix = KeyPrefix::new(prefixes[i]).unwrap();
        });
        assert_eq!(
            messages(&check(&set)),
            [
                "0 1 /isolation/cache/key_prefix: cache key prefix `a:` covers the prefix `a:b:` of tenant `tenant-1`",
                "1 2 /isolation/cache/key_prefix: cache key prefix `a:b:` covers the prefix `a:b:c:` of tenant `tenant-2`",
                "4 0 /isolation/cache/key_prefix: cache key prefix `a:` is used by tenant `tenant-0` too",
                "4 1 /isolation/cache/key_prefix: cache key prefix `a:` covers the prefix `a:b:` of tenant `tenant-1`",
                "5 6 /isolation/cache/key_prefix: cache key prefix `c:` covers the prefix `c:x:` of tenant `tenant-6`",
            ]
        );
    }

    #[test]
    fn prefix_overlaps_agree_with_comparing_every_pair() {
        // Prefixes of up to three segments over a small alphabet: many
        // equal ones and many inside one another.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        for size in [1, 2, 5, 30, 200] {
            let prefixes: Vec<String> = (0..size)
                .map(|_| {
                    let depth = 1 + next() % 3;
                    (0..depth)
                        .map(|_| ["a:", "b:", "ab:"][next() % 3])
                        .collect()
                })
                .collect();
            let refs: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            let got = key_prefix_overlaps(&refs);
            for (i, mine) in refs.iter().enumerate() {
                let others = |f: &dyn Fn(&str) -> bool| {
                    (0..size)
                        .filter(|&j| j != i && f(refs[j]))
                        .collect::<Vec<_>>()
                };
                let same = others(&|p| p == *mine);
                let covers = others(&|p| p != *mine && p.starts_with(mine));
                let covered = others(&|p| p != *mine && mine.starts_with(p));
                let expected = PrefixOverlap {
                    same: same.first().copied(),
                    covers: covers.first().copied(),
                    covered_by: covered.first().copied(),
                    others: same.len() + covers.len() + covered.len(),
                };
                assert_eq!(got[i], expected, "{i} `{mine}` in {refs:?}");
            }
        }
    }

    #[test]
    fn a_uuid_in_two_cases_is_one_id() {
        let set = tenants(3, |i, t| {
            let id = match i {
                0 => "0B7C6F1E-3A52-4F0E-9D43-5F0F6A2D8C11",
                _ => "0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11",
            };
            t.id = TenantId::new(id).unwrap();
        });
        let found = messages(&check(&set));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("1 0 /id: id `"), "{found:?}");
        assert!(found[1].starts_with("2 0 /id: id `"), "{found:?}");
    }

    #[test]
    fn databases_and_schemas_shared_within_and_across_modes() {
        let set = tenants(4, |i, t| {
            let db = &mut t.isolation.database;
            db.schema = SqlIdentifier::new("shared").unwrap();
            t.isolation.mode = match i {
                0 | 1 => IsolationMode::Schema,
                2 => IsolationMode::Row,
                _ => IsolationMode::Database,
            };
        });
        assert_eq!(
            messages(&check(&set)),
            [
                "0 2 /isolation/database/schema: tenant `tenant-2` (row mode) uses the same schema too",
                "1 0 /isolation/database/schema: schema `shared` of database `music` is used by another tenant too; `schema` mode needs its own",
                "1 2 /isolation/database/schema: tenant `tenant-2` (row mode) uses the same schema too",
                "3 0 /isolation/database/name: tenant `tenant-0` (schema mode) uses the same database too",
            ]
        );
    }
}

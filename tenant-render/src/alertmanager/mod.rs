//! The `alertmanager` target: one routing tree for every tenant
//! (`alertmanager/alertmanager.yml`), the tenants' localized Slack templates
//! (`alertmanager/templates/shard-<nn>.tmpl`, see [`template_shard`]) and
//! their webhook URL files (`alertmanager/secrets/<slug>-<receiver>.url`,
//! secret).
//!
//! # Template files
//!
//! The shared tree's templates are bundled: each tenant's defines go to one
//! of [`TEMPLATE_SHARDS`] files chosen by a hash of its slug, so a tenant
//! keeps its file when others are added or removed. Alertmanager 0.25
//! (Go's `text/template`) re-walks every template already parsed for each
//! new file, so 10 000 per-tenant files took 155 s and 2 GB to load;
//! 100 shards load in seconds (numbers in `bench/README.md`). Each tenant's
//! block in a shard opens with a `{{/* tenant <slug> */}}` comment, and
//! every define's name starts with `<slug>.`, so bundling does not let one
//! tenant's receivers reach another's defines.
//!
//! # The tree
//!
//! The root route goes to the platform's receiver `tenant-kit:platform`
//! (no integration) and groups by the tenant label and `alertname`. Below
//! it, one route per tenant matches `<tenant_label>="<slug>"` exactly (a
//! quoted matcher), groups by the tenant label and the tenant's `group_by`
//! (default `alertname`, `severity`), takes the tenant's group wait,
//! interval and repeat, and falls back to the tenant's null receiver
//! `<slug>:none`: an alert of a tenant never leaves its subtree. Receivers
//! are named `<slug>/<receiver>`; `:` and `/` are in no slug or receiver
//! name, so no name of one tenant equals a name of another or the
//! platform's.
//!
//! With many tenants the tree is *sharded* (the platform's
//! `monitoring.alertmanager_route_tree`: `auto`, the default, shards from
//! [`SHARDED_FROM_TENANTS`] tenants on; `flat` and `sharded` force a
//! layout): the tenant routes, in slug order, are grouped below one outer
//! route per shard, `<tenant_label>=~"<regex>"` on the slug's first
//! characters (`t000[0-2].*`), so an alert walks the shard routes and then
//! one shard's tenant routes, not every tenant's route. A shard route has
//! nothing but its matcher (`continue` false): it inherits the root's
//! platform receiver, grouping and timings, so an alert whose tenant label
//! matches a shard but no tenant of it ends where it ends in the flat tree,
//! and every tenant route sets its own receiver, `group_by` and timings.
//! The shards are disjoint, so the tenant route an alert reaches and
//! everything below it is the same in both layouts (see [`shards`] for how
//! the regexes are cut). Inhibit rules and time intervals do not depend on
//! the layout.
//!
//! Below the tenant route there is one route per severity (`critical`,
//! `warning`, `info`, and `severity!~"critical|warning|info"` for the rest)
//! whose children are the tenant's routes that apply to that severity, in
//! the document's order, then its `default_receiver`. This expansion is
//! what makes `when` and maintenance windows exact in Alertmanager:
//!
//! - a route with `when: business_hours` gets `active_time_intervals:
//!   [<slug>:business-hours]`, one with `outside_business_hours` gets it as
//!   `mute_time_intervals`. Alertmanager still *matches* a route outside its
//!   active times, which would stop the walk, so such a route is written
//!   with `continue: true`, and every later route of that severity is muted
//!   during the times the timed route took (a route the document wrote
//!   without `continue` stops the walk only when it is active). A route that
//!   can never be reached is left out. Where the document writes
//!   `continue`, it is kept.
//! - a maintenance window becomes the time interval
//!   `<slug>:maintenance:<name>` and is added to `mute_time_intervals` of
//!   the routes of the severities it names only.
//! - a receiver that accepts only some `severities` appears only under
//!   those.
//!
//! Business hours and weekly windows are weekday and time ranges, one-off
//! windows are cut into calendar days; all with `location` = the tenant's
//! time zone. Inhibition never crosses tenants: every inhibit rule has the
//! tenant label in `equal` (a critical alert inhibits the warning and info
//! alerts of the same name of the same tenant, a warning the info ones).
//!
//! # Receivers
//!
//! With the platform switch `slack_webhooks_enabled` on, each receiver has
//! one `slack_configs` entry: `api_url_file: secrets/<slug>-<receiver>.url`,
//! its channel and username (as Go literals: Alertmanager
//! executes every field as a template), an explicit `send_resolved`, and
//! `title`, `text`, `color` and two fields from the tenant's templates. The
//! URL comes from the secret resolver; a secret it cannot resolve is a
//! problem at `/slack/receivers/<i>/webhook_url`. With the switch off the
//! receivers exist without integrations and no URL is resolved.
//!
//! Alertmanager 0.25 resolves `templates` against the config file's folder
//! but opens `api_url_file` relative to its *working directory* (checked
//! with the real server): run it in the `alertmanager/` folder of the
//! bundle (systemd `WorkingDirectory=`), as the conformance suite does.

use secrecy::{ExposeSecret, SecretString};
use tenant_model::{Problem, RouteTime, RouteTree, Severity, Tenant};

use crate::escape::{gotmpl, yaml};
use crate::{Bundle, Context, Problems, internal};

pub(crate) mod config;
mod intervals;
mod shards;
pub(crate) mod templates;

use config::{
    Config, InhibitRule, Receiver, Route, SlackConfig, SlackField, TimeIntervalSet, matcher,
};
use templates::TemplateSet;

/// The platform's receiver: alerts without a tenant label.
pub(crate) const PLATFORM_RECEIVER: &str = "tenant-kit:platform";

/// The receiver name of a tenant's receiver.
pub(crate) fn receiver_name(tenant: &Tenant, receiver: &str) -> String {
    format!("{}/{receiver}", tenant.slug.as_str())
}

/// The tenant's null receiver: its alerts that no route takes.
pub(crate) fn null_receiver(tenant: &Tenant) -> String {
    format!("{}:none", tenant.slug.as_str())
}

/// The webhook URL file of a receiver, relative to `alertmanager/`.
pub(crate) fn secret_file(tenant: &Tenant, receiver: &str) -> String {
    format!("secrets/{}-{receiver}.url", tenant.slug.as_str())
}

/// The template file of a tenant's own Alertmanager config (Mimir).
pub(crate) fn template_file(tenant: &Tenant) -> String {
    format!("{}.tmpl", tenant.slug.as_str())
}

/// How many template files the shared tree's templates are bundled into.
pub(crate) const TEMPLATE_SHARDS: u32 = 100;

/// The shard file (relative to `alertmanager/templates/`) that holds the
/// templates of the tenant with this slug in the shared tree:
/// `shard-<nn>.tmpl`, `nn` the 32-bit FNV-1a hash of the slug modulo
/// [`TEMPLATE_SHARDS`], two digits. Stable: it depends on the slug only.
pub(crate) fn template_shard(slug: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in slug.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("shard-{:02}.tmpl", hash % TEMPLATE_SHARDS)
}

/// Everything about one tenant's alerting that the three shapes (shared
/// tree, Mimir, Operator) are made from.
pub(crate) struct TenantAlerting {
    /// The tenant's route, without the tenant matcher.
    pub(crate) route: Route,
    pub(crate) receivers: Vec<TenantReceiver>,
    pub(crate) time_intervals: Vec<TimeIntervalSet>,
    pub(crate) sets: Vec<TemplateSet>,
    /// Localized titles of the severity, status and tenant fields (Go literals).
    pub(crate) field_titles: (String, String, String),
    /// The tenant's display name as a Go literal.
    pub(crate) tenant_literal: String,
}

/// One receiver of a tenant.
pub(crate) struct TenantReceiver {
    /// The receiver's name in the tenant's document.
    pub(crate) name: String,
    /// `<slug>/<name>`.
    pub(crate) full_name: String,
    /// The Slack integration, when webhooks are switched on.
    pub(crate) slack: Option<SlackParts>,
}

/// What a receiver's Slack integration is made from.
pub(crate) struct SlackParts {
    pub(crate) url: SecretString,
    pub(crate) channel: String,
    pub(crate) username: Option<String>,
    pub(crate) send_resolved: bool,
    /// Index into [`TenantAlerting::sets`].
    pub(crate) set: usize,
}

/// How a Slack config refers to its webhook URL.
pub(crate) enum UrlMode<'a> {
    /// `api_url_file` with this path.
    File(String),
    /// `api_url` inline (Mimir).
    Inline(&'a SecretString),
}

impl TenantAlerting {
    /// The Slack config of a receiver, its template calls by name.
    pub(crate) fn slack_config(&self, parts: &SlackParts, url: UrlMode<'_>) -> SlackConfig {
        let set = self.sets.get(parts.set);
        let call = |part: &str| set.map(|s| s.call(part)).unwrap_or_default();
        let (severity, status, tenant) = &self.field_titles;
        let (api_url, api_url_file) = match url {
            UrlMode::File(path) => (None, Some(path)),
            UrlMode::Inline(url) => (Some(url.expose_secret().to_owned()), None),
        };
        SlackConfig {
            api_url,
            api_url_file,
            channel: gotmpl::literal(&parts.channel),
            username: parts.username.as_deref().map(gotmpl::literal),
            send_resolved: parts.send_resolved,
            color: call("color"),
            title: call("title"),
            text: call("text"),
            fields: vec![
                SlackField {
                    title: severity.clone(),
                    value: call("severity"),
                    short: true,
                },
                SlackField {
                    title: status.clone(),
                    value: call("status"),
                    short: true,
                },
                SlackField {
                    title: tenant.clone(),
                    value: self.tenant_literal.clone(),
                    short: true,
                },
            ],
        }
    }

    /// The receivers with their Slack configs, the null receiver first.
    pub(crate) fn receivers(
        &self,
        tenant: &Tenant,
        mut url: impl FnMut(&TenantReceiver) -> Option<UrlMode<'_>>,
    ) -> Vec<Receiver> {
        let mut out = vec![Receiver {
            name: null_receiver(tenant),
            slack_configs: Vec::new(),
        }];
        for r in &self.receivers {
            let slack_configs = match (&r.slack, url(r)) {
                (Some(parts), Some(mode)) => vec![self.slack_config(parts, mode)],
                _ => Vec::new(),
            };
            out.push(Receiver {
                name: r.full_name.clone(),
                slack_configs,
            });
        }
        out
    }
}

/// When a route is active: always, only inside or only outside business
/// hours, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Always,
    Inside,
    Outside,
    Never,
}

impl Gate {
    fn and(self, other: Gate) -> Gate {
        match (self, other) {
            (Gate::Never, _) | (_, Gate::Never) => Gate::Never,
            (Gate::Always, g) | (g, Gate::Always) => g,
            (a, b) if a == b => a,
            _ => Gate::Never,
        }
    }

    fn not(self) -> Gate {
        match self {
            Gate::Always => Gate::Never,
            Gate::Inside => Gate::Outside,
            Gate::Outside => Gate::Inside,
            Gate::Never => Gate::Always,
        }
    }
}

fn accepts(severities: &[Severity], severity: Option<Severity>) -> bool {
    severities.is_empty() || severity.is_some_and(|s| severities.contains(&s))
}

/// Builds a tenant's alerting; problems are pushed and `None` returned.
pub(crate) fn tenant_alerting(
    cx: &Context<'_>,
    tenant: &Tenant,
    problems: &mut Problems,
) -> Option<TenantAlerting> {
    let before = problems.len();
    let slug = tenant.slug.as_str();
    let routing = &tenant.monitoring.routing;
    let receivers = &tenant.slack.receivers;
    let business_hours = format!("{slug}:business-hours");

    // Template sets: the built-in one, then one per tenant template.
    let mut sets = Vec::new();
    for template in std::iter::once(None).chain((0..tenant.slack.templates.len()).map(Some)) {
        match templates::set(tenant, template) {
            Ok(set) => sets.push(set),
            Err(problem) => problems.tenant(tenant, problem),
        }
    }
    let field_titles = match templates::field_titles(tenant) {
        Ok(titles) => titles,
        Err(problem) => {
            problems.tenant(tenant, problem);
            Default::default()
        }
    };

    // Time intervals.
    let mut time_intervals = Vec::new();
    if let Some(window) = &routing.business_hours {
        time_intervals.push(TimeIntervalSet {
            name: business_hours.clone(),
            time_intervals: vec![intervals::weekly(tenant, window)],
        });
    }
    let mut maintenance: Vec<(String, &[Severity])> = Vec::new();
    for (i, window) in routing.maintenance_windows.iter().enumerate() {
        let mut list = Vec::new();
        if let Some(weekly) = &window.weekly {
            list.push(intervals::weekly(tenant, weekly));
        }
        if let Some(once) = &window.once {
            match intervals::once(tenant, once) {
                Some(mut pieces) => list.append(&mut pieces),
                None => problems.tenant(
                    tenant,
                    Problem::new(
                        format!("/monitoring/routing/maintenance_windows/{i}/once"),
                        format!("is longer than {} days", intervals::MAX_ONE_OFF_DAYS),
                    ),
                ),
            }
        }
        if list.is_empty() {
            continue;
        }
        let name = format!("{slug}:maintenance:{}", window.name.as_str());
        maintenance.push((name.clone(), &window.severities));
        time_intervals.push(TimeIntervalSet {
            name,
            time_intervals: list,
        });
    }

    // Receivers.
    let mut out_receivers = Vec::new();
    for (i, r) in receivers.iter().enumerate() {
        let set = match &r.template {
            None => 0,
            Some(name) => match tenant.slack.templates.iter().position(|t| t.name == *name) {
                Some(t) => t + 1,
                None => {
                    problems.tenant(
                        tenant,
                        Problem::new(
                            format!("/slack/receivers/{i}/template"),
                            format!(
                                "names the template `{}`, which the tenant does not define",
                                name.as_str()
                            ),
                        ),
                    );
                    0
                }
            },
        };
        let slack = if cx.switches.slack_webhooks_enabled {
            match cx.secrets.resolve(&r.webhook_url) {
                Ok(url) if !url.expose_secret().trim().is_empty() => Some(SlackParts {
                    url,
                    channel: r.channel.as_str().to_owned(),
                    username: r.username.clone(),
                    send_resolved: r.send_resolved,
                    set,
                }),
                Ok(_) => {
                    problems.tenant(
                        tenant,
                        Problem::new(
                            format!("/slack/receivers/{i}/webhook_url"),
                            "resolves to an empty URL",
                        ),
                    );
                    None
                }
                Err(reason) => {
                    problems.tenant(
                        tenant,
                        Problem::new(format!("/slack/receivers/{i}/webhook_url"), reason),
                    );
                    None
                }
            }
        } else {
            None
        };
        out_receivers.push(TenantReceiver {
            name: r.name.as_str().to_owned(),
            full_name: receiver_name(tenant, r.name.as_str()),
            slack,
        });
    }
    let receiver_severities = |name: &str| {
        receivers
            .iter()
            .find(|r| r.name.as_str() == name)
            .map(|r| r.severities.as_slice())
    };

    if let Some(default) = &routing.default_receiver
        && receiver_severities(default.as_str()).is_none()
    {
        problems.tenant(
            tenant,
            Problem::new(
                "/monitoring/routing/default_receiver",
                format!(
                    "names the receiver `{}`, which the tenant does not define",
                    default.as_str()
                ),
            ),
        );
    }
    for (i, route) in routing.routes.iter().enumerate() {
        if receiver_severities(route.receiver.as_str()).is_none() {
            problems.tenant(
                tenant,
                Problem::new(
                    format!("/monitoring/routing/routes/{i}/receiver"),
                    format!(
                        "names the receiver `{}`, which the tenant does not define",
                        route.receiver.as_str()
                    ),
                ),
            );
        }
        if route.when.is_some() && routing.business_hours.is_none() {
            problems.tenant(
                tenant,
                Problem::new(
                    format!("/monitoring/routing/routes/{i}/when"),
                    "needs the tenant's `business_hours`, which are not set",
                ),
            );
        }
    }

    // The tree: one route per severity.
    let buckets: [(Option<Severity>, String); 4] = [
        (
            Some(Severity::Critical),
            matcher("severity", "=", "critical"),
        ),
        (Some(Severity::Warning), matcher("severity", "=", "warning")),
        (Some(Severity::Info), matcher("severity", "=", "info")),
        (None, matcher("severity", "!~", "critical|warning|info")),
    ];
    let mut bucket_routes = Vec::new();
    if tenant.monitoring.enabled {
        for (severity, bucket_matcher) in buckets {
            let mutes: Vec<String> = maintenance
                .iter()
                .filter(|(_, sevs)| accepts(sevs, severity))
                .map(|(name, _)| name.clone())
                .collect();
            let leaf = |receiver: &str, gate: Gate, continue_matching: bool| {
                let mut route = Route {
                    receiver: Some(receiver_name(tenant, receiver)),
                    continue_matching,
                    mute_time_intervals: mutes.clone(),
                    ..Route::default()
                };
                match gate {
                    Gate::Inside => route.active_time_intervals.push(business_hours.clone()),
                    Gate::Outside => route.mute_time_intervals.push(business_hours.clone()),
                    Gate::Always | Gate::Never => {}
                }
                route
            };
            let mut leaves = Vec::new();
            let mut reach = Gate::Always;
            for route in &routing.routes {
                if reach == Gate::Never {
                    break;
                }
                let Some(accepted) = receiver_severities(route.receiver.as_str()) else {
                    continue;
                };
                if !accepts(&route.severities, severity) || !accepts(accepted, severity) {
                    continue;
                }
                let gate = match route.when {
                    None => Gate::Always,
                    Some(RouteTime::BusinessHours) => Gate::Inside,
                    Some(RouteTime::OutsideBusinessHours) => Gate::Outside,
                };
                let active = reach.and(gate);
                if active == Gate::Never {
                    continue;
                }
                // Alertmanager matches a timed route even when it is not
                // active; only an always-active route may stop the walk.
                let stops = !route.continue_matching && active == reach;
                leaves.push(leaf(route.receiver.as_str(), active, !stops));
                if !route.continue_matching {
                    reach = reach.and(gate.not());
                }
            }
            if reach != Gate::Never
                && let Some(default) = &routing.default_receiver
                && receiver_severities(default.as_str()).is_some_and(|s| accepts(s, severity))
            {
                leaves.push(leaf(default.as_str(), reach, false));
            }
            // The last child's `continue` means nothing; leave it out.
            if let Some(last) = leaves.last_mut() {
                last.continue_matching = false;
            }
            if !leaves.is_empty() {
                bucket_routes.push(Route {
                    matchers: vec![bucket_matcher],
                    routes: leaves,
                    ..Route::default()
                });
            }
        }
    }
    let mut group_by = vec![cx.tenant_label().to_owned()];
    let tenant_group_by: Vec<String> = if routing.group_by.is_empty() {
        vec!["alertname".to_owned(), "severity".to_owned()]
    } else {
        routing
            .group_by
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect()
    };
    for label in tenant_group_by {
        if !group_by.contains(&label) {
            group_by.push(label);
        }
    }
    let route = Route {
        receiver: Some(null_receiver(tenant)),
        group_by,
        group_wait: Some(
            routing
                .group_wait
                .as_ref()
                .map_or("30s", |d| d.as_str())
                .to_owned(),
        ),
        group_interval: Some(
            routing
                .group_interval
                .as_ref()
                .map_or("5m", |d| d.as_str())
                .to_owned(),
        ),
        repeat_interval: Some(
            routing
                .repeat_interval
                .as_ref()
                .map_or("4h", |d| d.as_str())
                .to_owned(),
        ),
        routes: bucket_routes,
        ..Route::default()
    };
    if problems.len() > before {
        return None;
    }
    Some(TenantAlerting {
        route,
        receivers: out_receivers,
        time_intervals,
        sets,
        field_titles,
        tenant_literal: templates::literal(&tenant.display_name),
    })
}

/// Each tenant's alerting, built once per render: the alertmanager, mimir
/// and kubernetes targets write the same routes, receivers and templates
/// in three shapes, and building them (localized templates, time
/// intervals) was a tenth of each target's time.
#[derive(Default)]
pub(crate) struct Memo {
    built: crate::once_map::OnceMap<Built>,
}

/// A tenant's alerting and the problems building it found.
#[derive(Clone)]
struct Built {
    alerting: Option<std::sync::Arc<TenantAlerting>>,
    problems: std::sync::Arc<[crate::RenderProblem]>,
}

impl Memo {
    fn built(&self, cx: &Context<'_>, tenant: &Tenant) -> Built {
        self.built.get_or(tenant.slug.as_str(), || {
            let mut found = Problems::default();
            let alerting = tenant_alerting(cx, tenant, &mut found).map(std::sync::Arc::new);
            Built {
                alerting,
                problems: found.into_list().into(),
            }
        })
    }

    /// The tenant's alerting for the first shape (the alertmanager
    /// target): every problem building it found is reported.
    pub(crate) fn first(
        &self,
        cx: &Context<'_>,
        tenant: &Tenant,
        problems: &mut Problems,
    ) -> Option<std::sync::Arc<TenantAlerting>> {
        self.shape(cx, tenant, problems, Problems::push)
    }

    /// The same for a second shape (Mimir, the Operator): a problem already
    /// reported by another shape is not repeated.
    pub(crate) fn again(
        &self,
        cx: &Context<'_>,
        tenant: &Tenant,
        problems: &mut Problems,
    ) -> Option<std::sync::Arc<TenantAlerting>> {
        self.shape(cx, tenant, problems, Problems::push_once)
    }

    fn shape(
        &self,
        cx: &Context<'_>,
        tenant: &Tenant,
        problems: &mut Problems,
        report: fn(&mut Problems, crate::RenderProblem),
    ) -> Option<std::sync::Arc<TenantAlerting>> {
        let built = self.built(cx, tenant);
        for p in built.problems.iter() {
            report(problems, p.clone());
        }
        built.alerting
    }

    /// Frees what the memo holds, half of it on a second thread when
    /// `workers` allows.
    pub(crate) fn free(&self, workers: usize) {
        crate::free_on(self.built.take(), workers);
    }
}

/// The inhibit rules: within one tenant only.
pub(crate) fn inhibit_rules(cx: &Context<'_>) -> Vec<InhibitRule> {
    let equal = vec![cx.tenant_label().to_owned(), "alertname".to_owned()];
    vec![
        InhibitRule {
            source_matchers: vec![matcher("severity", "=", "critical")],
            target_matchers: vec![matcher("severity", "=~", "warning|info")],
            equal: equal.clone(),
        },
        InhibitRule {
            source_matchers: vec![matcher("severity", "=", "warning")],
            target_matchers: vec![matcher("severity", "=", "info")],
            equal,
        },
    ]
}

/// The shared tree's root route and receivers of the platform.
fn platform_route(cx: &Context<'_>) -> Route {
    Route {
        receiver: Some(PLATFORM_RECEIVER.to_owned()),
        group_by: vec![cx.tenant_label().to_owned(), "alertname".to_owned()],
        group_wait: Some("30s".to_owned()),
        group_interval: Some("5m".to_owned()),
        repeat_interval: Some("4h".to_owned()),
        ..Route::default()
    }
}

/// From this many tenant routes on, [`RouteTree::Auto`] shards the tree
/// (the measurements behind the number are in `bench/README.md`).
pub(crate) const SHARDED_FROM_TENANTS: usize = 1000;

/// Whether the shared tree of `tenants` tenant routes is sharded.
fn is_sharded(cx: &Context<'_>, tenants: usize) -> bool {
    match cx.platform.monitoring.alertmanager_route_tree {
        RouteTree::Flat => false,
        RouteTree::Sharded => true,
        RouteTree::Auto => tenants >= SHARDED_FROM_TENANTS,
    }
}

/// The root's children: the tenant routes (each with its exact tenant
/// matcher) in the documents' order, or, sharded, grouped in slug order
/// below one route per shard. A shard's route has the regex matcher and
/// nothing else: it inherits the root's receiver, grouping and timings, so
/// an alert whose tenant label matches the shard but no tenant of it is
/// handled exactly as the root handles it in the flat tree, and each
/// tenant route sets its own receiver, `group_by` and timings, so nothing
/// of the shard's route reaches a tenant's alerts.
fn tenant_tree(cx: &Context<'_>, mut routes: Vec<(&str, Route)>) -> Vec<Route> {
    if !is_sharded(cx, routes.len()) {
        return routes.into_iter().map(|(_, route)| route).collect();
    }
    routes.sort_by(|a, b| a.0.cmp(b.0));
    let slugs: Vec<&str> = routes.iter().map(|(slug, _)| *slug).collect();
    let shards = shards::shards(&slugs, shards::capacity(slugs.len()));
    // The shards cover the sorted slugs in order, each a contiguous range.
    debug_assert_eq!(
        shards.last().map(|s| s.range.end),
        Some(slugs.len()).filter(|&n| n > 0)
    );
    let mut routes = routes.into_iter().map(|(_, route)| route);
    shards
        .into_iter()
        .map(|shard| Route {
            matchers: vec![matcher(cx.tenant_label(), "=~", &shard.pattern)],
            routes: routes.by_ref().take(shard.range.len()).collect(),
            ..Route::default()
        })
        .collect()
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    let mut root = platform_route(cx);
    let mut receivers = vec![Receiver {
        name: PLATFORM_RECEIVER.to_owned(),
        slack_configs: Vec::new(),
    }];
    let mut time_intervals = Vec::new();
    let mut files: Vec<(String, String, bool)> = Vec::new();
    let mut shards: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut tenant_routes = Vec::new();
    // Each tenant's alerting on every core (no files: the tree, receivers
    // and template shards are put together below, in the tenants' order).
    let alertings = crate::per_tenant(
        cx.tenants,
        &mut Bundle::new(),
        problems,
        |tenant, _, problems| cx.alerting.first(cx, tenant, problems),
    );
    for (tenant, alerting) in cx.tenants.iter().zip(alertings) {
        let Some(alerting) = alerting else {
            continue;
        };
        let mut route = alerting.route.clone();
        route.matchers = vec![matcher(cx.tenant_label(), "=", tenant.slug.as_str())];
        tenant_routes.push((tenant.slug.as_str(), route));
        receivers.extend(alerting.receivers(tenant, |r| {
            Some(UrlMode::File(secret_file(tenant, &r.name)))
        }));
        for r in &alerting.receivers {
            if let Some(parts) = &r.slack {
                files.push((
                    format!("alertmanager/{}", secret_file(tenant, &r.name)),
                    parts.url.expose_secret().trim().to_owned(),
                    true,
                ));
            }
        }
        time_intervals.extend(alerting.time_intervals.iter().cloned());
        let shard = shards
            .entry(template_shard(tenant.slug.as_str()))
            .or_insert_with(|| templates::HEADER.to_owned());
        templates::append_tenant(shard, tenant.slug.as_str(), &alerting.sets);
    }
    for (name, text) in shards {
        files.push((format!("alertmanager/templates/{name}"), text, false));
    }
    if !problems.is_empty() {
        return;
    }
    root.routes = tenant_tree(cx, tenant_routes);
    let config = Config {
        templates: vec!["templates/*.tmpl".to_owned()],
        route: root,
        receivers,
        inhibit_rules: inhibit_rules(cx),
        time_intervals,
    };
    match yaml::to_string(&config) {
        Ok(text) => files.push(("alertmanager/alertmanager.yml".to_owned(), text, false)),
        Err(e) => internal(problems, e),
    }
    for (path, contents, secret) in files {
        let result = if secret {
            bundle.insert_secret(path, contents)
        } else {
            bundle.insert(path, contents)
        };
        if let Err(e) = result {
            internal(problems, e);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    #![allow(clippy::indexing_slicing, reason = "test code")]

    use tenant_model::PlatformConfig;

    use super::*;
    use crate::FakeSecrets;

    /// The root's children for `n` tenant routes with this layout: for each,
    /// its matcher and those of its children.
    fn tree(layout: RouteTree, n: usize) -> Vec<(String, Vec<String>)> {
        let mut platform = PlatformConfig::default();
        platform.monitoring.alertmanager_route_tree = layout;
        let cx = Context {
            tenants: &[],
            platform: &platform,
            switches: &platform.switches,
            secrets: &FakeSecrets,
            rule_memo: crate::prometheus::Memo::default(),
            alerting: Memo::default(),
        };
        let slugs: Vec<String> = (0..n).rev().map(|i| format!("t{i:05}-x")).collect();
        let routes = slugs
            .iter()
            .map(|slug| {
                let route = Route {
                    matchers: vec![matcher("tenant", "=", slug)],
                    ..Route::default()
                };
                (slug.as_str(), route)
            })
            .collect();
        tenant_tree(&cx, routes)
            .into_iter()
            .map(|r| {
                let children = r.routes.iter().map(|c| c.matchers[0].clone()).collect();
                (r.matchers[0].clone(), children)
            })
            .collect()
    }

    #[test]
    fn auto_shards_from_the_threshold_on() {
        let below = tree(RouteTree::Auto, SHARDED_FROM_TENANTS - 1);
        assert_eq!(below.len(), SHARDED_FROM_TENANTS - 1);
        // Flat: the documents' order, no outer level.
        assert_eq!(
            below[0].0,
            format!("tenant=\"t{:05}-x\"", SHARDED_FROM_TENANTS - 2)
        );
        assert!(below.iter().all(|(_, children)| children.is_empty()));

        let at = tree(RouteTree::Auto, SHARDED_FROM_TENANTS);
        assert!(at.len() <= SHARDED_FROM_TENANTS / 5, "{}", at.len());
        assert!(at.iter().all(|(m, _)| m.starts_with("tenant=~\"")));
        let held: Vec<&String> = at.iter().flat_map(|(_, c)| c).collect();
        assert_eq!(held.len(), SHARDED_FROM_TENANTS);
        // Slug order below the shards.
        assert_eq!(held[0], "tenant=\"t00000-x\"");
        assert!(held.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn flat_and_sharded_are_forced_whatever_the_count() {
        let flat = tree(RouteTree::Flat, SHARDED_FROM_TENANTS);
        assert_eq!(flat.len(), SHARDED_FROM_TENANTS);
        let sharded = tree(RouteTree::Sharded, 2);
        assert_eq!(
            sharded,
            [(
                "tenant=~\"t.*\"".to_owned(),
                vec![
                    "tenant=\"t00000-x\"".to_owned(),
                    "tenant=\"t00001-x\"".to_owned()
                ]
            ),]
        );
        assert!(tree(RouteTree::Sharded, 0).is_empty());
    }
}

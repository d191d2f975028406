#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;

use tenant_model::{PlatformConfig, Problem, QuotaLimits, Switches, Tenant};

mod bundle;
pub mod escape;
mod json;
pub mod names;
mod once_map;
mod secrets;
pub mod slack;

mod alertmanager;
mod grafana;
mod kubernetes;
mod mimir;
mod postgres;
mod prometheus;
mod redis;

pub use crate::bundle::{Bundle, File, MANIFEST, PathError};
pub use crate::secrets::{FakeSecrets, InlineOnly, SecretResolver, unresolved};

/// The systems a render can produce files for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Target {
    /// `prometheus/`: rule files and their promtool tests.
    Prometheus,
    /// `alertmanager/`: the routing tree, templates and webhook URL files.
    Alertmanager,
    /// `grafana/`: dashboards and provisioning.
    Grafana,
    /// `mimir/`: per-tenant limits, rule namespaces and Alertmanager configs.
    Mimir,
    /// `kubernetes/`: per-tenant manifests.
    Kubernetes,
    /// `postgres/`: isolation DDL.
    Postgres,
    /// `redis/`: ACL users.
    Redis,
}

impl Target {
    /// Every target, in the order files are rendered.
    pub const ALL: [Target; 7] = [
        Target::Prometheus,
        Target::Alertmanager,
        Target::Grafana,
        Target::Mimir,
        Target::Kubernetes,
        Target::Postgres,
        Target::Redis,
    ];

    /// The target's name, which is also its top-level folder.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Prometheus => "prometheus",
            Target::Alertmanager => "alertmanager",
            Target::Grafana => "grafana",
            Target::Mimir => "mimir",
            Target::Kubernetes => "kubernetes",
            Target::Postgres => "postgres",
            Target::Redis => "redis",
        }
    }

    /// The target named `name` (as [`Target::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to render and how secrets are resolved.
#[non_exhaustive]
pub struct Options<'a> {
    /// Resolves `env` and `file` secret references (and inline secrets).
    pub secrets: &'a dyn SecretResolver,
    /// The targets to render; all by default.
    pub targets: Vec<Target>,
}

impl<'a> Options<'a> {
    /// Every target, secrets resolved by `secrets`.
    pub fn new(secrets: &'a dyn SecretResolver) -> Self {
        Options {
            secrets,
            targets: Target::ALL.to_vec(),
        }
    }

    /// Only these targets.
    pub fn with_targets(mut self, targets: impl IntoIterator<Item = Target>) -> Self {
        let mut targets: Vec<Target> = targets.into_iter().collect();
        targets.sort();
        targets.dedup();
        self.targets = targets;
        self
    }

    fn wants(&self, target: Target) -> bool {
        self.targets.contains(&target)
    }
}

impl fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("targets", &self.targets)
            .finish_non_exhaustive()
    }
}

/// One reason a render was refused: a problem in a tenant's document (at its
/// JSON pointer) or in the platform document (`tenant` is `None`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RenderProblem {
    /// The slug of the tenant whose document has the problem; `None` for the
    /// platform document or the set as a whole.
    pub tenant: Option<String>,
    /// What is wrong, and where in that document.
    pub problem: Problem,
}

/// Every reason a render was refused; nothing is rendered then.
#[derive(Clone, Default)]
pub struct Problems {
    list: Vec<RenderProblem>,
    /// Where each tenant's problems are in `list`: work that leaves out
    /// what was already reported for a tenant (a second shape of the same
    /// rules or alerting) looks only at that tenant's problems, so a render
    /// of many tenants with problems stays linear in them.
    by_tenant: std::collections::HashMap<String, Vec<usize>>,
    /// Where the platform's problems are in `list`.
    of_platform: Vec<usize>,
}

impl PartialEq for Problems {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl fmt::Debug for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Problems")
            .field("list", &self.list)
            .finish()
    }
}

impl Problems {
    /// Each problem, in the order found (tenants in the order given).
    pub fn iter(&self) -> impl Iterator<Item = &RenderProblem> {
        self.list.iter()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn tenant(&mut self, tenant: &Tenant, problem: Problem) {
        self.push(RenderProblem {
            tenant: Some(tenant.slug.as_str().to_owned()),
            problem,
        });
    }

    pub(crate) fn platform(&mut self, problem: Problem) {
        self.push(RenderProblem {
            tenant: None,
            problem,
        });
    }

    pub(crate) fn push(&mut self, p: RenderProblem) {
        let at = self.list.len();
        match &p.tenant {
            Some(slug) => self.by_tenant.entry(slug.clone()).or_default().push(at),
            None => self.of_platform.push(at),
        }
        self.list.push(p);
    }

    /// The problems found so far for the tenant `slug`.
    fn of_tenant<'s>(&'s self, slug: &str) -> impl Iterator<Item = &'s RenderProblem> + 's {
        self.by_tenant
            .get(slug)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.list.get(i))
    }

    /// `problem` for `tenant` unless it was reported for that tenant before.
    pub(crate) fn tenant_once(&mut self, tenant: &Tenant, problem: Problem) {
        let slug = tenant.slug.as_str();
        if !self.of_tenant(slug).any(|p| p.problem == problem) {
            self.tenant(tenant, problem);
        }
    }

    /// `p` unless the same problem was reported for the same tenant (or,
    /// for the platform, at all) before.
    pub(crate) fn push_once(&mut self, p: RenderProblem) {
        let known = match &p.tenant {
            Some(slug) => self.of_tenant(slug).any(|q| q.problem == p.problem),
            None => self
                .of_platform
                .iter()
                .filter_map(|&i| self.list.get(i))
                .any(|q| q.problem == p.problem),
        };
        if !known {
            self.push(p);
        }
    }

    pub(crate) fn into_list(self) -> Vec<RenderProblem> {
        self.list
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            let pointer = match p.problem.pointer() {
                "" => "/",
                pointer => pointer,
            };
            match &p.tenant {
                Some(slug) => write!(f, "tenant {slug}: {pointer}: {}", p.problem.message())?,
                None => write!(f, "platform: {pointer}: {}", p.problem.message())?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// What every renderer sees: the tenants, the platform and its switches,
/// the secret resolver.
#[allow(dead_code, reason = "each renderer's issue uses its part")]
pub(crate) struct Context<'a> {
    pub(crate) tenants: &'a [Tenant],
    pub(crate) platform: &'a PlatformConfig,
    pub(crate) switches: &'a Switches,
    pub(crate) secrets: &'a dyn SecretResolver,
    /// What the rule targets (prometheus, mimir, kubernetes) share.
    pub(crate) rule_memo: prometheus::Memo,
    /// Each tenant's alerting, which three targets write.
    pub(crate) alerting: alertmanager::Memo,
}

#[allow(dead_code, reason = "each renderer's issue uses its part")]
impl Context<'_> {
    /// A tenant's effective quotas: its tier's preset with its overrides.
    pub(crate) fn limits(&self, tenant: &Tenant) -> QuotaLimits {
        self.platform
            .tiers
            .get(tenant.tier)
            .with_overrides(&tenant.quotas)
    }

    /// A secret the output cannot do without, resolved: a missing one
    /// (`missing` says why it is needed), one the resolver cannot read, or
    /// an empty value is a problem at `pointer`.
    pub(crate) fn required_secret(
        &self,
        secret: Option<&tenant_model::Secret>,
        pointer: &str,
        missing: &str,
    ) -> Result<secrecy::SecretString, Problem> {
        use secrecy::ExposeSecret;
        let secret = secret.ok_or_else(|| Problem::new(pointer, missing))?;
        let value = self
            .secrets
            .resolve(secret)
            .map_err(|reason| Problem::new(pointer, reason))?;
        if value.expose_secret().is_empty() {
            return Err(Problem::new(pointer, "resolves to an empty password"));
        }
        Ok(value)
    }

    /// The label that carries the tenant's slug.
    pub(crate) fn tenant_label(&self) -> &str {
        self.platform.monitoring.tenant_label.as_str()
    }
}

/// Renders every file of the chosen targets for `tenants`.
///
/// The tenants must be valid documents (as [`tenant_model::parse`] returns
/// them), each slug once. The platform's switches decide what is rendered
/// (`monitoring_enabled`, `slack_webhooks_enabled`, `prometheus_metrics`,
/// `grafana_dashboards`); apply the environment to them first with
/// [`tenant_model::Switches`]' `with_environment`. Problems that only
/// rendering finds (a query that cannot be locked to its tenant, more rules
/// than the tenant's limits allow, a secret that cannot be resolved) refuse
/// the whole render: a bundle is complete or not returned.
pub fn render(
    tenants: &[Tenant],
    platform: &PlatformConfig,
    options: &Options<'_>,
) -> Result<Bundle, Problems> {
    let cx = Context {
        tenants,
        platform,
        switches: &platform.switches,
        secrets: options.secrets,
        rule_memo: prometheus::Memo::default(),
        alerting: alertmanager::Memo::default(),
    };
    let mut problems = Problems::default();
    let mut seen = std::collections::BTreeSet::new();
    for tenant in tenants {
        if !seen.insert(tenant.slug.as_str()) {
            problems.tenant(
                tenant,
                Problem::new("/slug", "is given twice; each tenant is rendered once"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    type Renderer = fn(&Context<'_>, &mut Bundle, &mut Problems);
    let renderers: [(Target, Renderer); 7] = [
        (Target::Prometheus, prometheus::render),
        (Target::Alertmanager, alertmanager::render),
        (Target::Grafana, grafana::render),
        (Target::Mimir, mimir::render),
        (Target::Kubernetes, kubernetes::render),
        (Target::Postgres, postgres::render),
        (Target::Redis, redis::render),
    ];
    let wanted: Vec<Renderer> = renderers
        .into_iter()
        .filter(|(target, _)| options.wants(*target))
        .map(|(_, renderer)| renderer)
        .collect();
    let workers = workers().min(wanted.len());
    let mut bundle = Bundle::new();
    if workers > 1 {
        // The targets on all cores, each into its own bundle; the memos are
        // shared (their entries do not depend on who computes them first), so
        // the files are the same whatever the schedule. Problems are only
        // exact in the sequential order (later shapes leave out what earlier
        // ones reported), so a render that finds any is run again below.
        let parts = parallel(&wanted, workers, |renderer| {
            let mut part = Bundle::new();
            let mut found = Problems::default();
            renderer(&cx, &mut part, &mut found);
            (part, found)
        });
        if parts.iter().all(|(_, found)| found.is_empty()) {
            let parts = parts.into_iter().map(|(part, _)| part).collect();
            if let Err(error) = bundle.absorb(parts) {
                internal(&mut problems, error);
            }
        } else {
            bundle = Bundle::new();
            for renderer in &wanted {
                renderer(&cx, &mut bundle, &mut problems);
            }
        }
    } else {
        for renderer in &wanted {
            renderer(&cx, &mut bundle, &mut problems);
        }
    }
    cx.rule_memo.free(crate::workers());
    cx.alerting.free(crate::workers());
    if !problems.is_empty() {
        return Err(problems);
    }
    let manifest = bundle.manifest();
    if let Err(error) = bundle.insert(MANIFEST, manifest) {
        problems.platform(Problem::new("", error.to_string()));
        return Err(problems);
    }
    Ok(bundle)
}

/// How many threads a render uses: one per core the process may run on.
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Tenants per unit of work in [`per_tenant`]: enough that spawning and
/// merging cost little beside the work, few enough to spread evenly.
const TENANTS_PER_CHUNK: usize = 16;

/// `work` for every tenant, on all cores: each chunk of tenants renders
/// into its own bundle and problems, merged in the tenants' order, so the
/// bundle, the problems and the values returned are those of a loop.
///
/// Each chunk's problems start as a copy of the problems found before for
/// its own tenants, so that work which leaves out what was already reported
/// for a tenant (a second shape of its alerting, see
/// `alertmanager::Memo::again`) sees what the loop would: a
/// tenant is in one chunk, and such problems are always a tenant's. Each
/// earlier problem is copied at most once, so this stays linear.
pub(crate) fn per_tenant<'t, R: Send>(
    tenants: &'t [Tenant],
    bundle: &mut Bundle,
    problems: &mut Problems,
    work: impl Fn(&'t Tenant, &mut Bundle, &mut Problems) -> R + Sync,
) -> Vec<R> {
    let chunks: Vec<&'t [Tenant]> = tenants.chunks(TENANTS_PER_CHUNK).collect();
    let workers = workers().min(chunks.len());
    if workers <= 1 {
        return tenants
            .iter()
            .map(|tenant| work(tenant, bundle, problems))
            .collect();
    }
    let earlier: &Problems = problems;
    let parts = parallel(&chunks, workers, |chunk| {
        let mut part = Bundle::new();
        let mut found = Problems::default();
        for tenant in chunk.iter() {
            for p in earlier.of_tenant(tenant.slug.as_str()) {
                found.push(p.clone());
            }
        }
        let before = found.len();
        let values: Vec<R> = chunk
            .iter()
            .map(|tenant| work(tenant, &mut part, &mut found))
            .collect();
        let mut found = found.into_list();
        found.drain(..before);
        (part, found, values)
    });
    let mut values = Vec::with_capacity(tenants.len());
    let mut bundles = Vec::with_capacity(parts.len());
    for (part, found, chunk_values) in parts {
        for p in found {
            problems.push(p);
        }
        bundles.push(part);
        values.extend(chunk_values);
    }
    if let Err(error) = bundle.absorb(bundles) {
        internal(problems, error);
    }
    values
}

/// Drops `items`, half of them on a second thread when `workers` allows:
/// what the memos hold at the end of a render is as many allocations as
/// the files, and freeing them on one core showed in the profiles (~6 % of
/// a render of the rule targets).
pub(crate) fn free_on<T: Send>(mut items: Vec<T>, workers: usize) {
    if workers > 1 && items.len() > 1 {
        let half = items.split_off(items.len() / 2);
        std::thread::scope(|scope| {
            scope.spawn(move || drop(half));
            drop(items);
        });
    }
}

/// `work` applied to every item on `workers` scoped threads; the results
/// in the items' order, whatever the schedule.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Records a renderer's internal error (a path written twice, a value YAML
/// cannot hold) as a problem of the platform: it is a bug, reported rather
/// than hidden.
#[allow(dead_code, reason = "each renderer's issue uses it")]
pub(crate) fn internal(problems: &mut Problems, error: impl fmt::Display) {
    problems.platform(Problem::new("", error.to_string()));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    fn problem(tenant: Option<&str>, pointer: &str) -> RenderProblem {
        RenderProblem {
            tenant: tenant.map(str::to_owned),
            problem: Problem::new(pointer, "is wrong"),
        }
    }

    #[test]
    fn a_problem_is_left_out_only_when_its_own_tenant_had_it() {
        let mut problems = Problems::default();
        for p in [
            problem(Some("a"), "/x"),
            problem(Some("b"), "/x"),
            problem(Some("a"), "/x"),
            problem(None, "/x"),
            problem(Some("a"), "/y"),
            problem(None, "/x"),
            problem(Some("b"), "/x"),
        ] {
            problems.push_once(p);
        }
        let list: Vec<(Option<&str>, &str)> = problems
            .iter()
            .map(|p| (p.tenant.as_deref(), p.problem.pointer()))
            .collect();
        assert_eq!(
            list,
            [
                (Some("a"), "/x"),
                (Some("b"), "/x"),
                (None, "/x"),
                (Some("a"), "/y")
            ]
        );
        let a: Vec<&str> = problems
            .of_tenant("a")
            .map(|p| p.problem.pointer())
            .collect();
        assert_eq!(a, ["/x", "/y"]);
        assert_eq!(problems.of_tenant("c").count(), 0);
        // Equality is the list's: the index follows from it.
        let mut again = Problems::default();
        for p in problems.clone().into_list() {
            again.push(p);
        }
        assert_eq!(again, problems);
    }
}

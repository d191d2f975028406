//! What one render computes once and the rule targets share: each tenant's
//! rule groups (the prometheus, mimir and kubernetes targets write the same
//! groups), locked queries that do not depend on the slug, and the SLI
//! models of the promtool tests.
//!
//! Parsing PromQL is most of the cost of rendering rules (the parser also
//! compiles every regular expression), and tenants often share query text.
//! A query that never names the tenant label, the placeholder slug or a
//! backslash locks to the same text for every tenant but for the value of
//! the tenant matcher, so it is locked once with a placeholder slug and the
//! matcher's value is replaced afterwards (measured in `bench/`: 100 tenants' rule
//! targets went from 0.28 s to 0.04 s).
//! Anything else is locked per tenant, as without this memo.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tenant_model::Problem;
use tenant_model::promql::{LockError, WINDOW_PLACEHOLDER};

use super::TenantRules;
use super::tests::SloModel;
use crate::escape::promql;

/// The slug a shared query is locked with; replaced by the tenant's own.
pub(crate) const PLACEHOLDER_SLUG: &str = "tenant-kit-placeholder-slug";

/// A tenant's rules as [`super::tenant_rules`] returns them.
pub(crate) type Rules = Result<Option<Arc<TenantRules>>, Vec<Problem>>;

/// A shared query locked with the placeholder slug, split where the
/// placeholder's matcher is.
type Pieces = Result<Arc<[String]>, LockError>;

/// SLI models by their (error, total) query text.
type Models = HashMap<(String, String), Option<Arc<SloModel>>>;

/// The memo of one render.
#[derive(Default)]
pub(crate) struct Memo {
    /// Shared queries locked with the placeholder slug, split where its
    /// matcher is (the pieces between which the tenant's goes), for the
    /// tenant label in `label`.
    locked: RwLock<HashMap<String, Pieces>>,
    /// The tenant label the shared queries were locked with (one render has
    /// one; a call with another is locked on its own).
    label: std::sync::OnceLock<String>,
    rules: crate::once_map::OnceMap<Rules>,
    models: Mutex<Models>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `expr` locks to the same text for every slug but the matcher's
/// value.
pub(crate) fn shareable(expr: &str, label: &str) -> bool {
    !expr.contains('\\') && !expr.contains(label) && !expr.contains(PLACEHOLDER_SLUG)
}

impl Memo {
    /// [`promql::lock`], shared between tenants where that is exact.
    pub(crate) fn lock(&self, expr: &str, label: &str, slug: &str) -> Result<String, LockError> {
        if !shareable(expr, label) || self.label.get_or_init(|| label.to_owned()) != label {
            return promql::lock(expr, label, slug);
        }
        self.shared(expr, label)
            .map(|pieces| pieces.join(&promql::matcher(label, slug)))
    }

    /// `expr` locked with the placeholder slug and split where its matcher
    /// is, from the map or computed and stored. Looked up under a read
    /// lock; a query not seen yet is locked with no lock held (parsing it
    /// while holding one made every other thread wait for each new query),
    /// and the first result stored is kept (two threads that race compute
    /// the same).
    fn shared(&self, expr: &str, label: &str) -> Pieces {
        let found = self
            .locked
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(expr)
            .cloned();
        if let Some(pieces) = found {
            return pieces;
        }
        let placeholder = promql::matcher(label, PLACEHOLDER_SLUG);
        let pieces = promql::lock(expr, label, PLACEHOLDER_SLUG).map(|text| {
            text.split(placeholder.as_str())
                .map(str::to_owned)
                .collect::<Arc<[String]>>()
        });
        self.locked
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(expr.to_owned())
            .or_insert(pieces)
            .clone()
    }

    /// The ratio of an SLI's two queries over `window`, `(error) /
    /// (total)`, composed of the two as locked and locked again (what the
    /// Grafana overview shows), shared between tenants like
    /// [`Memo::lock`]. Composed of the locked texts, which the parser
    /// printed, rather than of the queries as written: a query's `#`
    /// comment would swallow the rest of the ratio, and generous layout
    /// could take it past the length limit.
    pub(crate) fn lock_sli_ratio(
        &self,
        error: &str,
        total: &str,
        window: &str,
        label: &str,
        slug: &str,
    ) -> Result<String, LockError> {
        let windowed = |q: &str| q.replace(WINDOW_PLACEHOLDER, window);
        let shared = [error, total]
            .iter()
            .all(|q| q.contains(WINDOW_PLACEHOLDER) && shareable(&windowed(q), label))
            && self.label.get_or_init(|| label.to_owned()) == label;
        if !shared {
            let e = self.lock_sli(error, window, label, slug)?;
            let t = self.lock_sli(total, window, label, slug)?;
            return promql::lock(&format!("({e}) / ({t})"), label, slug);
        }
        // Locked with the placeholder slug, the ratio names the tenant only
        // in the placeholder's matchers, so it is the same for every slug
        // but for them. (No query of a tenant reaches the map with the
        // placeholder in it: `shareable` refuses those.)
        let e = self.lock_sli(error, window, label, PLACEHOLDER_SLUG)?;
        let t = self.lock_sli(total, window, label, PLACEHOLDER_SLUG)?;
        self.shared(&format!("({e}) / ({t})"), label)
            .map(|pieces| pieces.join(&promql::matcher(label, slug)))
    }

    /// [`promql::lock_sli`], shared like [`Memo::lock`].
    pub(crate) fn lock_sli(
        &self,
        query: &str,
        window: &str,
        label: &str,
        slug: &str,
    ) -> Result<String, LockError> {
        if !query.contains(WINDOW_PLACEHOLDER) {
            return promql::lock_sli(query, window, label, slug);
        }
        self.lock(&query.replace(WINDOW_PLACEHOLDER, window), label, slug)
    }

    /// The rules of the tenant `slug`, computed by `make` the first time.
    pub(crate) fn rules(&self, slug: &str, make: impl FnOnce() -> Rules) -> Rules {
        self.rules.get_or(slug, make)
    }

    /// Frees the memo's tenant rules, half of them on a second thread when
    /// `workers` allows: they are as many allocations as the rule files,
    /// and freeing them on one core was ~6 % of a render of the rule
    /// targets.
    pub(crate) fn free(&self, workers: usize) {
        crate::free_on(self.rules.take(), workers);
    }

    /// The model of an SLI (its two queries), computed by `make` the first
    /// time.
    pub(crate) fn model(
        &self,
        error: &str,
        total: &str,
        make: impl FnOnce() -> Option<SloModel>,
    ) -> Option<Arc<SloModel>> {
        let key = (error.to_owned(), total.to_owned());
        if let Some(found) = guard(&self.models).get(&key) {
            return found.clone();
        }
        let model = make().map(Arc::new);
        guard(&self.models).insert(key, model.clone());
        model
    }
}

//! The `mimir` target: per-tenant limits (`mimir/runtime.yml`), rule
//! namespaces (`mimir/rules/<slug>.yml`) and per-tenant Alertmanager
//! configs (`mimir/alertmanager/<slug>.yml`).

use crate::{Bundle, Context, Problems};

mod alertmanager;
mod limits;

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    limits::render(cx, bundle, problems);
    alertmanager::render(cx, bundle, problems);
}

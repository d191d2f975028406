//! The `kubernetes` target: per-tenant manifests under `kubernetes/<slug>/`.

use crate::{Bundle, Context, Problems};

mod alertmanagerconfig;
mod namespace;
mod prometheusrule;

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    namespace::render(cx, bundle, problems);
    prometheusrule::render(cx, bundle, problems);
    alertmanagerconfig::render(cx, bundle, problems);
}

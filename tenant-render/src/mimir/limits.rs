//! Mimir: `runtime.yml` overrides per tenant and `rules/<slug>.yml` rule namespaces (not rendered yet: its issue adds it).

use crate::{Bundle, Context, Problems};

pub(crate) fn render(_cx: &Context<'_>, _bundle: &mut Bundle, _problems: &mut Problems) {}

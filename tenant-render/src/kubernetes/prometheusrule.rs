//! Kubernetes: the Prometheus Operator `PrometheusRule` of each tenant (not rendered yet: its issue adds it).

use crate::{Bundle, Context, Problems};

pub(crate) fn render(_cx: &Context<'_>, _bundle: &mut Bundle, _problems: &mut Problems) {}

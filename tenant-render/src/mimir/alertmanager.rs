//! Mimir: `mimir/alertmanager/<slug>.yml`, one Alertmanager config per
//! tenant in the shape `mimirtool alertmanager load` reads
//! (`template_files` by name, `alertmanager_config` as a YAML string).
//!
//! The config is the tenant's subtree of the shared tree (see the
//! `alertmanager` target) as the root route: Mimir keeps each tenant's
//! alerts apart, so no tenant matcher is needed, and the inhibit rules
//! still hold the tenant label in `equal`. Mimir refuses `*_file` fields in
//! tenant configs, so the webhook URLs are inline `api_url`s and the file is
//! a secret of the bundle whenever it holds one.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::alertmanager::config::Config;
use crate::alertmanager::{self, UrlMode, templates};
use crate::escape::yaml;
use crate::{Bundle, Context, Problems, internal};

/// The file `mimirtool alertmanager load` reads.
#[derive(Serialize)]
struct MimirAlertmanager {
    template_files: BTreeMap<String, String>,
    alertmanager_config: String,
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    crate::per_tenant(cx.tenants, bundle, problems, |tenant, bundle, problems| {
        let Some(alerting) = cx.alerting.again(cx, tenant, problems) else {
            return;
        };
        let template = alertmanager::template_file(tenant);
        let receivers = alerting.receivers(tenant, |r| {
            r.slack.as_ref().map(|p| UrlMode::Inline(&p.url))
        });
        let secret = receivers.iter().any(|r| !r.slack_configs.is_empty());
        let config = Config {
            templates: vec![template.clone()],
            route: alerting.route.clone(),
            receivers,
            inhibit_rules: alertmanager::inhibit_rules(cx),
            time_intervals: alerting.time_intervals.clone(),
        };
        let text = match yaml::to_string(&config) {
            Ok(text) => text,
            Err(e) => {
                internal(problems, e);
                return;
            }
        };
        let file = MimirAlertmanager {
            template_files: BTreeMap::from([(template, templates::file(&alerting.sets))]),
            alertmanager_config: text,
        };
        let path = format!("mimir/alertmanager/{}.yml", tenant.slug.as_str());
        let result = match yaml::to_string(&file) {
            Ok(text) if secret => bundle.insert_secret(path, text).map_err(|e| e.to_string()),
            Ok(text) => bundle.insert(path, text).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = result {
            internal(problems, e);
        }
    });
}

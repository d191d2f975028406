//! Kubernetes: the Prometheus Operator `AlertmanagerConfig`
//! (`monitoring.coreos.com/v1alpha1`) of each tenant,
//! `kubernetes/<slug>/alertmanagerconfig.yml`, and the `Secret` with its
//! webhook URLs, `kubernetes/<slug>/slack-webhooks-secret.yml` (secret in
//! the bundle).
//!
//! The route is the tenant's subtree of the shared tree; the Operator adds
//! the namespace matcher itself when it merges the objects into one tree.
//! An `AlertmanagerConfig` cannot load template files, so the title, text,
//! colour and fields are the tenant's template bodies written inline. Each
//! receiver's `apiURL` refers to the key `<receiver>` of the Secret
//! `<slug>-slack-webhooks`. The Operator's v1alpha1 time intervals have no
//! `location`, so the tenant's business hours and maintenance windows are
//! written as local times and are read in UTC by Alertmanager; the shared
//! tree and the Mimir configs, which carry `location`, are exact.

use std::collections::BTreeMap;

use secrecy::ExposeSecret;
use serde::Serialize;
use serde_json::{Value, json};
use tenant_model::Tenant;

use crate::alertmanager::config::{Route, TimeInterval};
use crate::alertmanager::{self, TenantAlerting};
use crate::escape::yaml;
use crate::{Bundle, Context, Problems, internal, names};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<S> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    #[serde(flatten)]
    body: S,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Spec {
    #[serde(serialize_with = "crate::json::sorted")]
    spec: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecretBody {
    #[serde(rename = "type")]
    kind: &'static str,
    string_data: BTreeMap<String, String>,
}

/// The Secret holding a tenant's webhook URLs.
fn secret_name(tenant: &Tenant) -> String {
    format!("{}-slack-webhooks", tenant.slug.as_str())
}

fn metadata(cx: &Context<'_>, tenant: &Tenant, name: String) -> Metadata {
    Metadata {
        name,
        namespace: names::namespace(tenant).to_owned(),
        labels: BTreeMap::from([
            (
                "app.kubernetes.io/managed-by".to_owned(),
                "tenant-kit".to_owned(),
            ),
            (
                cx.tenant_label().to_owned(),
                tenant.slug.as_str().to_owned(),
            ),
        ]),
    }
}

/// A matcher string `name<op>"value"` as the Operator's object.
fn matcher_object(text: &str) -> Value {
    for op in ["=~", "!~", "!=", "="] {
        if let Some((name, value)) = text.split_once(op) {
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value)
                .replace("\\\"", "\"")
                .replace("\\\\", "\\");
            return json!({ "name": name, "value": value, "matchType": op });
        }
    }
    json!({})
}

fn route(route: &Route) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(r) = &route.receiver {
        out.insert("receiver".into(), json!(r));
    }
    if !route.group_by.is_empty() {
        out.insert("groupBy".into(), json!(route.group_by));
    }
    if let Some(d) = &route.group_wait {
        out.insert("groupWait".into(), json!(d));
    }
    if let Some(d) = &route.group_interval {
        out.insert("groupInterval".into(), json!(d));
    }
    if let Some(d) = &route.repeat_interval {
        out.insert("repeatInterval".into(), json!(d));
    }
    if !route.matchers.is_empty() {
        let list: Vec<Value> = route.matchers.iter().map(|m| matcher_object(m)).collect();
        out.insert("matchers".into(), Value::Array(list));
    }
    if route.continue_matching {
        out.insert("continue".into(), json!(true));
    }
    if !route.mute_time_intervals.is_empty() {
        out.insert("muteTimeIntervals".into(), json!(route.mute_time_intervals));
    }
    if !route.active_time_intervals.is_empty() {
        out.insert(
            "activeTimeIntervals".into(),
            json!(route.active_time_intervals),
        );
    }
    if !route.routes.is_empty() {
        out.insert(
            "routes".into(),
            Value::Array(route.routes.iter().map(self::route).collect()),
        );
    }
    Value::Object(out)
}

fn interval(t: &TimeInterval) -> Value {
    let range = |text: &str| match text.split_once(':') {
        Some((a, b)) => {
            json!({ "start": a.parse::<u32>().unwrap_or(0), "end": b.parse::<u32>().unwrap_or(0) })
        }
        None => {
            let d = text.parse::<u32>().unwrap_or(0);
            json!({ "start": d, "end": d })
        }
    };
    let mut out = serde_json::Map::new();
    if !t.times.is_empty() {
        let times: Vec<Value> = t
            .times
            .iter()
            .map(|r| json!({ "startTime": r.start_time, "endTime": r.end_time }))
            .collect();
        out.insert("times".into(), Value::Array(times));
    }
    if !t.weekdays.is_empty() {
        out.insert("weekdays".into(), json!(t.weekdays));
    }
    if !t.days_of_month.is_empty() {
        out.insert(
            "daysOfMonth".into(),
            Value::Array(t.days_of_month.iter().map(|d| range(d)).collect()),
        );
    }
    if !t.months.is_empty() {
        out.insert("months".into(), json!(t.months));
    }
    if !t.years.is_empty() {
        out.insert("years".into(), json!(t.years));
    }
    Value::Object(out)
}

fn spec(cx: &Context<'_>, tenant: &Tenant, alerting: &TenantAlerting) -> Value {
    let mut receivers = vec![json!({ "name": alertmanager::null_receiver(tenant) })];
    for r in &alerting.receivers {
        let mut receiver = serde_json::Map::new();
        receiver.insert("name".into(), json!(r.full_name));
        if let Some(parts) = &r.slack
            && let Some(set) = alerting.sets.get(parts.set)
        {
            let (severity, status, tenant_title) = &alerting.field_titles;
            let config = alerting.slack_config(parts, alertmanager::UrlMode::File(String::new()));
            let mut slack = json!({
                "apiURL": { "name": secret_name(tenant), "key": r.name },
                "channel": config.channel,
                "username": config.username,
                "sendResolved": config.send_resolved,
                "color": set.inline("color"),
                "title": set.inline("title"),
                "text": set.inline("text"),
                "fields": [
                    { "title": severity, "value": set.inline("severity"), "short": true },
                    { "title": status, "value": set.inline("status"), "short": true },
                    { "title": tenant_title, "value": alerting.tenant_literal, "short": true },
                ],
            });
            if config.username.is_none()
                && let Value::Object(map) = &mut slack
            {
                map.remove("username");
            }
            receiver.insert("slackConfigs".into(), Value::Array(vec![slack]));
        }
        receivers.push(Value::Object(receiver));
    }
    let inhibit: Vec<Value> = alertmanager::inhibit_rules(cx)
        .iter()
        .map(|rule| {
            json!({
                "sourceMatch": rule.source_matchers.iter().map(|m| matcher_object(m)).collect::<Vec<_>>(),
                "targetMatch": rule.target_matchers.iter().map(|m| matcher_object(m)).collect::<Vec<_>>(),
                "equal": rule.equal,
            })
        })
        .collect();
    let intervals: Vec<Value> = alerting
        .time_intervals
        .iter()
        .map(|set| json!({ "name": set.name, "timeIntervals": set.time_intervals.iter().map(interval).collect::<Vec<_>>() }))
        .collect();
    let mut spec = serde_json::Map::new();
    spec.insert("route".into(), route(&alerting.route));
    spec.insert("receivers".into(), Value::Array(receivers));
    spec.insert("inhibitRules".into(), Value::Array(inhibit));
    if !intervals.is_empty() {
        spec.insert("muteTimeIntervals".into(), Value::Array(intervals));
    }
    Value::Object(spec)
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    crate::per_tenant(cx.tenants, bundle, problems, |tenant, bundle, problems| {
        let Some(alerting) = cx.alerting.again(cx, tenant, problems) else {
            return;
        };
        let slug = tenant.slug.as_str();
        let config = Manifest {
            api_version: "monitoring.coreos.com/v1alpha1",
            kind: "AlertmanagerConfig",
            metadata: metadata(cx, tenant, format!("{slug}-alerting")),
            body: Spec {
                spec: spec(cx, tenant, &alerting),
            },
        };
        let path = format!("kubernetes/{slug}/alertmanagerconfig.yml");
        match yaml::to_string(&config) {
            Ok(text) => {
                if let Err(e) = bundle.insert(path, text) {
                    internal(problems, e);
                }
            }
            Err(e) => internal(problems, e),
        }
        let urls: BTreeMap<String, String> = alerting
            .receivers
            .iter()
            .filter_map(|r| {
                r.slack
                    .as_ref()
                    .map(|p| (r.name.clone(), p.url.expose_secret().trim().to_owned()))
            })
            .collect();
        if urls.is_empty() {
            return;
        }
        let secret = Manifest {
            api_version: "v1",
            kind: "Secret",
            metadata: metadata(cx, tenant, secret_name(tenant)),
            body: SecretBody {
                kind: "Opaque",
                string_data: urls,
            },
        };
        let path = format!("kubernetes/{slug}/slack-webhooks-secret.yml");
        match yaml::to_string(&secret) {
            Ok(text) => {
                if let Err(e) = bundle.insert_secret(path, text) {
                    internal(problems, e);
                }
            }
            Err(e) => internal(problems, e),
        }
    });
}

//! Prints the Slack Block Kit message of one sample alert group in each of
//! the five shipped locales, for the example tenant `acme-music`.
//!
//! ```text
//! cargo run --example slack_message
//! ```

use tenant_i18n::{Localizer, LocalizerConfig, SUPPORTED_LOCALE_TAGS};
use tenant_model::{Format, Locale, Tenant, parse};
use tenant_render::slack::{MessageOptions, WebhookPayload, check_limits, message};

const PAYLOAD: &str = r#"{
  "version": "4",
  "groupKey": "{}/{tenant=\"acme-music\"}:{alertname=\"HighErrorRate\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "acme-music/team",
  "groupLabels": {"alertname": "HighErrorRate"},
  "commonLabels": {"alertname": "HighErrorRate", "severity": "critical", "tenant": "acme-music"},
  "commonAnnotations": {},
  "externalURL": "http://alertmanager.example:9093",
  "alerts": [
    {
      "status": "firing",
      "labels": {"alertname": "HighErrorRate", "severity": "critical", "tenant": "acme-music", "route": "/v1/tracks"},
      "annotations": {
        "summary": "5xx ratio above 5% on /v1/tracks",
        "description": "12.3% of requests failed in the last 5 minutes. <!channel> cannot ping anyone from here.",
        "runbook_url": "https://runbooks.example/acme-music/high-error-rate"
      },
      "startsAt": "2026-12-01T09:58:00Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example:9090/graph",
      "fingerprint": "a1b2c3"
    },
    {
      "status": "firing",
      "labels": {"alertname": "HighErrorRate", "severity": "critical", "tenant": "acme-music", "route": "/v1/playlists"},
      "annotations": {"summary": "5xx ratio above 5% on /v1/playlists"},
      "startsAt": "2026-12-01T09:59:30Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example:9090/graph",
      "fingerprint": "d4e5f6"
    }
  ]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut tenant: Tenant = parse(include_str!("tenants/acme-music.yaml"), Format::Yaml)?;
    let payload: WebhookPayload = serde_json::from_str(PAYLOAD)?;
    let mut options = MessageOptions::new("2026-12-01T10:00:00Z".parse()?);
    options.grafana_url = Some("https://grafana.example".to_owned());
    for tag in SUPPORTED_LOCALE_TAGS {
        tenant.locale = Locale::new(tag)?;
        let l10n = Localizer::new(&LocalizerConfig::new(
            tenant.locale.langid().clone(),
            tenant.time_zone.tz(),
        ));
        let msg = message(&payload, &tenant, &l10n, &options);
        check_limits(&msg)?;
        println!("== {tag}");
        println!("{}", serde_json::to_string_pretty(&msg)?);
    }
    Ok(())
}

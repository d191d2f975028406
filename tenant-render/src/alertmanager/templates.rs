//! The tenant's localized Slack templates: named Go templates in
//! `alertmanager/templates/shard-<nn>.tmpl` (bundled by a hash of the slug,
//! see the module above) and, for Mimir, `<slug>.tmpl`.
//!
//! Each template set is named by a prefix: `<slug>` for the built-in
//! messages, `<slug>.<template>` for a receiver that names one of the
//! tenant's `slack.templates` (its Fluent overrides on top of the catalog).
//! Slugs and template names hold no `.`, so no name of one tenant can equal
//! a name of another. A set defines `<prefix>.slack.title`, `.text`,
//! `.color`, `.severity` and `.status`.
//!
//! The messages are formatted at render time in the tenant's locale, with
//! markers in place of the values only Alertmanager knows (the alert's name
//! and severity); the formatted text is then cut at the markers: the text
//! between becomes Go string literals (mrkdwn-escaped, then
//! [`gotmpl::literal`]), the markers become template expressions whose
//! values are mrkdwn-escaped when the notification is sent, with the only
//! function Alertmanager 0.25 has for it, `reReplaceAll`.

use std::sync::Arc;

use tenant_i18n::{Args, Localizer, LocalizerConfig, TenantOverrides};
use tenant_model::{Problem, Severity, Tenant};

use crate::escape::{gotmpl, mrkdwn};

/// Marker for the alert's name in formatted messages.
const ALERT: &str = "\u{E000}alert\u{E001}";
/// Marker for the localized severity.
const SEVERITY: &str = "\u{E000}severity\u{E001}";

/// The pipeline that mrkdwn-escapes a value at notification time.
pub(crate) const ESCAPE: &str = concat!(
    r#"reReplaceAll "&" "&amp;" | reReplaceAll "<" "&lt;" | reReplaceAll ">" "&gt;""#,
    r#" | reReplaceAll "(?i)@(here|channel|everyone)" "@\u2060$1""#
);

/// One template set: its defines, by full name, in output order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TemplateSet {
    pub(crate) prefix: String,
    pub(crate) defines: Vec<(String, String)>,
}

impl TemplateSet {
    /// `{{ template "<prefix>.slack.<part>" . }}`.
    pub(crate) fn call(&self, part: &str) -> String {
        format!("{{{{ template \"{}.slack.{part}\" . }}}}", self.prefix)
    }

    /// The body of a define, for configs that cannot load template files
    /// (the Prometheus Operator's AlertmanagerConfig): the body with every
    /// call to a define of this set replaced by that define's body.
    pub(crate) fn inline(&self, part: &str) -> String {
        let name = format!("{}.slack.{part}", self.prefix);
        let mut body = self
            .defines
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        // Defines only call defines listed before them, so one pass in
        // reverse order resolves every call.
        for (other, other_body) in self.defines.iter().rev() {
            let call = format!("{{{{ template \"{other}\" . }}}}");
            body = body.replace(&call, other_body);
        }
        body
    }
}

/// The localizer of a tenant, with the overrides of one of its templates.
pub(crate) fn localizer(
    tenant: &Tenant,
    template: Option<usize>,
) -> Result<Arc<Localizer>, Problem> {
    let Some(i) = template else {
        return Ok(Localizer::shared(
            tenant.locale.langid(),
            tenant.time_zone.tz(),
        ));
    };
    let mut config = LocalizerConfig::new(tenant.locale.langid().clone(), tenant.time_zone.tz());
    {
        let Some(t) = tenant.slack.templates.get(i) else {
            return Err(Problem::new(
                format!("/slack/templates/{i}"),
                "does not exist",
            ));
        };
        let sources = t
            .messages
            .iter()
            .map(|(locale, source)| (locale.langid().clone(), source.clone()));
        config.overrides = TenantOverrides::new(sources).map_err(|e| {
            Problem::new(
                format!("/slack/templates/{i}/messages"),
                format!("cannot be used as message overrides: {e}"),
            )
        })?;
    }
    Ok(Arc::new(Localizer::new(&config)))
}

/// The template set of a tenant (`template`: index into `slack.templates`).
pub(crate) fn set(tenant: &Tenant, template: Option<usize>) -> Result<TemplateSet, Problem> {
    let l10n = localizer(tenant, template)?;
    let pointer = match template {
        Some(i) => format!("/slack/templates/{i}/messages"),
        None => "/locale".to_owned(),
    };
    let prefix = match template.and_then(|i| tenant.slack.templates.get(i)) {
        Some(t) => format!("{}.{}", tenant.slug.as_str(), t.name.as_str()),
        None => tenant.slug.as_str().to_owned(),
    };
    let text = |id: &str, args: &Args| {
        l10n.format(id, args).map_err(|e| {
            Problem::new(
                pointer.clone(),
                format!("the message `{id}` cannot be formatted: {e}"),
            )
        })
    };
    let name = |part: &str| format!("{prefix}.slack.{part}");
    let tenant_name = tenant.display_name.as_str();
    let mut defines = Vec::new();

    // The severity in the tenant's language; an unknown one as it is.
    let mut severity = String::new();
    for (i, s) in Severity::ALL.iter().enumerate() {
        let word = text(&format!("severity-{}", s.as_str()), &Args::new())?;
        severity.push_str(if i == 0 { "{{ if " } else { "{{ else if " });
        severity.push_str(&format!(
            "eq .CommonLabels.severity {} }}}}{}",
            gotmpl::string(s.as_str()),
            literal(&word)
        ));
    }
    severity.push_str(&format!(
        "{{{{ else }}}}{{{{ .CommonLabels.severity | {ESCAPE} }}}}{{{{ end }}}}"
    ));
    defines.push((name("severity"), severity));

    let firing = text("status-firing", &Args::new())?;
    let resolved = text("status-resolved", &Args::new())?;
    defines.push((
        name("status"),
        format!(
            "{{{{ if eq .Status \"firing\" }}}}{}{{{{ else }}}}{}{{{{ end }}}}",
            literal(&firing),
            literal(&resolved)
        ),
    ));

    let args = Args::new()
        .with("severity", SEVERITY)
        .with("alert", ALERT)
        .with("tenant", tenant_name);
    let severity_call = format!("{{{{ template \"{}\" . }}}}", name("severity"));
    let alert_expr = format!("{{{{ (index .Alerts 0).Labels.alertname | {ESCAPE} }}}}");
    let fill = |formatted: &str| placeholders(formatted, &severity_call, &alert_expr);
    let firing_title = fill(&text("alert-firing-summary", &args)?);
    let resolved_title = fill(&text("alert-resolved-summary", &args)?);
    defines.push((
        name("title"),
        format!(
            "{{{{ if eq .Status \"firing\" }}}}{firing_title}{{{{ else }}}}{resolved_title}{{{{ end }}}}"
        ),
    ));

    let started = text("slack-field-started", &Args::new())?;
    let runbook = text("slack-button-runbook", &Args::new())?;
    defines.push((
        name("text"),
        format!(
            concat!(
                "{{{{ range .Alerts }}}}• *{{{{ if .Annotations.summary }}}}{{{{ .Annotations.summary | {esc} }}}}",
                "{{{{ else }}}}{{{{ .Labels.alertname | {esc} }}}}{{{{ end }}}}*",
                "{{{{ if .Annotations.description }}}}{{{{ \"\\n\" }}}}{{{{ .Annotations.description | {esc} }}}}{{{{ end }}}}",
                "{{{{ \"\\n\" }}}}{started}: {{{{ .StartsAt.UTC.Format \"2006-01-02 15:04 UTC\" }}}}",
                "{{{{ if .Annotations.runbook_url }}}} · <{{{{ .Annotations.runbook_url | {esc} }}}}|{runbook}>{{{{ end }}}}",
                "{{{{ \"\\n\" }}}}{{{{ end }}}}"
            ),
            esc = ESCAPE,
            started = literal(&started),
            runbook = literal(&runbook),
        ),
    ));
    defines.push((
        name("color"),
        concat!(
            "{{ if eq .Status \"firing\" }}{{ if eq .CommonLabels.severity \"critical\" }}danger",
            "{{ else }}warning{{ end }}{{ else }}good{{ end }}"
        )
        .to_owned(),
    ));
    Ok(TemplateSet { prefix, defines })
}

/// Localized field titles of a tenant's Slack attachments.
pub(crate) fn field_titles(tenant: &Tenant) -> Result<(String, String, String), Problem> {
    let l10n = localizer(tenant, None)?;
    let get = |id: &str| {
        l10n.format(id, &Args::new())
            .map(|t: String| literal(&t))
            .map_err(|e| {
                Problem::new(
                    "/locale",
                    format!("the message `{id}` cannot be formatted: {e}"),
                )
            })
    };
    Ok((
        get("slack-field-severity")?,
        get("slack-field-status")?,
        get("slack-field-tenant")?,
    ))
}

/// Text shown as it is in Slack: mrkdwn-escaped, then a Go literal.
pub(crate) fn literal(text: &str) -> String {
    gotmpl::literal(&mrkdwn::escape(text))
}

/// Cuts `formatted` at the markers: text between becomes literals, the
/// markers the given expressions. Stray marker characters (from tenant
/// text) are dropped.
fn placeholders(formatted: &str, severity: &str, alert: &str) -> String {
    let mut out = String::new();
    let mut rest = formatted;
    loop {
        let next = [(SEVERITY, severity), (ALERT, alert)]
            .into_iter()
            .filter_map(|(marker, expr)| rest.find(marker).map(|at| (at, marker, expr)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, marker, expr)) = next else {
            out.push_str(&literal(&strip_markers(rest)));
            return out;
        };
        out.push_str(&literal(&strip_markers(rest.get(..at).unwrap_or_default())));
        out.push_str(expr);
        rest = rest.get(at + marker.len()..).unwrap_or_default();
    }
}

fn strip_markers(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{E000}' | '\u{E001}'))
        .collect()
}

/// The template file of a tenant: every set's defines, one per line.
pub(crate) fn file(sets: &[TemplateSet]) -> String {
    let mut out = String::from(HEADER);
    push_defines(&mut out, sets);
    out
}

/// The first line of every template file.
pub(crate) const HEADER: &str =
    "{{/* Rendered by tenant-kit from the tenant documents; edit those, not this file. */}}\n";

/// Appends one tenant's block to a shard file of the shared tree: a
/// `{{/* tenant <slug> */}}` line (slugs are `[a-z0-9-]`, safe in a Go
/// comment), then its defines.
pub(crate) fn append_tenant(out: &mut String, slug: &str, sets: &[TemplateSet]) {
    out.push_str("{{/* tenant ");
    out.push_str(slug);
    out.push_str(" */}}\n");
    push_defines(out, sets);
}

fn push_defines(out: &mut String, sets: &[TemplateSet]) {
    for set in sets {
        for (name, body) in &set.defines {
            out.push_str(&format!(
                "{{{{ define {} }}}}{body}{{{{ end }}}}\n",
                gotmpl::string(name)
            ));
        }
    }
}

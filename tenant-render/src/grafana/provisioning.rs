//! Grafana's provisioning files (the YAML Grafana 10 documents under
//! "Provision Grafana"): dashboard providers, one per tenant folder, and
//! data sources.

use serde::Serialize;
use sha2::{Digest, Sha256};
use tenant_model::{Problem, Tenant};

use crate::escape::yaml;
use crate::names;
use crate::{Bundle, Context, Problems, internal};

/// The dashboard providers file.
pub(crate) const DASHBOARDS_FILE: &str = "grafana/provisioning/dashboards/tenants.yml";

/// The data sources file.
pub(crate) const DATASOURCES_FILE: &str = "grafana/provisioning/datasources/tenants.yml";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DashboardProviders {
    api_version: u32,
    providers: Vec<Provider>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Provider {
    name: String,
    org_id: u32,
    /// The folder's title: the tenant's display name.
    folder: String,
    folder_uid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    disable_deletion: bool,
    update_interval_seconds: u32,
    allow_ui_updates: bool,
    options: ProviderOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProviderOptions {
    path: String,
    folders_from_files_structure: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasources {
    api_version: u32,
    datasources: Vec<Datasource>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasource {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    uid: String,
    org_id: u32,
    access: &'static str,
    url: String,
    is_default: bool,
    editable: bool,
    json_data: JsonData,
    #[serde(skip_serializing_if = "Option::is_none")]
    secure_json_data: Option<SecureJsonData>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonData {
    http_method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_header_name1: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecureJsonData {
    http_header_value1: String,
}

/// The uid of a tenant's dashboard folder: `tkf-` and 24 hex digits of
/// SHA-256 over its id, so renaming the tenant renames the folder rather
/// than making a new one.
pub(crate) fn folder_uid(tenant: &Tenant) -> String {
    let mut hash = Sha256::new();
    hash.update(tenant.id.as_str().as_bytes());
    hash.update([0]);
    hash.update(b"folder");
    let digest = hex::encode(hash.finalize());
    format!("tkf-{}", digest.get(..24).unwrap_or(&digest))
}

/// A tenant's folder title: its display name, with `/` written as U+2215
/// (∕), since Grafana's file provisioning reads `/` in a folder title as a
/// path of nested folders (grafana/grafana#91826: `A/S` became `A` › `S`).
pub(crate) fn folder_title(tenant: &Tenant) -> String {
    tenant.display_name.replace('/', "\u{2215}")
}

pub(crate) fn render(
    cx: &Context<'_>,
    with_dashboards: &[&Tenant],
    bundle: &mut Bundle,
    problems: &mut Problems,
) {
    // Grafana 10 refuses two folders of one title in one place, and the
    // folder is titled with the display name.
    let mut titles = std::collections::BTreeMap::new();
    for t in with_dashboards {
        if let Some(first) = titles.insert(folder_title(t).to_lowercase(), t.slug.as_str()) {
            problems.tenant(
                t,
                Problem::new(
                    "/display_name",
                    format!(
                        "is the display name of tenant `{first}` too; each tenant's dashboards go to a Grafana folder titled with it, and Grafana folder titles must be unique"
                    ),
                ),
            );
        }
    }
    let providers = DashboardProviders {
        api_version: 1,
        providers: with_dashboards
            .iter()
            .map(|t| Provider {
                name: format!("tenant-{}", t.slug.as_str()),
                org_id: 1,
                folder: folder_title(t),
                folder_uid: folder_uid(t),
                kind: "file",
                disable_deletion: false,
                update_interval_seconds: 60,
                allow_ui_updates: false,
                options: ProviderOptions {
                    path: format!("{}/{}", names::GRAFANA_DASHBOARDS_ROOT, t.slug.as_str()),
                    folders_from_files_structure: false,
                },
            })
            .collect(),
    };
    let monitoring = &cx.platform.monitoring;
    let mut datasources = vec![Datasource {
        name: "Prometheus (tenant-kit)".to_owned(),
        kind: "prometheus",
        uid: monitoring.datasource_uid.clone(),
        org_id: 1,
        access: "proxy",
        url: monitoring.prometheus_url.clone(),
        is_default: true,
        editable: false,
        json_data: JsonData {
            http_method: "POST",
            http_header_name1: None,
        },
        secure_json_data: None,
    }];
    if let Some(mimir) = &monitoring.mimir_url {
        datasources.extend(cx.tenants.iter().filter(|t| t.monitoring.enabled).map(|t| {
            Datasource {
                name: format!("Mimir {}", t.slug.as_str()),
                kind: "prometheus",
                uid: names::mimir_datasource_uid(t),
                org_id: 1,
                access: "proxy",
                url: mimir.clone(),
                is_default: false,
                editable: false,
                json_data: JsonData {
                    http_method: "POST",
                    http_header_name1: Some("X-Scope-OrgID"),
                },
                secure_json_data: Some(SecureJsonData {
                    http_header_value1: t.slug.as_str().to_owned(),
                }),
            }
        }));
    }
    let files = [
        (DASHBOARDS_FILE, yaml::to_string(&providers)),
        (
            DATASOURCES_FILE,
            yaml::to_string(&Datasources {
                api_version: 1,
                datasources,
            }),
        ),
    ];
    for (path, text) in files {
        match text {
            Ok(text) => {
                if let Err(e) = bundle.insert(path, text) {
                    internal(problems, e);
                }
            }
            Err(e) => internal(problems, e),
        }
    }
}

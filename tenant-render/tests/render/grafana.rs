//! The grafana renderer over the examples and the hostile corpus: every
//! dashboard against Grafana's own JSON Schemas (vendored in
//! `tests/data/grafana/`), every query locked to its tenant, tenant text
//! inert, the provisioning files as Grafana 10 documents them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use tenant_model::{DashboardMode, PlatformConfig, Tenant};
use tenant_render::escape::promql;
use tenant_render::{Bundle, FakeSecrets, Options, Target, names, render};

use crate::corpus::{HOSTILE, examples, hostile, platform, root};

fn grafana(tenants: &[Tenant], platform: &PlatformConfig) -> Bundle {
    render(
        tenants,
        platform,
        &Options::new(&FakeSecrets).with_targets([Target::Grafana]),
    )
    .unwrap_or_else(|p| panic!("{p}"))
}

/// A tenant with a panel of every kind (`tests/data/grafana/every-panel.yaml`).
fn every_panel() -> Tenant {
    let path = root().join("tenant-render/tests/data/grafana/every-panel.yaml");
    tenant_model::parse(
        &std::fs::read_to_string(path).unwrap(),
        tenant_model::Format::Yaml,
    )
    .unwrap()
}

fn with_mode(mode: DashboardMode) -> PlatformConfig {
    let mut p = platform();
    p.switches.grafana_dashboards = mode;
    p
}

/// Grafana's schemas, one validator per (file, definition).
struct Schemas {
    dashboard: jsonschema::Validator,
    by_name: BTreeMap<String, jsonschema::Validator>,
}

fn schema_file(name: &str) -> Value {
    let path = root().join(format!(
        "tenant-render/tests/data/grafana/{name}.jsonschema.json"
    ));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A validator for `#/definitions/<definition>` of a schema file.
fn definition(file: &str, definition: &str) -> jsonschema::Validator {
    let mut schema = schema_file(file);
    schema["$ref"] = Value::String(format!("#/definitions/{definition}"));
    jsonschema::draft7::new(&schema).unwrap()
}

impl Schemas {
    fn load() -> Schemas {
        let mut by_name = BTreeMap::new();
        for kind in ["timeseries", "stat", "gauge", "bargauge", "table", "text"] {
            by_name.insert(format!("{kind}/Options"), definition(kind, "Options"));
        }
        for kind in ["timeseries", "table"] {
            by_name.insert(
                format!("{kind}/FieldConfig"),
                definition(kind, "FieldConfig"),
            );
        }
        by_name.insert(
            "prometheus".to_owned(),
            jsonschema::draft7::new(&schema_file("prometheus")).unwrap(),
        );
        Schemas {
            dashboard: jsonschema::draft7::new(&schema_file("dashboard")).unwrap(),
            by_name,
        }
    }

    fn check(&self, name: &str, validator: &jsonschema::Validator, value: &Value) {
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }

    /// The dashboard against the dashboard schema, and each panel's parts
    /// against its plugin's schema. Returns the panels checked.
    fn check_dashboard(&self, path: &str, dashboard: &Value) -> usize {
        self.check(path, &self.dashboard, dashboard);
        let mut panels = 0;
        for panel in dashboard["panels"].as_array().unwrap() {
            let kind = panel["type"].as_str().unwrap();
            if kind == "row" {
                continue;
            }
            panels += 1;
            let at = format!("{path}: panel {}", panel["id"]);
            self.check(
                &at,
                &self.by_name[&format!("{kind}/Options")],
                &panel["options"],
            );
            let custom = &panel["fieldConfig"]["defaults"]["custom"];
            match self.by_name.get(&format!("{kind}/FieldConfig")) {
                Some(v) => self.check(&at, v, custom),
                None => assert!(custom.is_null(), "{at}: custom options without a schema"),
            }
            for target in panel["targets"].as_array().into_iter().flatten() {
                self.check(&at, &self.by_name["prometheus"], target);
            }
        }
        panels
    }
}

fn dashboards(bundle: &Bundle) -> Vec<(String, Value)> {
    bundle
        .under("grafana/dashboards/")
        .map(|(path, file)| {
            assert!(!file.is_secret(), "{path}");
            (
                path.to_owned(),
                serde_json::from_str(file.contents()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_dashboard_and_panel_validates_against_grafanas_schemas() {
    let schemas = Schemas::load();
    let mut tenants = examples();
    tenants.extend(hostile());
    tenants.push(every_panel());
    let bundle = grafana(&tenants, &platform());
    let all = dashboards(&bundle);
    let panels: usize = all
        .iter()
        .map(|(path, d)| schemas.check_dashboard(path, d))
        .sum();
    // Each tenant has overview and quotas; acme-music and beatforge (and
    // their hostile copies) an SLO dashboard, acme-music its own `api`.
    // acme-music: overview, slo, quotas and its own `api`; beatforge:
    // overview, slo, quotas; lofi-labs (no SLOs): overview, quotas. The
    // hostile copies the same; every-panel: overview, slo, quotas, panels.
    assert_eq!(all.len(), 2 * (4 + 3 + 2) + 4);
    let kinds: std::collections::BTreeSet<&str> = all
        .iter()
        .flat_map(|(_, d)| d["panels"].as_array().unwrap())
        .map(|p| p["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "bargauge",
            "gauge",
            "row",
            "stat",
            "table",
            "text",
            "timeseries"
        ]
    );
    assert!(panels > 40, "{panels}");
}

#[test]
fn the_schemas_reject_what_grafana_would_reject() {
    // The oracle must be able to fail: an unknown key, a bad grid position,
    // a stat panel without its required options.
    let schemas = Schemas::load();
    let bundle = grafana(&examples(), &platform());
    let (_, good) = dashboards(&bundle).into_iter().next().unwrap();
    let mut unknown = good.clone();
    unknown["colour"] = Value::from("red");
    assert!(!schemas.dashboard.is_valid(&unknown));
    let mut wide = good.clone();
    wide["panels"][0]["gridPos"]["w"] = Value::from(25);
    assert!(!schemas.dashboard.is_valid(&wide));
    let stat = &schemas.by_name["stat/Options"];
    assert!(!stat.is_valid(&serde_json::json!({"graphMode": "area"})));
    let prometheus = &schemas.by_name["prometheus"];
    assert!(!prometheus.is_valid(&serde_json::json!({"refId": "A"})));
}

#[test]
fn every_query_is_locked_to_its_own_tenant() {
    let mut tenants = examples();
    tenants.extend(hostile());
    tenants.push(every_panel());
    let bundle = grafana(&tenants, &platform());
    let mut checked = 0;
    for (path, d) in dashboards(&bundle) {
        let slug = path.split('/').nth(2).unwrap();
        for panel in d["panels"].as_array().unwrap() {
            for target in panel["targets"].as_array().into_iter().flatten() {
                let expr = target["expr"].as_str().unwrap();
                // Locking a locked expression changes nothing: every
                // selector already has exactly this tenant's matcher.
                assert_eq!(
                    promql::lock(expr, "tenant", slug).as_deref(),
                    Ok(expr),
                    "{path}"
                );
                // Only the limit lines (`vector(n)`) have no selector.
                assert!(
                    expr.contains(&format!("tenant=\"{slug}\"")) || expr.starts_with("vector("),
                    "{path}: {expr}"
                );
                for other in &tenants {
                    let s = other.slug.as_str();
                    if s != slug && !slug.ends_with(s) {
                        assert!(!expr.contains(&format!("\"{s}\"")), "{path}: {expr}");
                    }
                }
                assert_eq!(target["datasource"]["uid"], "prometheus", "{path}");
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked}");
}

#[test]
fn uids_paths_and_tags_follow_the_names_module() {
    let tenants = examples();
    let bundle = grafana(&tenants, &platform());
    for t in &tenants {
        for name in [names::OVERVIEW_DASHBOARD, names::QUOTAS_DASHBOARD] {
            let path = format!("grafana/dashboards/{}/{name}.json", t.slug.as_str());
            let d: Value = serde_json::from_str(bundle.get(&path).unwrap().contents()).unwrap();
            assert_eq!(d["uid"], names::dashboard_uid(t, name), "{path}");
            assert_eq!(d["timezone"], t.time_zone.as_str());
            assert_eq!(d["schemaVersion"], 38);
            let tags: Vec<&str> = d["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert!(tags.contains(&format!("tenant:{}", t.slug.as_str()).as_str()));
        }
    }
}

#[test]
fn generated_titles_are_in_the_tenants_locale() {
    let bundle = grafana(&examples(), &platform());
    let title = |path: &str| -> String {
        let d: Value = serde_json::from_str(bundle.get(path).unwrap().contents()).unwrap();
        d["title"].as_str().unwrap().to_owned()
    };
    // acme-music is fr-FR, beatforge de-DE, lofi-labs en.
    assert!(
        title("grafana/dashboards/acme-music/overview.json").ends_with("vue d'ensemble du client")
    );
    assert!(title("grafana/dashboards/beatforge/quotas.json").contains("Kontingentnutzung"));
    assert!(title("grafana/dashboards/lofi-labs/overview.json").ends_with(": tenant overview"));
    // The tenant's own dashboard keeps its title as written.
    assert_eq!(
        title("grafana/dashboards/acme-music/api.json"),
        "API — vue d'ensemble"
    );
}

#[test]
fn modes_choose_which_dashboards_are_rendered() {
    let tenants = examples();
    let paths = |mode| -> Vec<String> {
        grafana(&tenants, &with_mode(mode))
            .under("grafana/dashboards/")
            .map(|(p, _)| p.to_owned())
            .collect()
    };
    let auto = paths(DashboardMode::Auto);
    assert!(auto.contains(&"grafana/dashboards/acme-music/slo.json".to_owned()));
    assert!(!auto.contains(&"grafana/dashboards/lofi-labs/slo.json".to_owned()));
    assert_eq!(
        paths(DashboardMode::Manual),
        vec!["grafana/dashboards/acme-music/api.json".to_owned()]
    );
    assert!(paths(DashboardMode::Off).is_empty());
    let off = grafana(&tenants, &with_mode(DashboardMode::Off));
    let providers: Providers =
        serde_saphyr::from_str(off.get(DASHBOARDS).unwrap().contents()).unwrap();
    assert!(providers.providers.is_empty());
}

#[test]
fn a_tenant_dashboard_named_like_a_generated_one_is_a_problem() {
    let mut t = examples()
        .into_iter()
        .find(|t| t.slug.as_str() == "acme-music")
        .unwrap();
    t.monitoring.dashboards[0].name = tenant_model::Name::new("overview").unwrap();
    let problems = render(
        &[t.clone()],
        &platform(),
        &Options::new(&FakeSecrets).with_targets([Target::Grafana]),
    )
    .unwrap_err();
    assert!(
        problems
            .to_string()
            .contains("/monitoring/dashboards/0/name: `overview` is the name"),
        "{problems}"
    );
    // In `manual` mode nothing is generated, so the name is free.
    grafana(&[t], &with_mode(DashboardMode::Manual));
}

#[test]
fn a_query_that_cannot_be_locked_is_a_problem_at_its_pointer() {
    let mut t = examples()
        .into_iter()
        .find(|t| t.slug.as_str() == "acme-music")
        .unwrap();
    t.monitoring.dashboards[0].panels[0].queries[0].expr = r#"up{tenant="beatforge"}"#.to_owned();
    let problems = render(
        &[t],
        &platform(),
        &Options::new(&FakeSecrets).with_targets([Target::Grafana]),
    )
    .unwrap_err();
    assert!(
        problems
            .to_string()
            .contains("tenant acme-music: /monitoring/dashboards/0/panels/0/queries/0/expr"),
        "{problems}"
    );
}

#[test]
fn tenant_text_is_never_markup() {
    let mut tenants = hostile();
    // Every hostile string in the text panels (the corpus gives each field
    // one of them).
    for p in tenants
        .iter_mut()
        .flat_map(|t| t.monitoring.dashboards.iter_mut())
        .flat_map(|d| d.panels.iter_mut())
        .filter(|p| p.kind == tenant_model::PanelKind::Text)
    {
        p.content = Some(HOSTILE.join("\n"));
    }
    let bundle = grafana(&tenants, &platform());
    let mut texts = 0;
    for (path, d) in dashboards(&bundle) {
        for panel in d["panels"].as_array().unwrap() {
            let mut markdown = Vec::new();
            if panel["type"] == "text" {
                assert_eq!(panel["options"]["mode"], "markdown", "{path}");
                markdown.push(panel["options"]["content"].as_str().unwrap());
                texts += 1;
            }
            markdown.extend(panel["description"].as_str());
            for text in markdown {
                assert!(
                    !text.contains(['<', '>', '[', ']', '"', '\'']),
                    "{path}: {text}"
                );
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() && c != '\n' && c != '\t'),
                    "{path}"
                );
            }
        }
    }
    assert!(texts >= 1);
    // And the escaping keeps the text: decoding the references gives back
    // what the tenant wrote (control characters aside).
    let t = tenants
        .iter()
        .find(|t| !t.monitoring.dashboards.is_empty())
        .unwrap();
    let d: Value = serde_json::from_str(
        bundle
            .get(&format!("grafana/dashboards/{}/api.json", t.slug.as_str()))
            .unwrap()
            .contents(),
    )
    .unwrap();
    let shown = d["panels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "text")
        .unwrap()["options"]["content"]
        .as_str()
        .unwrap()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#91;", "[")
        .replace("&#93;", "]")
        .replace("&amp;", "&");
    let written: String = t.monitoring.dashboards[0]
        .panels
        .iter()
        .find_map(|p| p.content.clone())
        .unwrap()
        .replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    assert_eq!(shown, written);
    assert!(written.contains("<script>"), "{written}");
}

#[test]
fn two_tenants_cannot_share_a_folder_title() {
    let mut tenants = examples();
    tenants[1].display_name = tenants[0].display_name.to_uppercase();
    let problems = render(
        &tenants,
        &platform(),
        &Options::new(&FakeSecrets).with_targets([Target::Grafana]),
    )
    .unwrap_err();
    assert_eq!(problems.len(), 1, "{problems}");
    assert!(
        problems.to_string().starts_with(&format!(
            "tenant {}: /display_name: is the display name of tenant `{}` too",
            tenants[1].slug.as_str(),
            tenants[0].slug.as_str()
        )),
        "{problems}"
    );
}

// The provisioning files as Grafana 10 documents them ("Provision Grafana":
// dashboards providers and data sources). Unknown keys are errors.

const DASHBOARDS: &str = "grafana/provisioning/dashboards/tenants.yml";
const DATASOURCES: &str = "grafana/provisioning/datasources/tenants.yml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Providers {
    api_version: u32,
    providers: Vec<Provider>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code, reason = "mirrors Grafana's documented fields")]
struct Provider {
    name: String,
    org_id: Option<u32>,
    folder: Option<String>,
    folder_uid: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    disable_deletion: Option<bool>,
    update_interval_seconds: Option<u32>,
    allow_ui_updates: Option<bool>,
    options: ProviderOptions,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code, reason = "mirrors Grafana's documented fields")]
struct ProviderOptions {
    path: String,
    folders_from_files_structure: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Datasources {
    api_version: u32,
    #[serde(default)]
    delete_datasources: Vec<Value>,
    datasources: Vec<Datasource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code, reason = "mirrors Grafana's documented fields")]
struct Datasource {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    uid: Option<String>,
    org_id: Option<u32>,
    access: Option<String>,
    url: Option<String>,
    user: Option<String>,
    database: Option<String>,
    basic_auth: Option<bool>,
    basic_auth_user: Option<String>,
    with_credentials: Option<bool>,
    is_default: Option<bool>,
    version: Option<u32>,
    editable: Option<bool>,
    json_data: Option<BTreeMap<String, Value>>,
    secure_json_data: Option<BTreeMap<String, String>>,
}

#[test]
fn provisioning_files_parse_as_grafana_documents_them() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let mut mimir = platform();
    mimir.monitoring.mimir_url = Some("http://mimir:8080/prometheus".to_owned());
    let bundle = grafana(&tenants, &mimir);

    let file = bundle.get(DASHBOARDS).unwrap();
    assert!(!file.is_secret());
    let providers: Providers = serde_saphyr::from_str(file.contents()).unwrap();
    assert_eq!(providers.api_version, 1);
    assert_eq!(providers.providers.len(), tenants.len());
    for (t, p) in tenants.iter().zip(&providers.providers) {
        // The folder title is the display name, exactly, hostile or not,
        // but for `/`, which Grafana would read as nested folders.
        assert_eq!(
            p.folder.as_deref(),
            Some(t.display_name.replace('/', "\u{2215}").as_str())
        );
        assert_eq!(p.kind, "file");
        assert_eq!(
            p.options.path,
            format!("{}/{}", names::GRAFANA_DASHBOARDS_ROOT, t.slug.as_str())
        );
        assert!(p.folder_uid.as_ref().unwrap().len() <= 40);
    }

    let file = bundle.get(DATASOURCES).unwrap();
    assert!(!file.is_secret());
    let ds: Datasources = serde_saphyr::from_str(file.contents()).unwrap();
    assert_eq!(ds.api_version, 1);
    assert!(ds.delete_datasources.is_empty());
    assert_eq!(ds.datasources.len(), 1 + tenants.len());
    let shared = &ds.datasources[0];
    assert_eq!(shared.uid.as_deref(), Some("prometheus"));
    assert_eq!(shared.is_default, Some(true));
    for (t, d) in tenants.iter().zip(&ds.datasources[1..]) {
        assert_eq!(d.kind, "prometheus");
        assert_eq!(
            d.uid.as_deref(),
            Some(names::mimir_datasource_uid(t).as_str())
        );
        let json = d.json_data.as_ref().unwrap();
        assert_eq!(json["httpHeaderName1"], "X-Scope-OrgID");
        assert_eq!(
            d.secure_json_data.as_ref().unwrap()["httpHeaderValue1"],
            t.slug.as_str()
        );
    }

    // Without Mimir, only the shared data source.
    let ds: Datasources = serde_saphyr::from_str(
        grafana(&tenants, &platform())
            .get(DATASOURCES)
            .unwrap()
            .contents(),
    )
    .unwrap();
    assert_eq!(ds.datasources.len(), 1);
}

#[test]
fn example_files_are_unchanged() {
    let bundle = grafana(&examples(), &platform());
    for (path, file) in bundle.under("grafana/") {
        insta::assert_snapshot!(path.replace('/', "__"), file.contents());
    }
}

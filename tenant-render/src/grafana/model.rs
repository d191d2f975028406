//! The subset of Grafana's dashboard JSON (schema version 38, the one
//! Grafana 10.0 writes) that tenant-kit emits, as typed structs: field
//! order is output order, optional fields are left out when unset.
//!
//! The names and shapes follow the Grafana Foundation SDK's JSON Schemas
//! (`tests/data/grafana/`), which the tests check every dashboard against:
//! the dashboard schema for the whole file, and each panel plugin's schema
//! for its `options` and `fieldConfig.defaults.custom`.

use serde::Serialize;

/// The dashboard schema version: Grafana 10.0's. Newer Grafanas migrate
/// it forward on load; older ones are below the floor.
pub(crate) const SCHEMA_VERSION: u32 = 38;

/// The plugin version written on every panel: the floor, so Grafana runs
/// its panel migrations from there.
pub(crate) const PLUGIN_VERSION: &str = "10.0.0";

/// A whole dashboard file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Dashboard {
    pub(crate) uid: String,
    pub(crate) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    /// The tenant's IANA time zone.
    pub(crate) timezone: String,
    pub(crate) editable: bool,
    /// 1: shared crosshair.
    pub(crate) graph_tooltip: u8,
    pub(crate) time: TimeRange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refresh: Option<String>,
    pub(crate) schema_version: u32,
    pub(crate) version: u32,
    pub(crate) links: Vec<DashboardLink>,
    pub(crate) templating: Templating,
    pub(crate) annotations: Annotations,
    pub(crate) panels: Vec<Item>,
}

/// The default time range: `now-<range>` to `now`.
#[derive(Debug, Serialize)]
pub(crate) struct TimeRange {
    pub(crate) from: String,
    pub(crate) to: String,
}

/// A link shown above the panels.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DashboardLink {
    pub(crate) title: String,
    /// `dashboards`: every dashboard carrying `tags`.
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) icon: &'static str,
    pub(crate) tooltip: String,
    pub(crate) tags: Vec<String>,
    pub(crate) as_dropdown: bool,
    pub(crate) target_blank: bool,
    pub(crate) include_vars: bool,
    pub(crate) keep_time: bool,
}

/// Template variables.
#[derive(Debug, Serialize)]
pub(crate) struct Templating {
    pub(crate) list: Vec<Variable>,
}

/// A `custom` template variable: a fixed list of values.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Variable {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    pub(crate) label: String,
    /// The values, comma-separated (Grafana's `custom` syntax).
    pub(crate) query: String,
    pub(crate) current: VariableOption,
    pub(crate) options: Vec<VariableOption>,
    pub(crate) multi: bool,
    pub(crate) include_all: bool,
}

/// One value of a variable.
#[derive(Debug, Serialize)]
pub(crate) struct VariableOption {
    pub(crate) selected: bool,
    pub(crate) text: String,
    pub(crate) value: String,
}

/// Annotation queries: none beyond Grafana's built-in one, which Grafana
/// adds itself.
#[derive(Debug, Serialize)]
pub(crate) struct Annotations {
    pub(crate) list: Vec<()>,
}

/// An entry of the dashboard's `panels`: a panel or a row header.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Item {
    Panel(Box<Panel>),
    Row(Row),
}

/// A row header (not collapsed: the panels after it belong to it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Row {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) id: u32,
    pub(crate) title: String,
    pub(crate) collapsed: bool,
    pub(crate) grid_pos: GridPos,
    pub(crate) panels: Vec<()>,
}

/// A panel.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Panel {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) id: u32,
    pub(crate) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    pub(crate) plugin_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) datasource: Option<DataSourceRef>,
    pub(crate) grid_pos: GridPos,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) targets: Vec<Target>,
    pub(crate) field_config: FieldConfigSource,
    pub(crate) options: Options,
}

/// Where a panel sits: columns (of 24) and rows.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct GridPos {
    pub(crate) h: u32,
    pub(crate) w: u32,
    pub(crate) x: u32,
    pub(crate) y: u32,
}

/// A data source by type and uid.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataSourceRef {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) uid: String,
}

/// A Prometheus query of a panel.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Target {
    pub(crate) datasource: DataSourceRef,
    pub(crate) ref_id: String,
    /// Tenant-locked PromQL.
    pub(crate) expr: String,
    /// Grafana's legend template (`{{label}}`), as the tenant wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) legend_format: Option<String>,
    pub(crate) editor_mode: &'static str,
    /// `table` for table panels (one row per series), else unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) format: Option<&'static str>,
    pub(crate) range: bool,
    pub(crate) instant: bool,
}

/// Field options: defaults for every field, no overrides.
#[derive(Debug, Serialize)]
pub(crate) struct FieldConfigSource {
    pub(crate) defaults: FieldConfig,
    pub(crate) overrides: Vec<()>,
}

/// The field options tenant-kit sets.
#[derive(Debug, Default, Serialize)]
pub(crate) struct FieldConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) thresholds: Option<Thresholds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) color: Option<FieldColor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) custom: Option<Custom>,
}

/// Absolute thresholds; the first step's value is `null` (−∞).
#[derive(Debug, Serialize)]
pub(crate) struct Thresholds {
    pub(crate) mode: &'static str,
    pub(crate) steps: Vec<Step>,
}

/// A threshold step: from `value` up, `color`.
#[derive(Debug, Serialize)]
pub(crate) struct Step {
    pub(crate) value: Option<f64>,
    pub(crate) color: &'static str,
}

/// How fields are coloured.
#[derive(Debug, Serialize)]
pub(crate) struct FieldColor {
    pub(crate) mode: &'static str,
}

/// The panel plugin's own field options (`fieldConfig.defaults.custom`).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Custom {
    Graph(GraphFieldConfig),
    Table(TableFieldOptions),
}

/// Time series field options.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GraphFieldConfig {
    pub(crate) draw_style: &'static str,
    pub(crate) line_interpolation: &'static str,
    pub(crate) line_width: u32,
    pub(crate) fill_opacity: u32,
    pub(crate) show_points: &'static str,
    pub(crate) span_nulls: bool,
}

/// Table field options.
#[derive(Debug, Serialize)]
pub(crate) struct TableFieldOptions {
    pub(crate) align: &'static str,
    pub(crate) inspect: bool,
}

/// A panel plugin's options.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Options {
    Timeseries(TimeseriesOptions),
    Stat(StatOptions),
    Gauge(GaugeOptions),
    Bargauge(BargaugeOptions),
    Table(TableOptions),
    Text(TextOptions),
}

/// `timeseries` options.
#[derive(Debug, Serialize)]
pub(crate) struct TimeseriesOptions {
    pub(crate) legend: Legend,
    pub(crate) tooltip: Tooltip,
}

/// A legend below the graph.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Legend {
    pub(crate) display_mode: &'static str,
    pub(crate) placement: &'static str,
    pub(crate) show_legend: bool,
    pub(crate) calcs: Vec<&'static str>,
}

/// The hover tooltip.
#[derive(Debug, Serialize)]
pub(crate) struct Tooltip {
    pub(crate) mode: &'static str,
    pub(crate) sort: &'static str,
}

/// How a series is reduced to one value (stat, gauges).
#[derive(Debug, Serialize)]
pub(crate) struct Reduce {
    pub(crate) values: bool,
    pub(crate) calcs: Vec<&'static str>,
    pub(crate) fields: &'static str,
}

/// `stat` options.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatOptions {
    pub(crate) reduce_options: Reduce,
    pub(crate) orientation: &'static str,
    pub(crate) text_mode: &'static str,
    pub(crate) color_mode: &'static str,
    pub(crate) graph_mode: &'static str,
    pub(crate) justify_mode: &'static str,
    pub(crate) wide_layout: bool,
    pub(crate) show_percent_change: bool,
    pub(crate) percent_change_color_mode: &'static str,
}

/// `gauge` options.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GaugeOptions {
    pub(crate) reduce_options: Reduce,
    pub(crate) orientation: &'static str,
    pub(crate) show_threshold_labels: bool,
    pub(crate) show_threshold_markers: bool,
    pub(crate) sizing: &'static str,
    pub(crate) min_viz_width: u32,
    pub(crate) min_viz_height: u32,
}

/// `bargauge` options.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BargaugeOptions {
    pub(crate) reduce_options: Reduce,
    pub(crate) orientation: &'static str,
    pub(crate) display_mode: &'static str,
    pub(crate) value_mode: &'static str,
    pub(crate) name_placement: &'static str,
    pub(crate) show_unfilled: bool,
    pub(crate) sizing: &'static str,
    pub(crate) min_viz_width: u32,
    pub(crate) min_viz_height: u32,
    pub(crate) max_viz_height: u32,
    pub(crate) legend: Legend,
}

/// `table` options.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TableOptions {
    pub(crate) frame_index: u32,
    pub(crate) show_header: bool,
    pub(crate) cell_height: &'static str,
}

/// `text` options: `markdown` mode, content escaped by
/// [`crate::escape::html::markdown`].
#[derive(Debug, Serialize)]
pub(crate) struct TextOptions {
    pub(crate) mode: &'static str,
    pub(crate) content: String,
}

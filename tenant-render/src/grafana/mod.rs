//! The `grafana` target: per-tenant dashboards and Grafana's provisioning
//! files.
//!
//! Files written:
//!
//! - `grafana/dashboards/<slug>/<name>.json`: the tenant's own
//!   `monitoring.dashboards`, and, when the platform switch
//!   `grafana_dashboards` is `auto`, the generated `overview`, `slo` (when
//!   the tenant has SLOs) and `quotas` dashboards ([`generated`]). `manual`
//!   renders only the tenant's own, `off` none. A tenant whose
//!   `monitoring.enabled` is false gets none. The platform's
//!   `monitoring_enabled` and `prometheus_metrics` switches do not change
//!   the dashboards (the SLO panels then show no data).
//! - `grafana/provisioning/dashboards/tenants.yml`: one `file` provider per
//!   tenant with dashboards, reading
//!   [`GRAFANA_DASHBOARDS_ROOT`](crate::names::GRAFANA_DASHBOARDS_ROOT)`/<slug>`
//!   into a folder titled with the tenant's display name (with a stable
//!   `folderUid`, so renaming the tenant renames the folder; `/` is written
//!   as `∕`, since Grafana reads it as nested folders). Two tenants whose
//!   folder titles are equal but for case are a problem: Grafana refuses
//!   two folders of one title.
//! - `grafana/provisioning/datasources/tenants.yml`: the shared Prometheus
//!   data source (`platform.monitoring.datasource_uid`, at
//!   `prometheus_url`) and, when `platform.monitoring.mimir_url` is set, one
//!   Mimir data source per tenant sending `X-Scope-OrgID: <slug>`. The org
//!   id is in `secureJsonData` as Grafana wants header values, but it is the
//!   tenant's slug, which every other file names too: the file holds no
//!   secret and is not marked secret (marking it would hide a plain file and
//!   teach readers to ignore the mark). Isolation in Mimir comes from who may
//!   query which data source in Grafana, not from the header being unknown.
//!
//! Choices where the issue is silent:
//!
//! - Every panel query, the tenant's and the generated ones, goes through
//!   the PromQL tenant lock ([`crate::escape::promql::lock`]); a query that
//!   cannot be locked is a problem at its JSON pointer. Panels query the
//!   shared data source; the Mimir data sources are for exploration.
//! - Titles are data: Grafana shows titles as text. Descriptions and text
//!   panels are Markdown in Grafana, so tenant text there goes through
//!   [`crate::escape::html::markdown`] and text panels use `markdown` mode.
//!   Legends are kept as written (`{{route}}` is Grafana's syntax).
//! - Layout: a text panel takes the full width, other panels of the
//!   tenant's own dashboards half of it, in document order.

mod generated;
mod model;
mod provisioning;

use tenant_i18n::{Args, Localizer};
use tenant_model::{DashboardMode, Problem, Tenant};

use crate::escape::html;
use crate::names;
use crate::{Bundle, Context, Problems, internal};

use self::model::{
    Annotations, BargaugeOptions, Custom, DashboardLink, DataSourceRef, FieldColor, FieldConfig,
    FieldConfigSource, GaugeOptions, GraphFieldConfig, GridPos, Item, Legend, Options, Panel,
    Reduce, Row, StatOptions, TableFieldOptions, TableOptions, Target, Templating, TextOptions,
    Thresholds, TimeRange, TimeseriesOptions, Tooltip, Variable,
};

pub(crate) use self::model::Dashboard;

/// The visualisations a panel can have.
pub(crate) use tenant_model::PanelKind as Kind;

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    let mode = cx.switches.grafana_dashboards;
    let has_dashboards =
        crate::per_tenant(cx.tenants, bundle, problems, |tenant, bundle, problems| {
            if !tenant.monitoring.enabled || mode == DashboardMode::Off {
                return false;
            }
            let dashboards = tenant_dashboards(cx, tenant, mode, problems);
            if dashboards.is_empty() {
                return false;
            }
            for (name, dashboard) in dashboards {
                let path = format!("grafana/dashboards/{}/{name}.json", tenant.slug.as_str());
                match crate::json::to_string_pretty(&dashboard, 4096) {
                    Ok(mut text) => {
                        text.push('\n');
                        if let Err(e) = bundle.insert(path, text) {
                            internal(problems, e);
                        }
                    }
                    Err(e) => internal(problems, e),
                }
            }
            true
        });
    let with_dashboards: Vec<&Tenant> = cx
        .tenants
        .iter()
        .zip(has_dashboards)
        .filter_map(|(tenant, has)| has.then_some(tenant))
        .collect();
    provisioning::render(cx, &with_dashboards, bundle, problems);
}

/// The dashboards of one tenant, by name: generated ones first (in `auto`
/// mode), then the tenant's own.
pub(crate) fn tenant_dashboards(
    cx: &Context<'_>,
    tenant: &Tenant,
    mode: DashboardMode,
    problems: &mut Problems,
) -> Vec<(String, Dashboard)> {
    let i18n = Localizer::shared(tenant.locale.langid(), tenant.time_zone.tz());
    let mut b = Builder {
        cx,
        tenant,
        i18n: &i18n,
        problems,
    };
    let mut out = Vec::new();
    if mode == DashboardMode::Auto {
        out.extend(generated::all(&mut b));
        for (i, d) in tenant.monitoring.dashboards.iter().enumerate() {
            if out.iter().any(|(name, _)| name == d.name.as_str()) {
                b.problem(
                    format!("/monitoring/dashboards/{i}/name"),
                    format!(
                        "`{}` is the name of a dashboard tenant-kit generates when dashboards are `auto`; choose another name",
                        d.name.as_str()
                    ),
                );
            }
        }
    }
    for (i, d) in tenant.monitoring.dashboards.iter().enumerate() {
        let mut items = Vec::new();
        for (j, p) in d.panels.iter().enumerate() {
            let base = format!("/monitoring/dashboards/{i}/panels/{j}");
            let mut spec = Spec::new(p.kind, p.title.clone());
            spec.unit = p.unit.clone();
            if p.kind == Kind::Text {
                spec.content = Some(p.content.clone().unwrap_or_default());
                spec.width = 24;
                spec.height = 6;
            } else {
                for (k, q) in p.queries.iter().enumerate() {
                    if let Some(expr) = b.lock(&q.expr, &format!("{base}/queries/{k}/expr")) {
                        spec.queries.push((expr, q.legend.clone()));
                    }
                }
            }
            items.push(Entry::Panel(spec));
        }
        let dashboard = b.dashboard(
            d.name.as_str(),
            d.title.clone(),
            None,
            Frame {
                refresh: d.refresh.as_ref().map(|r| r.as_str().to_owned()),
                range: d
                    .time_range
                    .as_ref()
                    .map_or("6h", |r| r.as_str())
                    .to_owned(),
                generated: false,
            },
            Vec::new(),
            items,
        );
        out.push((d.name.as_str().to_owned(), dashboard));
    }
    out
}

/// What one tenant's dashboards are built with.
pub(crate) struct Builder<'a, 'p> {
    cx: &'a Context<'a>,
    tenant: &'a Tenant,
    i18n: &'a Localizer,
    problems: &'p mut Problems,
}

/// Refresh and time range of a dashboard.
pub(crate) struct Frame {
    refresh: Option<String>,
    range: String,
    generated: bool,
}

/// A dashboard entry before layout.
pub(crate) enum Entry {
    Row(String),
    Panel(Spec),
}

/// A panel before layout: everything but its id and position.
pub(crate) struct Spec {
    kind: Kind,
    title: String,
    description: Option<String>,
    unit: Option<String>,
    /// Locked expressions and their legends.
    queries: Vec<(String, Option<String>)>,
    /// Text panel content, as the tenant wrote it (escaped when built).
    content: Option<String>,
    thresholds: Option<Thresholds>,
    min: Option<f64>,
    max: Option<f64>,
    width: u32,
    height: u32,
}

impl Spec {
    pub(crate) fn new(kind: Kind, title: String) -> Spec {
        Spec {
            kind,
            title,
            description: None,
            unit: None,
            queries: Vec::new(),
            content: None,
            thresholds: None,
            min: None,
            max: None,
            width: 12,
            height: 8,
        }
    }
}

impl Builder<'_, '_> {
    fn problem(&mut self, pointer: String, message: String) {
        self.problems
            .tenant(self.tenant, Problem::new(pointer, message));
    }

    /// `expr` locked to the tenant, or a problem at `pointer`.
    fn lock(&mut self, expr: &str, pointer: &str) -> Option<String> {
        // Through the render's memo: a query that does not depend on the
        // slug is parsed once for all tenants (its regular expressions
        // compiled once), exactly as the rule targets share theirs.
        match self
            .cx
            .rule_memo
            .lock(expr, self.cx.tenant_label(), self.tenant.slug.as_str())
        {
            Ok(locked) => Some(locked),
            Err(e) => {
                self.problem(pointer.to_owned(), e.message().to_owned());
                None
            }
        }
    }

    /// An SLI query with `window`, locked, or a problem at `pointer`.
    fn lock_sli(&mut self, query: &str, window: &str, pointer: &str) -> Option<String> {
        match self.cx.rule_memo.lock_sli(
            query,
            window,
            self.cx.tenant_label(),
            self.tenant.slug.as_str(),
        ) {
            Ok(locked) => Some(locked),
            Err(e) => {
                self.problem(pointer.to_owned(), e.message().to_owned());
                None
            }
        }
    }

    /// A message of the catalogs in the tenant's locale, with `tenant` set
    /// to its display name. A missing message is a bug, reported.
    fn text(&mut self, id: &str) -> String {
        let args = Args::new().with("tenant", self.tenant.display_name.as_str());
        match self.i18n.format(id, &args) {
            Ok(text) => text,
            Err(e) => {
                internal(self.problems, e);
                id.to_owned()
            }
        }
    }

    fn datasource(&self) -> DataSourceRef {
        DataSourceRef {
            kind: "prometheus",
            uid: self.cx.platform.monitoring.datasource_uid.clone(),
        }
    }

    fn tag(&self) -> String {
        format!("tenant:{}", self.tenant.slug.as_str())
    }

    /// Lays out `items` and makes the dashboard named `name`.
    fn dashboard(
        &mut self,
        name: &str,
        title: String,
        description: Option<String>,
        frame: Frame,
        variables: Vec<Variable>,
        items: Vec<Entry>,
    ) -> Dashboard {
        let mut tags = vec!["tenant-kit".to_owned(), self.tag()];
        if frame.generated {
            tags.push("generated".to_owned());
        }
        let link = DashboardLink {
            title: self.text("dashboard-links"),
            kind: "dashboards",
            icon: "external link",
            tooltip: String::new(),
            tags: vec![self.tag()],
            as_dropdown: true,
            target_blank: false,
            include_vars: false,
            keep_time: true,
        };
        let mut panels = Vec::new();
        let mut layout = Layout::default();
        for (i, item) in items.into_iter().enumerate() {
            let id = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
            match item {
                Entry::Row(title) => panels.push(Item::Row(Row {
                    kind: "row",
                    id,
                    title,
                    collapsed: false,
                    grid_pos: layout.row(),
                    panels: Vec::new(),
                })),
                Entry::Panel(spec) => {
                    let grid_pos = layout.place(spec.width, spec.height);
                    panels.push(Item::Panel(Box::new(self.panel(id, grid_pos, spec))));
                }
            }
        }
        Dashboard {
            uid: names::dashboard_uid(self.tenant, name),
            title,
            // Grafana shows a dashboard's description as text (unlike a
            // panel's, which is Markdown).
            description,
            tags,
            timezone: self.tenant.time_zone.as_str().to_owned(),
            editable: false,
            graph_tooltip: 1,
            time: TimeRange {
                from: format!("now-{}", frame.range),
                to: "now".to_owned(),
            },
            refresh: frame.refresh,
            schema_version: model::SCHEMA_VERSION,
            version: 1,
            links: vec![link],
            templating: Templating { list: variables },
            annotations: Annotations { list: Vec::new() },
            panels,
        }
    }

    fn panel(&self, id: u32, grid_pos: GridPos, spec: Spec) -> Panel {
        let reduce = || Reduce {
            values: false,
            calcs: vec!["lastNotNull"],
            fields: "",
        };
        let legend = || Legend {
            display_mode: "list",
            placement: "bottom",
            show_legend: true,
            calcs: Vec::new(),
        };
        let (kind, options, custom) = match spec.kind {
            Kind::Timeseries => (
                "timeseries",
                Options::Timeseries(TimeseriesOptions {
                    legend: legend(),
                    tooltip: Tooltip {
                        mode: "multi",
                        sort: "desc",
                    },
                }),
                Some(Custom::Graph(GraphFieldConfig {
                    draw_style: "line",
                    line_interpolation: "linear",
                    line_width: 1,
                    fill_opacity: 10,
                    show_points: "never",
                    span_nulls: false,
                })),
            ),
            Kind::Stat => (
                "stat",
                Options::Stat(StatOptions {
                    reduce_options: reduce(),
                    orientation: "auto",
                    text_mode: "auto",
                    color_mode: "value",
                    graph_mode: "area",
                    justify_mode: "auto",
                    wide_layout: true,
                    show_percent_change: false,
                    percent_change_color_mode: "standard",
                }),
                None,
            ),
            Kind::Gauge => (
                "gauge",
                Options::Gauge(GaugeOptions {
                    reduce_options: reduce(),
                    orientation: "auto",
                    show_threshold_labels: false,
                    show_threshold_markers: true,
                    sizing: "auto",
                    min_viz_width: 75,
                    min_viz_height: 75,
                }),
                None,
            ),
            Kind::Bargauge => (
                "bargauge",
                Options::Bargauge(BargaugeOptions {
                    reduce_options: reduce(),
                    orientation: "horizontal",
                    display_mode: "gradient",
                    value_mode: "color",
                    name_placement: "auto",
                    show_unfilled: true,
                    sizing: "auto",
                    min_viz_width: 8,
                    min_viz_height: 16,
                    max_viz_height: 300,
                    legend: legend(),
                }),
                None,
            ),
            Kind::Table => (
                "table",
                Options::Table(TableOptions {
                    frame_index: 0,
                    show_header: true,
                    cell_height: "sm",
                }),
                Some(Custom::Table(TableFieldOptions {
                    align: "auto",
                    inspect: false,
                })),
            ),
            Kind::Text => (
                "text",
                Options::Text(TextOptions {
                    mode: "markdown",
                    content: html::markdown(spec.content.as_deref().unwrap_or_default()),
                }),
                None,
            ),
        };
        let text = spec.kind == Kind::Text;
        let table = spec.kind == Kind::Table;
        let targets = spec
            .queries
            .into_iter()
            .zip(ref_ids())
            .map(|((expr, legend), ref_id)| Target {
                datasource: self.datasource(),
                ref_id,
                expr,
                legend_format: legend,
                editor_mode: "code",
                format: table.then_some("table"),
                range: !table,
                instant: table,
            })
            .collect();
        let defaults = if text {
            FieldConfig::default()
        } else {
            FieldConfig {
                unit: spec.unit,
                min: spec.min,
                max: spec.max,
                thresholds: Some(spec.thresholds.unwrap_or_else(|| Thresholds {
                    mode: "absolute",
                    steps: vec![model::Step {
                        value: None,
                        color: "green",
                    }],
                })),
                color: Some(FieldColor {
                    mode: if spec.kind == Kind::Timeseries {
                        "palette-classic"
                    } else {
                        "thresholds"
                    },
                }),
                custom,
            }
        };
        Panel {
            kind,
            id,
            title: spec.title,
            description: spec.description.map(|d| html::markdown(&d)),
            plugin_version: model::PLUGIN_VERSION,
            datasource: (!text).then(|| self.datasource()),
            grid_pos,
            targets,
            field_config: FieldConfigSource {
                defaults,
                overrides: Vec::new(),
            },
            options,
        }
    }
}

/// `A`, `B`, …, `Z`, `AA`, `AB`, …: Grafana's query ids.
fn ref_ids() -> impl Iterator<Item = String> {
    const LETTERS: &[u8; 26] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0usize..).map(|mut n| {
        let mut id = Vec::new();
        loop {
            id.push(LETTERS.get(n % 26).copied().unwrap_or(b'A'));
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        id.reverse();
        String::from_utf8_lossy(&id).into_owned()
    })
}

/// Places panels left to right on Grafana's 24-column grid, wrapping to a
/// new line when a panel does not fit.
#[derive(Default)]
struct Layout {
    x: u32,
    y: u32,
    line_height: u32,
}

impl Layout {
    fn place(&mut self, width: u32, height: u32) -> GridPos {
        let width = width.clamp(1, 24);
        if self.x + width > 24 {
            self.newline();
        }
        let pos = GridPos {
            h: height.max(1),
            w: width,
            x: self.x,
            y: self.y,
        };
        self.x += width;
        self.line_height = self.line_height.max(pos.h);
        pos
    }

    fn row(&mut self) -> GridPos {
        self.newline();
        let pos = GridPos {
            h: 1,
            w: 24,
            x: 0,
            y: self.y,
        };
        self.y += 1;
        pos
    }

    fn newline(&mut self) {
        self.y += self.line_height;
        self.x = 0;
        self.line_height = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_ids_count_like_spreadsheet_columns() {
        let ids: Vec<String> = ref_ids().take(28).collect();
        assert_eq!(ids.first().map(String::as_str), Some("A"));
        assert_eq!(ids.get(25).map(String::as_str), Some("Z"));
        assert_eq!(ids.get(26).map(String::as_str), Some("AA"));
        assert_eq!(ids.get(27).map(String::as_str), Some("AB"));
    }

    #[test]
    fn layout_wraps_and_rows_start_lines() {
        let mut l = Layout::default();
        let a = l.place(12, 8);
        let b = l.place(12, 8);
        let c = l.place(8, 4);
        let r = l.row();
        let d = l.place(24, 6);
        assert_eq!((a.x, a.y, b.x, b.y, c.x, c.y), (0, 0, 12, 0, 0, 8));
        assert_eq!((r.y, d.y), (12, 13));
    }
}

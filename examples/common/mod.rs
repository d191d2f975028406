//! What the examples share: loading and validating the example documents
//! (`examples/platform.yaml`, `examples/compliance_rules.yaml` and the YAML
//! tenants in `examples/tenants/`).

use std::path::{Path, PathBuf};

use tenant_kit::model::{
    self, ComplianceRules, Format, PlatformConfig, Problems, Tenant, WrittenFields,
    check_against_platform, check_tenant_set,
};

/// The example documents, parsed and validated.
#[allow(dead_code, reason = "each example uses its part")]
pub(crate) struct Examples {
    /// `examples/platform.yaml`.
    pub(crate) platform: PlatformConfig,
    /// `examples/compliance_rules.yaml`.
    pub(crate) rules: ComplianceRules,
    /// The tenants, in file-name order.
    pub(crate) tenants: Vec<Tenant>,
    /// The file of each tenant.
    pub(crate) paths: Vec<PathBuf>,
    /// What each tenant's file writes (compliance takes only written fields
    /// as evidence, never the model's defaults).
    pub(crate) written: Vec<WrittenFields>,
}

/// The `examples/` directory.
pub(crate) fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// One document, every problem prefixed with its file.
pub(crate) fn read<D: model::Document>(path: &Path) -> Result<D, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    let format = Format::from_path(path).ok_or("not a .json, .yaml, .yml or .toml file")?;
    model::parse::<D>(&text, format).map_err(|problems: Problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}:{p}", path.display()))
            .collect();
        lines.join("\n").into()
    })
}

/// Loads the example documents in `dir` and validates them: each one
/// alone, the tenants as a set (unique ids, slugs, databases, cache
/// prefixes) and each tenant against the platform. Every problem is
/// reported at once.
pub(crate) fn load(dir: &Path) -> Result<Examples, Box<dyn std::error::Error>> {
    let platform: PlatformConfig = read(&dir.join("platform.yaml"))?;
    let rules: ComplianceRules = read(&dir.join("compliance_rules.yaml"))?;

    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("tenants"))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let mut tenants = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        match read::<Tenant>(path) {
            Ok(tenant) => tenants.push(tenant),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    let written: Vec<WrittenFields> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).map(|text| WrittenFields::of_text(&text, Format::Yaml)))
        .collect::<Result<_, _>>()?;

    let set: Vec<&Tenant> = tenants.iter().collect();
    let mut problems: Vec<String> = check_tenant_set(&set)
        .into_iter()
        .map(|p| {
            let slug = tenants.get(p.tenant).map_or("?", |t| t.slug.as_str());
            format!("tenant {slug}: {}", p.problem)
        })
        .collect();
    for tenant in &tenants {
        problems.extend(
            check_against_platform(tenant, &platform)
                .into_iter()
                .map(|p| format!("tenant {}: {p}", tenant.slug)),
        );
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    Ok(Examples {
        platform,
        rules,
        tenants,
        paths,
        written,
    })
}

/// The instant the examples evaluate at, fixed so their output is
/// reproducible.
#[allow(dead_code, reason = "each example uses its part")]
pub(crate) fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
}

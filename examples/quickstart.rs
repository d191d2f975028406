//! Quickstart: load the example platform, compliance rules and tenants,
//! validate them (one by one, as a set, and against the platform) and print
//! a summary of each tenant.
//!
//! Run it with `cargo run --example quickstart`.

use std::path::{Path, PathBuf};

use tenant_kit::i18n::{Args, Localizer, LocalizerConfig, TenantOverrides};
use tenant_kit::model::{
    self, Classification, ComplianceRules, Format, PlatformConfig, Problems, Tenant, WrittenFields,
    check_against_platform, check_tenant_set,
};
use tenant_kit::policy::{
    audit::{AuditChain, AuditEvent, EventStamp},
    authz::{PolicySet, Principal, PrincipalKind, Request, Resource},
    checks::{ComplianceContext, TenantEvidence, evaluate_compliance},
};

fn read<D: model::Document>(path: &Path) -> Result<D, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let format = Format::from_path(path).ok_or("not a .json, .yaml, .yml or .toml file")?;
    model::parse::<D>(&text, format).map_err(|problems: Problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}:{p}", path.display()))
            .collect();
        lines.join("\n").into()
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let platform: PlatformConfig = read(&examples.join("platform.yaml"))?;
    let rules: ComplianceRules = read(&examples.join("compliance_rules.yaml"))?;

    let mut paths: Vec<PathBuf> = std::fs::read_dir(examples.join("tenants"))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let tenants: Vec<Tenant> = paths.iter().map(|p| read(p)).collect::<Result<_, _>>()?;
    // What each file writes: compliance takes only written fields as
    // evidence, never the model's defaults.
    let written: Vec<WrittenFields> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).map(|text| WrittenFields::of_text(&text, Format::Yaml)))
        .collect::<Result<_, _>>()?;

    // Rules across the set and against the platform.
    let set: Vec<&Tenant> = tenants.iter().collect();
    let mut problems: Vec<String> = check_tenant_set(&set)
        .into_iter()
        .map(|p| {
            let slug = tenants.get(p.tenant).map_or("?", |t| t.slug.as_str());
            format!("{slug}: {}", p.problem)
        })
        .collect();
    for tenant in &tenants {
        problems.extend(
            check_against_platform(tenant, &platform)
                .into_iter()
                .map(|p| format!("{}: {p}", tenant.slug)),
        );
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }

    println!(
        "platform: {} regions, minimum isolation `{}`, {} compliance rules",
        platform.regions.len(),
        platform.switches.minimum_isolation.as_str(),
        rules.rules.len()
    );
    println!("{} tenants, all valid:\n", tenants.len());
    for (t, written) in tenants.iter().zip(&written) {
        let quotas = platform.tiers.get(t.tier).with_overrides(&t.quotas);
        let jurisdiction = platform
            .jurisdiction_of(&t.data_residency.region)
            .map_or("?", |j| j.as_str());
        println!(
            "{} — {}",
            t.slug,
            t.display_name.lines().next().unwrap_or("")
        );
        println!(
            "  tier {}, {:?}, locale {}, time zone {}, region {} ({jurisdiction})",
            t.tier.as_str(),
            t.status,
            t.locale,
            t.time_zone,
            t.data_residency.region
        );
        println!(
            "  isolation: {} mode{}, database `{}`, schema `{}`, cache prefix `{}`",
            t.isolation.mode.as_str(),
            if t.isolation.strict { " (strict)" } else { "" },
            t.isolation.database.name,
            t.isolation.database.schema,
            t.isolation.cache.key_prefix
        );
        let ac = &t.access_control;
        println!(
            "  access: {} roles, {} bindings, {} denies, {} cross-tenant grants",
            ac.roles.len(),
            ac.bindings.len(),
            ac.denies.len(),
            ac.cross_tenant_grants.len()
        );
        println!(
            "  quotas: {} req/min, {} GiB, {} seats, {} series",
            quotas.api_requests_per_minute,
            quotas.storage_gb,
            quotas.seats,
            quotas.metrics.max_series
        );
        let m = &t.monitoring;
        println!(
            "  monitoring: {} alert rules, {} SLOs, {} dashboards, {} maintenance windows",
            m.alert_rules.len(),
            m.slos.len(),
            m.dashboards.len(),
            m.routing.maintenance_windows.len()
        );
        for r in &t.slack.receivers {
            // A secret prints as its reference or as `<redacted>`, never its value.
            println!(
                "  slack: {} → {} (webhook {})",
                r.name, r.channel, r.webhook_url
            );
        }
        // A notification in the tenant's language and time zone, with the
        // tenant's own (checked) template overrides on top of the catalog.
        let overrides = TenantOverrides::new(t.slack.templates.iter().flat_map(|template| {
            template
                .messages
                .iter()
                .map(|(locale, source)| (locale.langid().clone(), source.clone()))
        }))?;
        let config = LocalizerConfig {
            overrides,
            ..LocalizerConfig::new(t.locale.langid().clone(), t.time_zone.tz())
        };
        let localizer = Localizer::new(&config);
        let args = Args::new()
            .with(
                "severity",
                localizer.format("severity-critical", &Args::new())?,
            )
            .with("alert", "HighErrorRate")
            .with("tenant", t.display_name.as_str())
            .with("since", at());
        println!(
            "  notification: {}",
            localizer.format("alert-firing-summary", &args)?
        );
        println!(
            "                {}",
            localizer.format("alert-firing-description", &args)?
        );
        // Compliance as of a fixed instant, so the output is reproducible.
        // Without an audit trail, the audit trail control has no evidence.
        let report = evaluate_compliance(
            &rules,
            TenantEvidence { tenant: t, written },
            &ComplianceContext::new(&platform, at()),
        );
        let s = &report.summary;
        println!(
            "  compliance: {} passed, {} failed, {} no evidence, {} not applicable",
            s.passed, s.failed, s.no_evidence, s.not_applicable
        );
        for failure in report.failures() {
            println!(
                "    {} {}: {}",
                failure.outcome.as_str().to_uppercase(),
                failure.rule,
                failure.message
            );
        }
        println!();
    }

    // Access control: one compiled policy for all tenants.
    let policy = PolicySet::compile(&tenants)?;
    let mut trail = AuditChain::new();
    let questions = [
        (
            "claire.martin@acme-music.example",
            "acme-music",
            true,
            "write",
            "acme-music",
            false,
        ),
        (
            "claire.martin@acme-music.example",
            "acme-music",
            true,
            "delete",
            "acme-music",
            true,
        ),
        (
            "catalogue-sync",
            "acme-music",
            false,
            "read",
            "beatforge",
            false,
        ),
        (
            "catalogue-sync",
            "acme-music",
            false,
            "write",
            "beatforge",
            false,
        ),
    ];
    println!("access decisions at {}:", at().to_rfc3339());
    for (i, (id, from, mfa, action, tenant, locked)) in questions.into_iter().enumerate() {
        let kind = if id.contains('@') {
            PrincipalKind::User
        } else {
            PrincipalKind::ServiceAccount
        };
        let request = Request {
            principal: Principal {
                kind,
                id,
                tenant: from,
                groups: Default::default(),
                mfa,
                source_ip: "10.20.1.7".parse().ok(),
            },
            action,
            resource: Resource {
                tenant,
                kind: "track",
                id: "t-1",
                owner: None,
                classification: Classification::Internal,
                locked,
            },
            now: at(),
        };
        let decision = policy.authorize(&request);
        println!(
            "  {id} ({from}) {action} {tenant}/track/t-1 → {}",
            decision.explain(&policy)?
        );
        // Every decision becomes an audit event; the random part of the id
        // is fixed here so the example's output is reproducible.
        let stamp = EventStamp::new(request.now, [u8::try_from(i).unwrap_or(0); 10])?;
        trail.append(AuditEvent::from_decision(
            &policy, &request, decision, stamp,
        )?);
    }
    trail.verify()?;
    println!(
        "audit trail: {} events, head {}",
        trail.events().len(),
        trail.head()
    );
    Ok(())
}

/// The instant the example evaluates at.
fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
}

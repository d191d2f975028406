//! A small service as a user of tenant-kit writes it, with nothing but the
//! facade and the standard library: load the example tenants and report
//! their problems, compile a `PolicySet`, answer requests with explanations,
//! update a tenant and swap the set, localize a notification in French and
//! German, run compliance, and keep a verified audit trail.
//!
//! Run with `cargo run --example service`.

use std::error::Error;
use std::path::Path;
use std::sync::{Arc, RwLock};

use tenant_kit::i18n::{Args, Localizer, LocalizerConfig};
use tenant_kit::model::chrono::{DateTime, Utc};
use tenant_kit::model::{
    self, ComplianceRules, Format, InlineSecrets, PlatformConfig, Tenant, WrittenFields,
    check_tenant_set,
};
use tenant_kit::policy::audit::{AuditChain, AuditEvent, EventStamp};
use tenant_kit::policy::authz::{PolicySet, Principal, Request, Resource};
use tenant_kit::policy::checks::{ComplianceContext, TenantEvidence, evaluate_compliance};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Reads a document, every problem with its file, line and pointer.
fn load<D: model::Document>(path: &Path) -> Result<(D, String)> {
    let text = std::fs::read_to_string(path)?;
    let format = Format::from_path(path).ok_or("not a .json, .yaml or .toml file")?;
    match model::parse::<D>(&text, format) {
        Ok(document) => Ok((document, text)),
        // `{:#}` lists every problem, one a line.
        Err(problems) => Err(format!("{}:\n{problems:#}", path.display()).into()),
    }
}

fn main() -> Result<()> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (platform, _): (PlatformConfig, _) = load(&examples.join("platform.yaml"))?;
    let (rules, _): (ComplianceRules, _) = load(&examples.join("compliance_rules.yaml"))?;
    let mut tenants = Vec::new();
    let mut written = Vec::new();
    for name in ["acme-music", "beatforge", "lofi-labs"] {
        let (tenant, text): (Tenant, _) = load(&examples.join(format!("tenants/{name}.yaml")))?;
        written.push(WrittenFields::of_text(&text, Format::Yaml));
        tenants.push(tenant);
    }

    // Problems across the set name the tenant by slug.
    let set_problems = check_tenant_set(&tenants.iter().collect::<Vec<_>>());
    for problem in &set_problems {
        println!("set problem: {problem}");
    }
    println!(
        "loaded {} tenants, {} set problems",
        tenants.len(),
        set_problems.len()
    );

    // The policy is shared behind an `Arc` and swapped on reload.
    let current = RwLock::new(Arc::new(PolicySet::compile(&tenants)?));
    let policy = || {
        current
            .read()
            .map(|p| Arc::clone(&p))
            .map_err(|_| "poisoned lock")
    };

    // Groups come from a token as `Vec<String>`; no per-request conversion.
    let groups: Vec<String> = vec!["staff".to_owned()];
    let claire = Principal::user("claire.martin@acme-music.example", "acme-music")
        .with_groups(&groups)
        .with_mfa(true)
        .with_source_ip(std::net::IpAddr::from([10, 20, 1, 7]));
    let sync = Principal::service_account("catalogue-sync", "acme-music");
    let track = Resource::new("acme-music", "track", "t-1");
    let questions = [
        Request::new(claire, "write", track, at()),
        Request::new(claire, "delete", track.with_locked(true), at()),
        Request::new(
            sync,
            "read",
            Resource::new("beatforge", "track", "t-9"),
            at(),
        ),
    ];

    let mut trail = AuditChain::new();
    for (i, request) in questions.iter().enumerate() {
        let set = policy()?;
        let decision = set.authorize(request);
        // `reason()` prints as a stable label, e.g. for a metrics counter.
        println!("[{}] {}", decision.reason(), decision.explain(&set)?);
        let stamp = EventStamp::new(request.now, [u8::try_from(i).unwrap_or(0); 10])?;
        trail.append(AuditEvent::from_decision(&set, request, decision, stamp)?);
    }

    // Update a tenant in code: drop Claire's bindings, validate, swap in
    // the new set, save it.
    let mut edited = tenants.first().cloned().ok_or("no tenant")?;
    edited
        .access_control
        .bindings
        .retain(|b| !b.subject.id.as_str().starts_with("claire"));
    model::validate(&edited)?;
    let before = policy()?;
    let first = questions.first().ok_or("no question")?;
    let decided_before = before.authorize(first);
    *current.write().map_err(|_| "poisoned lock")? = Arc::new(before.with_tenant(&edited)?);
    // A decision is explained against the set that made it.
    println!("before the update: {}", decided_before.explain(&before)?);
    let after = policy()?;
    println!(
        "after the update: {}",
        after.authorize(first).explain(&after)?
    );
    match model::write(&edited, Format::Toml, InlineSecrets::Refuse) {
        Ok(text) => println!("saved {} bytes of TOML", text.len()),
        // The example's Slack webhook is inline: saving it takes an opt-in.
        Err(problem) => println!("not saved: {problem}"),
    }
    let kept = model::write(&edited, Format::Toml, InlineSecrets::Keep)?;
    let reread: Tenant = model::parse(&kept, Format::Toml)?;
    println!("written and read again equal: {}", reread == edited);

    // A notification in French and German.
    for tenant in &tenants {
        for locale in ["fr", "de"] {
            let mut config = LocalizerConfig::for_tenant(tenant, None)?;
            config.locale = locale.parse()?;
            let l10n = Localizer::new(&config);
            let args = Args::new()
                .with("severity", l10n.format("severity-critical", &Args::new())?)
                .with("alert", "HighErrorRate")
                .with("tenant", tenant.display_name.as_str())
                .with("since", at());
            println!(
                "{} [{locale}] {}",
                tenant.slug,
                l10n.format("alert-firing-summary", &args)?
            );
        }
    }

    // Compliance for each tenant, from what its file writes.
    for (tenant, written) in tenants.iter().zip(&written) {
        let report = evaluate_compliance(
            &rules,
            TenantEvidence::new(tenant, written),
            &ComplianceContext::new(&platform, at()),
        );
        let s = &report.summary;
        println!(
            "{}: {} passed, {} failed, {} without evidence",
            tenant.slug, s.passed, s.failed, s.no_evidence
        );
    }

    trail.verify()?;
    println!(
        "audit trail: {} events verified, head {}",
        trail.events().len(),
        trail.head()
    );
    Ok(())
}

/// The instant the service answers at, fixed so the output is reproducible.
fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
}

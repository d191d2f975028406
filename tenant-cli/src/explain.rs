//! `tenantctl explain`: asks the compiled policy one access question and
//! prints the decision with its reason; optionally appends the decision to a
//! JSON Lines audit trail.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tenant_model::Classification;
use tenant_policy::{
    audit::{AuditChain, AuditEvent, EventStamp, parse_jsonl},
    authz::{PolicySet, Principal, PrincipalKind, Request, Resource},
};

use crate::documents::{load, print_diagnostics};
use crate::files::{Fatal, escape, note, print_line, shown};

/// The question, as given on the command line.
#[derive(Debug, clap::Args)]
pub(crate) struct Question {
    /// Output format: the explanation as text, or a JSON object
    /// `{"allowed": bool, "explanation": "..."}`.
    #[arg(long, value_enum, default_value_t = crate::OutputFormat::Text)]
    format: crate::OutputFormat,
    /// Who asks: `user:ID`, `service_account:ID` or `platform_operator:ID`.
    #[arg(long)]
    principal: String,
    /// The tenant the principal belongs to (not needed for operators).
    #[arg(long)]
    principal_tenant: Option<String>,
    /// A group the principal is in (repeat for several).
    #[arg(long = "group")]
    groups: Vec<String>,
    /// The principal signed in with multi-factor authentication.
    #[arg(long)]
    mfa: bool,
    /// The principal's source IP address.
    #[arg(long)]
    ip: Option<IpAddr>,
    /// The action, e.g. `read`; the permission checked is `KIND:ACTION`.
    #[arg(long)]
    action: String,
    /// The resource: `TENANT/KIND/ID`.
    #[arg(long)]
    resource: String,
    /// The resource's owner.
    #[arg(long)]
    owner: Option<String>,
    /// The resource's data classification.
    #[arg(long, value_enum, default_value_t = ClassificationArg::Internal)]
    classification: ClassificationArg,
    /// The resource is locked.
    #[arg(long)]
    locked: bool,
    /// Ask as of this instant (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<DateTime<Utc>>,
    /// Append the decision to this JSON Lines audit trail (verified first).
    #[arg(long)]
    audit: Option<PathBuf>,
}

/// Data classification of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ClassificationArg {
    Public,
    Internal,
    Confidential,
    Restricted,
}

impl From<ClassificationArg> for Classification {
    fn from(c: ClassificationArg) -> Self {
        match c {
            ClassificationArg::Public => Classification::Public,
            ClassificationArg::Internal => Classification::Internal,
            ClassificationArg::Confidential => Classification::Confidential,
            ClassificationArg::Restricted => Classification::Restricted,
        }
    }
}

/// `user:ID`, `service_account:ID` or `platform_operator:ID`; ids may hold
/// `@` and `:` (emails, URNs), so the tenant is a separate option.
fn parse_principal<'a>(
    text: &'a str,
    tenant: Option<&'a str>,
) -> Result<(PrincipalKind, &'a str, &'a str), Fatal> {
    let usage = || {
        Fatal(format!(
            "invalid principal `{}`: expected `user:ID`, `service_account:ID` or `platform_operator:ID`",
            escape(text)
        ))
    };
    let (kind, id) = text.split_once(':').ok_or_else(usage)?;
    let kind = match kind {
        "user" => PrincipalKind::User,
        "service_account" => PrincipalKind::ServiceAccount,
        "platform_operator" => PrincipalKind::PlatformOperator,
        _ => return Err(usage()),
    };
    if id.is_empty() {
        return Err(usage());
    }
    let tenant = match (kind, tenant) {
        (_, Some(tenant)) => tenant,
        (PrincipalKind::PlatformOperator, None) => "",
        (_, None) => {
            return Err(Fatal(
                "give the principal's tenant with `--principal-tenant SLUG`".to_owned(),
            ));
        }
    };
    Ok((kind, id, tenant))
}

/// `TENANT/KIND/ID`.
fn parse_resource(text: &str) -> Result<(&str, &str, &str), Fatal> {
    let mut parts = text.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(tenant), Some(kind), Some(id))
            if !tenant.is_empty() && !kind.is_empty() && !id.is_empty() =>
        {
            Ok((tenant, kind, id))
        }
        _ => Err(Fatal(format!(
            "invalid resource `{}`: expected `TENANT/KIND/ID`, e.g. `acme-music/track/t-1`",
            escape(text)
        ))),
    }
}

pub(crate) fn run(paths: &[PathBuf], q: &Question) -> Result<ExitCode, Fatal> {
    let loaded = load(paths)?;
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics, q.format)?;
        note(format_args!(
            "{} problems: fix the documents first (`tenantctl validate`)",
            loaded.diagnostics.len()
        ));
        return Ok(ExitCode::from(1));
    }
    let policy = PolicySet::compile(loaded.distinct_tenants())
        .map_err(|e| Fatal(format!("cannot compile the policy: {e}")))?;
    let (kind, id, tenant) = parse_principal(&q.principal, q.principal_tenant.as_deref())?;
    let (resource_tenant, resource_kind, resource_id) = parse_resource(&q.resource)?;
    let mut principal = Principal::new(kind, id, tenant)
        .with_groups(&q.groups)
        .with_mfa(q.mfa);
    principal.source_ip = q.ip;
    let mut resource = Resource::new(resource_tenant, resource_kind, resource_id)
        .with_classification(q.classification.into())
        .with_locked(q.locked);
    resource.owner = q.owner.as_deref();
    // The command line owns the clock; the library takes the instant.
    let request = Request::new(
        principal,
        &q.action,
        resource,
        q.at.unwrap_or_else(Utc::now),
    );
    let decision = policy.authorize(&request);
    let explanation = decision
        .explain(&policy)
        .map_err(|e| Fatal(format!("cannot explain the decision: {e}")))?;
    // Deny reasons and names come from documents: one line stays one line.
    match q.format {
        crate::OutputFormat::Text => print_line(escape(&explanation.to_string()))?,
        crate::OutputFormat::Json => print_line(
            serde_json::json!({
                "allowed": decision.is_allowed(),
                "explanation": explanation.to_string(),
            })
            .to_string(),
        )?,
    }
    let permitted = policy.permitted_actions(&request.principal, &request.resource, request.now);
    note(format_args!(
        "permitted on this resource: {}",
        if permitted.is_empty() {
            "nothing".to_owned()
        } else {
            escape(&permitted.join(", "))
        }
    ));
    if let Some(path) = &q.audit {
        append_to_trail(path, &policy, &request, decision)?;
    }
    Ok(if decision.is_allowed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Largest audit trail read before appending, in bytes.
const MAX_TRAIL_BYTES: u64 = 64 * 1024 * 1024;

/// Appends the decision to the trail at `path` after verifying what is there.
///
/// Concurrent appends are serialized by an exclusive lock on the trail
/// itself (`File::lock`, advisory, as `flock` on Unix): under the lock the
/// trail is read and verified, the event is chained to its last hash and
/// appended as one line, and the file is synced; only then is "appended"
/// printed. The file is never replaced, so every process locks the same
/// file.
fn append_to_trail(
    path: &Path,
    policy: &PolicySet,
    request: &Request<'_>,
    decision: tenant_policy::authz::Decision,
) -> Result<(), Fatal> {
    let shown = shown(path);
    let io = |what: &str, e: std::io::Error| Fatal(format!("cannot {what} `{shown}`: {e}"));
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io("open", e))?;
    file.lock().map_err(|e| io("lock", e))?;
    let mut bytes = Vec::new();
    (&file)
        .take(MAX_TRAIL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io("read", e))?;
    if bytes.len() as u64 > MAX_TRAIL_BYTES {
        return Err(Fatal(format!(
            "`{shown}` is over {MAX_TRAIL_BYTES} bytes; not appending to it"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Fatal(format!(
            "`{shown}` is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let events = parse_jsonl(&text).map_err(|e| Fatal(format!("`{shown}`: {e}")))?;
    let chain = AuditChain::from_events(events).map_err(|e| {
        Fatal(format!(
            "`{shown}` does not verify; not appending to it: {e}"
        ))
    })?;
    // UUID v7 needs random bits; the library takes them as a parameter.
    let random = uuid::Uuid::new_v4();
    let mut random_bytes = [0u8; 10];
    random_bytes.copy_from_slice(random.as_bytes().get(..10).unwrap_or(&[0; 10]));
    let stamp = EventStamp::new(request.now, random_bytes)
        .map_err(|e| Fatal(format!("cannot stamp the audit event: {e}")))?;
    let event = AuditEvent::from_decision(policy, request, decision, stamp)
        .map_err(|e| Fatal(format!("cannot record the decision: {e}")))?
        .sealed_after(chain.head());
    let mut line = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        line.push('\n');
    }
    line.push_str(&event.to_json_line());
    line.push('\n');
    file.write_all(line.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io("append to", e))?;
    file.unlock().map_err(|e| io("unlock", e))?;
    note(format_args!(
        "audit: appended event {} to {shown}",
        event.id
    ));
    Ok(())
}

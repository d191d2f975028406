//! Access decisions with their reasons: compiles one policy for the example
//! tenants, asks it a few questions (a write, a write on a locked resource
//! under a deny, a cross-tenant grant, a request the grant does not cover,
//! another tenant's data without a grant), explains each decision with the
//! JSON pointer of the rule that decided, and records every decision in a
//! tamper-evident audit trail.
//!
//! Run it with `cargo run --example authorize`.

mod common;

use tenant_kit::model::Classification;
use tenant_kit::policy::{
    audit::{AuditChain, AuditEvent, EventStamp},
    authz::{PolicySet, Principal, PrincipalKind, Request, Resource},
};

/// One question: who (and from which tenant, with or without MFA) wants to
/// do what on which tenant's track, and whether that track is locked.
struct Question {
    id: &'static str,
    from: &'static str,
    mfa: bool,
    action: &'static str,
    tenant: &'static str,
    locked: bool,
}

const QUESTIONS: [Question; 5] = [
    Question {
        id: "claire.martin@acme-music.example",
        from: "acme-music",
        mfa: true,
        action: "write",
        tenant: "acme-music",
        locked: false,
    },
    Question {
        id: "claire.martin@acme-music.example",
        from: "acme-music",
        mfa: true,
        action: "delete",
        tenant: "acme-music",
        locked: true,
    },
    Question {
        id: "catalogue-sync",
        from: "acme-music",
        mfa: false,
        action: "read",
        tenant: "beatforge",
        locked: false,
    },
    Question {
        id: "catalogue-sync",
        from: "acme-music",
        mfa: false,
        action: "write",
        tenant: "beatforge",
        locked: false,
    },
    Question {
        id: "claire.martin@acme-music.example",
        from: "acme-music",
        mfa: true,
        action: "read",
        tenant: "lofi-labs",
        locked: false,
    },
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let examples = common::load(&common::examples_dir())?;
    // One compiled policy for all tenants; the tenant boundary is built in.
    let policy = PolicySet::compile(&examples.tenants)?;
    let mut trail = AuditChain::new();
    let now = common::at();

    println!("access decisions at {}:", now.to_rfc3339());
    for (i, q) in QUESTIONS.iter().enumerate() {
        let kind = if q.id.contains('@') {
            PrincipalKind::User
        } else {
            PrincipalKind::ServiceAccount
        };
        let principal = Principal::new(kind, q.id, q.from).with_mfa(q.mfa);
        let principal = match "10.20.1.7".parse() {
            Ok(ip) => principal.with_source_ip(ip),
            Err(_) => principal,
        };
        let resource = Resource::new(q.tenant, "track", "t-1")
            .with_classification(Classification::Internal)
            .with_locked(q.locked);
        let request = Request::new(principal, q.action, resource, now);
        let decision = policy.authorize(&request);
        println!(
            "  {} ({}) {} {}/track/t-1{} → {}",
            q.id,
            q.from,
            q.action,
            q.tenant,
            if q.locked { " (locked)" } else { "" },
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
        "audit trail: {} events, verified, head {}",
        trail.events().len(),
        trail.head()
    );
    println!("\nthe same from the command line: cargo run -p tenant-cli -- explain --help");
    Ok(())
}

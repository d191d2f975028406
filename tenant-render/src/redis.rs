//! The `redis` target: `redis/users.acl`, an ACL file for Redis 6.2 or
//! later (`aclfile` in redis.conf, or `ACL LOAD`). It is a **secret** file:
//! it holds SHA-256 hashes of the passwords, from which a weak password can
//! be guessed offline.
//!
//! Redis allows no comments in an ACL file, so it has no header. It starts
//! with `user default off ...`: the default user cannot log
//! in (whoever administers Redis defines an admin user of their own). Then
//! one line per tenant, in slug order:
//!
//! ```text
//! user <acl_user> reset on #<sha256 of the password> ~<key_prefix>* &<key_prefix>* -@all +@<category>... -@admin -@dangerous -scan -randomkey -dbsize -pubsub
//! ```
//!
//! `reset` first, so the line alone says everything the user may do; `off`
//! instead of `on` while the tenant is `suspended` or `offboarding`. Keys
//! and channels are limited to the tenant's prefix (glob-special characters
//! escaped by [`crate::escape::redis`]). Commands by tier:
//!
//! | tier | categories |
//! | --- | --- |
//! | free | `@read @write @connection` |
//! | starter | free + `@transaction` |
//! | professional, enterprise | starter + `@pubsub` |
//!
//! followed by `-@admin -@dangerous` (never granted, whatever a category
//! holds) and `-scan -randomkey -dbsize -pubsub`, which are not checked
//! against the patterns and would show other tenants' key names, their
//! count or their active channels. A tenant without a
//! password is an error, never `nopass`; so is a set where two tenants share
//! an ACL user or one key prefix covers another's.

use std::fmt::Write as _;

use secrecy::ExposeSecret as _;
use sha2::{Digest as _, Sha256};
use tenant_model::{Problem, Tenant, Tier};

use crate::escape::redis::{channel_pattern, key_pattern, token};
use crate::{Bundle, Context, Problems, internal};

/// The path of the ACL file.
pub(crate) const ACL_FILE: &str = "redis/users.acl";

/// Commands removed from every tenant user after its categories: they are
/// not checked against key or channel patterns and would reveal other
/// tenants' key names, their count, or active channel names (`PUBSUB
/// CHANNELS`); `PUBLISH` and `SUBSCRIBE` stay, checked against the channel
/// pattern.
const UNCHECKED: &[&str] = &["scan", "randomkey", "dbsize", "pubsub"];

/// The command categories of a tier.
pub(crate) fn categories(tier: Tier) -> &'static [&'static str] {
    match tier {
        Tier::Free => &["read", "write", "connection"],
        Tier::Starter => &["read", "write", "connection", "transaction"],
        Tier::Professional | Tier::Enterprise => {
            &["read", "write", "connection", "transaction", "pubsub"]
        }
    }
}

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    let tenants: Vec<&Tenant> = cx.tenants.iter().collect();
    let before = problems.len();
    for clash in tenant_model::check_tenant_set(&tenants) {
        if clash.problem.pointer().starts_with("/isolation/cache")
            && let Some(tenant) = tenants.get(clash.tenant)
        {
            problems.tenant(tenant, clash.problem);
        }
    }
    let mut sorted = tenants;
    sorted.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    // Redis refuses comments in an ACL file, so there is no header line.
    let mut out = String::from("user default off resetpass resetkeys resetchannels -@all\n");
    for tenant in sorted {
        match user_line(tenant, cx) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(problem) => problems.tenant(tenant, problem),
        }
    }
    if problems.len() > before {
        return;
    }
    if let Err(e) = bundle.insert_secret(ACL_FILE, out) {
        internal(problems, e);
    }
}

fn user_line(tenant: &Tenant, cx: &Context<'_>) -> Result<String, Problem> {
    let cache = &tenant.isolation.cache;
    let user = token(cache.acl_user.as_str())
        .map_err(|e| Problem::new("/isolation/cache/acl_user", e.to_string()))?;
    let prefix = cache.key_prefix.as_str();
    let keys = key_pattern(prefix)
        .map_err(|e| Problem::new("/isolation/cache/key_prefix", e.to_string()))?;
    let channels = channel_pattern(prefix)
        .map_err(|e| Problem::new("/isolation/cache/key_prefix", e.to_string()))?;
    const POINTER: &str = "/isolation/cache/password";
    let password = cx.required_secret(
        cache.password.as_ref(),
        POINTER,
        "is missing: the Redis ACL user needs a password (`{ env: NAME }` or `{ file: PATH }`); `nopass` is never rendered",
    )?;
    let password = password.expose_secret();
    let hash = hex::encode(Sha256::digest(password.as_bytes()));
    let state = if crate::postgres::serves(tenant) {
        "on"
    } else {
        "off"
    };
    let mut line = format!("user {user} reset {state} #{hash} {keys} {channels} -@all");
    for category in categories(tenant.tier) {
        let _ = write!(line, " +@{category}");
    }
    line.push_str(" -@admin -@dangerous");
    for command in UNCHECKED {
        let _ = write!(line, " -{command}");
    }
    Ok(line)
}

//! Decisions in words: names and JSON pointers of what decided.

use crate::compile::CompiledTenant;
use crate::decision::{Decision, Explanation, Reason, StaleDecision, condition_text};
use crate::policy::PolicySet;

/// Renders a decision against the set that made it.
pub(crate) fn explain(decision: &Decision, set: &PolicySet) -> Result<Explanation, StaleDecision> {
    let reason = decision.reason();
    let rule = decision.rule_index() as usize;
    let mut out = Explanation {
        allowed: decision.is_allowed(),
        reason,
        tenant: None,
        rule: None,
        pointer: None,
        text: String::new(),
    };
    if reason == Reason::UnknownTenant {
        out.text = "denied: the resource's tenant is not in the policy set".to_owned();
        return Ok(out);
    }
    let Some(tenant) = set.tenant(decision.tenant_index(), decision.stamp()) else {
        return Err(StaleDecision::new());
    };
    let slug = &*tenant.slug;
    out.tenant = Some(slug.to_owned());
    let (name, pointer, text) = describe(tenant, reason, rule);
    out.text = format!(
        "{} in tenant `{slug}`: {text}",
        if out.allowed { "allowed" } else { "denied" }
    );
    if let Some(pointer) = &pointer {
        out.text.push_str(&format!(" ({pointer})"));
    }
    out.rule = name;
    out.pointer = pointer;
    Ok(out)
}

fn role_of(tenant: &CompiledTenant, binding: usize) -> String {
    tenant
        .binding_roles
        .get(binding)
        .and_then(|&role| tenant.role_names.get(role as usize))
        .map_or_else(String::new, |r| r.to_string())
}

fn describe(
    tenant: &CompiledTenant,
    reason: Reason,
    rule: usize,
) -> (Option<String>, Option<String>, String) {
    match reason {
        Reason::AllowedByRole => {
            let role = role_of(tenant, rule);
            (
                Some(role.clone()),
                Some(format!("/access_control/bindings/{rule}")),
                format!("role `{role}` from a binding"),
            )
        }
        Reason::AllowedByGrant => {
            let (name, why) = tenant
                .grants
                .get(rule)
                .map_or(("", ""), |g| (&*g.name, &*g.reason));
            (
                Some(name.to_owned()),
                Some(format!("/access_control/cross_tenant_grants/{rule}")),
                format!("cross-tenant grant `{name}` ({why})"),
            )
        }
        Reason::ExplicitDeny => {
            let (name, why) = tenant
                .denies
                .get(rule)
                .map_or(("", ""), |d| (&*d.name, &*d.reason));
            (
                Some(name.to_owned()),
                Some(format!("/access_control/denies/{rule}")),
                format!("explicit deny `{name}` ({why})"),
            )
        }
        Reason::ConditionFailed(condition) => {
            let role = role_of(tenant, rule);
            (
                Some(role.clone()),
                Some(format!(
                    "/access_control/bindings/{rule}/{}",
                    condition.field()
                )),
                format!("the binding of role `{role}` {}", condition_text(condition)),
            )
        }
        Reason::NoMatchingGrant => (None, None, "no matching grant (default deny)".to_owned()),
        Reason::NoCrossTenantGrant => (
            None,
            Some("/access_control/cross_tenant_grants".to_owned()),
            "the principal is outside the tenant and no unexpired cross-tenant grant lets it in"
                .to_owned(),
        ),
        Reason::TenantSuspended => (
            None,
            Some("/status".to_owned()),
            "the tenant is suspended".to_owned(),
        ),
        Reason::TenantOffboarding => (
            None,
            Some("/status".to_owned()),
            "the tenant is offboarding; only `read` and `export` stay allowed".to_owned(),
        ),
        Reason::InvalidRequest(part) => (None, None, part.describe().to_owned()),
        Reason::UnknownTenant => (
            None,
            None,
            "the resource's tenant is not in the policy set".to_owned(),
        ),
    }
}

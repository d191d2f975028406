//! Kubernetes: each tenant's namespace and what keeps it apart, under
//! `kubernetes/<slug>/`:
//!
//! | file | kind | from |
//! | --- | --- | --- |
//! | `namespace.yml` | Namespace `<slug>` | labels `tenant: <slug>`, `tier: <tier>`, `app.kubernetes.io/managed-by: tenant-kit`; the display name only as an annotation |
//! | `resourcequota.yml` | ResourceQuota `tenant-quota` | effective quotas: `requests.storage` = `storage_gb` GiB, `pods` = twice `autoscaling.max_replicas` (room for a rollout's surge) |
//! | `limitrange.yml` | LimitRange `tenant-limits` | a claim at most `storage_gb` GiB; container defaults (below) |
//! | `networkpolicy.yml` | NetworkPolicy `tenant-isolation` | every pod: ingress only from the namespace and the `monitoring` namespace; egress only to the namespace, cluster DNS and `isolation.network.egress_cidrs` |
//! | `hpa.yml` | HorizontalPodAutoscaler (`autoscaling/v2`) `<slug>` | effective `autoscaling`: Deployment `<slug>`, min and max replicas, CPU utilisation target |
//!
//! The document has no CPU or memory quotas, but a CPU utilisation target
//! needs CPU requests on every container, so the LimitRange gives
//! containers without their own a default request of `100m` CPU and
//! `128Mi` memory and a default limit of `1` CPU and `512Mi`.
//!
//! The NetworkPolicy is one policy that selects every pod for both
//! directions, so whatever its rules do not allow is denied. An empty
//! `egress_cidrs` adds no rule (an empty `to:` would allow every address).
//! The monitoring namespace is matched by the `kubernetes.io/metadata.name`
//! label Kubernetes sets on every namespace.
//!
//! Label values are only slugs and tier names (both within Kubernetes'
//! 63-character `[a-z0-9.-_]` rule); tenant text goes only into annotations
//! and through [`crate::escape::yaml`].

use std::collections::BTreeMap;

use serde::Serialize;
use tenant_model::{Problem, Tenant};

use crate::escape::yaml;
use crate::{Bundle, Context, Problems, internal, names};

/// The namespace Prometheus and the other monitoring workloads run in.
pub(crate) const MONITORING_NAMESPACE: &str = "monitoring";

pub(crate) fn render(cx: &Context<'_>, bundle: &mut Bundle, problems: &mut Problems) {
    crate::per_tenant(cx.tenants, bundle, problems, |tenant, bundle, problems| {
        let slug = tenant.slug.as_str();
        let limits = cx.limits(tenant);
        let scaling = &limits.autoscaling;
        if scaling.min_replicas > scaling.max_replicas {
            problems.tenant(
                tenant,
                Problem::new(
                    "/quotas/autoscaling/max_replicas",
                    format!(
                        "the effective `max_replicas` ({}) is below the effective `min_replicas` ({})",
                        scaling.max_replicas, scaling.min_replicas
                    ),
                ),
            );
            return;
        }
        let files: [(&str, Result<String, yaml::YamlError>); 5] = [
            ("namespace.yml", yaml::to_string(&namespace(tenant))),
            (
                "resourcequota.yml",
                yaml::to_string(&resource_quota(
                    tenant,
                    limits.storage_gb,
                    scaling.max_replicas,
                )),
            ),
            (
                "limitrange.yml",
                yaml::to_string(&limit_range(tenant, limits.storage_gb)),
            ),
            (
                "networkpolicy.yml",
                yaml::to_string(&network_policy(tenant)),
            ),
            (
                "hpa.yml",
                yaml::to_string(&hpa(
                    tenant,
                    scaling.min_replicas,
                    scaling.max_replicas,
                    scaling.target_cpu_percent,
                )),
            ),
        ];
        for (file, text) in files {
            let result = text.map_err(|e| e.to_string()).and_then(|text| {
                bundle
                    .insert(format!("kubernetes/{slug}/{file}"), text)
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = result {
                internal(problems, e);
            }
        }
    });
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    labels: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<&'static str, String>,
}

fn labels(tenant: &Tenant) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("app.kubernetes.io/managed-by", "tenant-kit".to_owned()),
        ("tenant", tenant.slug.as_str().to_owned()),
        ("tier", tenant.tier.as_str().to_owned()),
    ])
}

fn metadata(tenant: &Tenant, name: &str) -> Metadata {
    Metadata {
        name: name.to_owned(),
        namespace: Some(names::namespace(tenant).to_owned()),
        labels: labels(tenant),
        annotations: BTreeMap::new(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Object<S: Serialize> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    spec: Option<S>,
}

fn namespace(tenant: &Tenant) -> Object<()> {
    Object {
        api_version: "v1",
        kind: "Namespace",
        metadata: Metadata {
            name: names::namespace(tenant).to_owned(),
            namespace: None,
            labels: labels(tenant),
            annotations: BTreeMap::from([
                ("tenant-kit.io/display-name", tenant.display_name.clone()),
                ("tenant-kit.io/tenant-id", tenant.id.uuid().to_string()),
            ]),
        },
        spec: None,
    }
}

#[derive(Serialize)]
struct QuotaSpec {
    hard: BTreeMap<&'static str, String>,
}

fn resource_quota(tenant: &Tenant, storage_gb: u32, max_replicas: u32) -> Object<QuotaSpec> {
    Object {
        api_version: "v1",
        kind: "ResourceQuota",
        metadata: metadata(tenant, "tenant-quota"),
        spec: Some(QuotaSpec {
            hard: BTreeMap::from([
                ("pods", (u64::from(max_replicas) * 2).to_string()),
                ("requests.storage", format!("{storage_gb}Gi")),
            ]),
        }),
    }
}

#[derive(Serialize)]
struct LimitRangeSpec {
    limits: Vec<LimitItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LimitItem {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    default: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    default_request: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    max: BTreeMap<&'static str, String>,
}

fn limit_range(tenant: &Tenant, storage_gb: u32) -> Object<LimitRangeSpec> {
    let q = |pairs: &[(&'static str, &str)]| -> BTreeMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    Object {
        api_version: "v1",
        kind: "LimitRange",
        metadata: metadata(tenant, "tenant-limits"),
        spec: Some(LimitRangeSpec {
            limits: vec![
                LimitItem {
                    kind: "Container",
                    default: q(&[("cpu", "1"), ("memory", "512Mi")]),
                    default_request: q(&[("cpu", "100m"), ("memory", "128Mi")]),
                    max: BTreeMap::new(),
                },
                LimitItem {
                    kind: "PersistentVolumeClaim",
                    default: BTreeMap::new(),
                    default_request: BTreeMap::new(),
                    max: BTreeMap::from([("storage", format!("{storage_gb}Gi"))]),
                },
            ],
        }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NetworkPolicySpec {
    pod_selector: Selector,
    policy_types: [&'static str; 2],
    ingress: Vec<IngressRule>,
    egress: Vec<EgressRule>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Selector {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    match_labels: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct IngressRule {
    from: Vec<Peer>,
}

#[derive(Serialize)]
struct EgressRule {
    to: Vec<Peer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<Port>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Peer {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace_selector: Option<Selector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pod_selector: Option<Selector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_block: Option<IpBlock>,
}

#[derive(Serialize)]
struct IpBlock {
    cidr: String,
}

#[derive(Serialize)]
struct Port {
    protocol: &'static str,
    port: u16,
}

fn same_namespace() -> Peer {
    Peer {
        pod_selector: Some(Selector::default()),
        ..Peer::default()
    }
}

fn namespace_named(name: &str) -> Selector {
    Selector {
        match_labels: BTreeMap::from([("kubernetes.io/metadata.name", name.to_owned())]),
    }
}

fn network_policy(tenant: &Tenant) -> Object<NetworkPolicySpec> {
    let mut egress = vec![
        EgressRule {
            to: vec![same_namespace()],
            ports: Vec::new(),
        },
        EgressRule {
            to: vec![Peer {
                namespace_selector: Some(namespace_named("kube-system")),
                pod_selector: Some(Selector {
                    match_labels: BTreeMap::from([("k8s-app", "kube-dns".to_owned())]),
                }),
                ip_block: None,
            }],
            ports: vec![
                Port {
                    protocol: "UDP",
                    port: 53,
                },
                Port {
                    protocol: "TCP",
                    port: 53,
                },
            ],
        },
    ];
    let cidrs: Vec<Peer> = tenant
        .isolation
        .network
        .egress_cidrs
        .iter()
        .map(|c| Peer {
            ip_block: Some(IpBlock {
                cidr: c.to_string(),
            }),
            ..Peer::default()
        })
        .collect();
    // An empty `to` would allow every destination: only a non-empty list.
    if !cidrs.is_empty() {
        egress.push(EgressRule {
            to: cidrs,
            ports: Vec::new(),
        });
    }
    Object {
        api_version: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: metadata(tenant, "tenant-isolation"),
        spec: Some(NetworkPolicySpec {
            pod_selector: Selector::default(),
            policy_types: ["Ingress", "Egress"],
            ingress: vec![
                IngressRule {
                    from: vec![same_namespace()],
                },
                IngressRule {
                    from: vec![Peer {
                        namespace_selector: Some(namespace_named(MONITORING_NAMESPACE)),
                        ..Peer::default()
                    }],
                },
            ],
            egress,
        }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HpaSpec {
    scale_target_ref: TargetRef,
    min_replicas: u32,
    max_replicas: u32,
    metrics: Vec<Metric>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TargetRef {
    api_version: &'static str,
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct Metric {
    #[serde(rename = "type")]
    kind: &'static str,
    resource: ResourceMetric,
}

#[derive(Serialize)]
struct ResourceMetric {
    name: &'static str,
    target: MetricTarget,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricTarget {
    #[serde(rename = "type")]
    kind: &'static str,
    average_utilization: u8,
}

fn hpa(tenant: &Tenant, min: u32, max: u32, cpu: u8) -> Object<HpaSpec> {
    let slug = tenant.slug.as_str();
    Object {
        api_version: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: metadata(tenant, slug),
        spec: Some(HpaSpec {
            scale_target_ref: TargetRef {
                api_version: "apps/v1",
                kind: "Deployment",
                name: slug.to_owned(),
            },
            min_replicas: min,
            max_replicas: max,
            metrics: vec![Metric {
                kind: "Resource",
                resource: ResourceMetric {
                    name: "cpu",
                    target: MetricTarget {
                        kind: "Utilization",
                        average_utilization: cpu,
                    },
                },
            }],
        }),
    }
}

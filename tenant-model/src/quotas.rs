//! Quotas (`quotas`): tier presets on the platform, per-tenant overrides in
//! the tenant document, and the effective limits that result.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::tenant::Tier;

/// A complete set of limits: what a tier preset gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaLimits {
    /// API requests per minute, sustained.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub api_requests_per_minute: u32,
    /// API requests allowed in a burst above the sustained rate.
    pub api_burst: u32,
    /// Storage in GiB.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub storage_gb: u32,
    /// Named users.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub seats: u32,
    /// Percentage of a limit at which usage is reported as a warning.
    #[validate(range(min = 1, max = 100, message = "must be between 1 and 100"))]
    pub soft_limit_percent: u8,
    /// Metrics limits (Mimir per-tenant overrides).
    #[validate(nested)]
    pub metrics: MetricsLimits,
    /// Autoscaling bounds of the tenant's workloads.
    #[validate(nested)]
    pub autoscaling: Autoscaling,
}

/// Metrics limits of one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricsLimits {
    /// Active series at most.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub max_series: u64,
    /// Samples per second, sustained.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub ingestion_rate: u64,
    /// Samples in a burst; at least the sustained rate.
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub ingestion_burst: u64,
    /// Rules in one rule group.
    #[validate(range(min = 1, max = 10000, message = "must be between 1 and 10000"))]
    pub rules_per_group: u32,
    /// Rule groups.
    #[validate(range(min = 1, max = 10000, message = "must be between 1 and 10000"))]
    pub max_rule_groups: u32,
}

/// Autoscaling bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    /// Fewest replicas.
    #[validate(range(min = 1, max = 1000, message = "must be between 1 and 1000"))]
    pub min_replicas: u32,
    /// Most replicas; at least `min_replicas`.
    #[validate(range(min = 1, max = 1000, message = "must be between 1 and 1000"))]
    pub max_replicas: u32,
    /// Target CPU utilisation in percent.
    #[validate(range(min = 1, max = 100, message = "must be between 1 and 100"))]
    pub target_cpu_percent: u8,
}

/// Per-tenant changes to its tier's preset; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaOverrides {
    /// See [`QuotaLimits::api_requests_per_minute`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub api_requests_per_minute: Option<u32>,
    /// See [`QuotaLimits::api_burst`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_burst: Option<u32>,
    /// See [`QuotaLimits::storage_gb`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub storage_gb: Option<u32>,
    /// See [`QuotaLimits::seats`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub seats: Option<u32>,
    /// See [`QuotaLimits::soft_limit_percent`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 100, message = "must be between 1 and 100"))]
    pub soft_limit_percent: Option<u8>,
    /// Metrics limits to change.
    #[serde(default, skip_serializing_if = "MetricsOverrides::is_empty")]
    #[validate(nested)]
    pub metrics: MetricsOverrides,
    /// Autoscaling bounds to change.
    #[serde(default, skip_serializing_if = "AutoscalingOverrides::is_empty")]
    #[validate(nested)]
    pub autoscaling: AutoscalingOverrides,
}

/// Metrics limits to change; see [`MetricsLimits`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs, reason = "each field is documented on MetricsLimits")]
pub struct MetricsOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub max_series: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub ingestion_rate: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, message = "must be at least 1"))]
    pub ingestion_burst: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 10000, message = "must be between 1 and 10000"))]
    pub rules_per_group: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 10000, message = "must be between 1 and 10000"))]
    pub max_rule_groups: Option<u32>,
}

impl MetricsOverrides {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        *self == MetricsOverrides::default()
    }
}

/// Autoscaling bounds to change; see [`Autoscaling`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs, reason = "each field is documented on Autoscaling")]
pub struct AutoscalingOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 1000, message = "must be between 1 and 1000"))]
    pub min_replicas: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 1000, message = "must be between 1 and 1000"))]
    pub max_replicas: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 100, message = "must be between 1 and 100"))]
    pub target_cpu_percent: Option<u8>,
}

impl AutoscalingOverrides {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        *self == AutoscalingOverrides::default()
    }
}

impl QuotaLimits {
    /// These limits with `overrides` applied.
    pub fn with_overrides(&self, overrides: &QuotaOverrides) -> QuotaLimits {
        let m = &overrides.metrics;
        let a = &overrides.autoscaling;
        QuotaLimits {
            api_requests_per_minute: overrides
                .api_requests_per_minute
                .unwrap_or(self.api_requests_per_minute),
            api_burst: overrides.api_burst.unwrap_or(self.api_burst),
            storage_gb: overrides.storage_gb.unwrap_or(self.storage_gb),
            seats: overrides.seats.unwrap_or(self.seats),
            soft_limit_percent: overrides
                .soft_limit_percent
                .unwrap_or(self.soft_limit_percent),
            metrics: MetricsLimits {
                max_series: m.max_series.unwrap_or(self.metrics.max_series),
                ingestion_rate: m.ingestion_rate.unwrap_or(self.metrics.ingestion_rate),
                ingestion_burst: m.ingestion_burst.unwrap_or(self.metrics.ingestion_burst),
                rules_per_group: m.rules_per_group.unwrap_or(self.metrics.rules_per_group),
                max_rule_groups: m.max_rule_groups.unwrap_or(self.metrics.max_rule_groups),
            },
            autoscaling: Autoscaling {
                min_replicas: a.min_replicas.unwrap_or(self.autoscaling.min_replicas),
                max_replicas: a.max_replicas.unwrap_or(self.autoscaling.max_replicas),
                target_cpu_percent: a
                    .target_cpu_percent
                    .unwrap_or(self.autoscaling.target_cpu_percent),
            },
        }
    }
}

/// The quota preset of each tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs, reason = "one field per tier, named after it")]
pub struct TierPresets {
    #[validate(nested)]
    pub free: QuotaLimits,
    #[validate(nested)]
    pub starter: QuotaLimits,
    #[validate(nested)]
    pub professional: QuotaLimits,
    #[validate(nested)]
    pub enterprise: QuotaLimits,
}

impl TierPresets {
    /// The preset of `tier`.
    pub fn get(&self, tier: Tier) -> &QuotaLimits {
        match tier {
            Tier::Free => &self.free,
            Tier::Starter => &self.starter,
            Tier::Professional => &self.professional,
            Tier::Enterprise => &self.enterprise,
        }
    }
}

impl Default for TierPresets {
    /// Presets sized for a small SaaS; platforms set their own in `platform.yaml`.
    fn default() -> Self {
        let preset =
            |rpm: u32, storage_gb: u32, seats: u32, series: u64, rate: u64, max_replicas: u32| {
                QuotaLimits {
                    api_requests_per_minute: rpm,
                    api_burst: rpm / 4,
                    storage_gb,
                    seats,
                    soft_limit_percent: 80,
                    metrics: MetricsLimits {
                        max_series: series,
                        ingestion_rate: rate,
                        ingestion_burst: rate * 2,
                        rules_per_group: 20,
                        max_rule_groups: 20,
                    },
                    autoscaling: Autoscaling {
                        min_replicas: 1,
                        max_replicas,
                        target_cpu_percent: 70,
                    },
                }
            };
        TierPresets {
            free: preset(60, 1, 3, 10_000, 1_000, 1),
            starter: preset(600, 25, 10, 50_000, 5_000, 3),
            professional: preset(3_000, 250, 50, 250_000, 25_000, 10),
            enterprise: preset(20_000, 2_000, 1_000, 2_000_000, 200_000, 50),
        }
    }
}

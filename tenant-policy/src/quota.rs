//! Quota enforcement: usage against a tenant's effective limits (its tier's
//! preset with its overrides), and a token-bucket rate limiter written as a
//! pure state machine that keeps no clock and no state of its own.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tenant_model::{PlatformConfig, QuotaLimits, Tenant};

/// The limits that apply to `tenant`: its tier's preset on `platform` with
/// the tenant's overrides applied.
pub fn effective_limits(tenant: &Tenant, platform: &PlatformConfig) -> QuotaLimits {
    platform
        .tiers
        .get(tenant.tier)
        .with_overrides(&tenant.quotas)
}

/// A quota dimension: one thing that is counted against a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuotaDimension {
    /// API requests in the last minute, against `api_requests_per_minute`.
    ApiRequestsPerMinute,
    /// Storage in bytes, against `storage_gb` GiB.
    StorageBytes,
    /// Named users, against `seats`.
    Seats,
    /// Active series, against `metrics.max_series`.
    ActiveSeries,
    /// Samples per second, against `metrics.ingestion_rate`.
    IngestionRate,
    /// Rule groups, against `metrics.max_rule_groups`.
    RuleGroups,
    /// Rules in the largest rule group, against `metrics.rules_per_group`.
    RulesPerGroup,
    /// Running replicas, against `autoscaling.max_replicas`.
    Replicas,
}

impl QuotaDimension {
    /// Every dimension, in report order.
    pub const ALL: [QuotaDimension; 8] = [
        QuotaDimension::ApiRequestsPerMinute,
        QuotaDimension::StorageBytes,
        QuotaDimension::Seats,
        QuotaDimension::ActiveSeries,
        QuotaDimension::IngestionRate,
        QuotaDimension::RuleGroups,
        QuotaDimension::RulesPerGroup,
        QuotaDimension::Replicas,
    ];

    /// The dimension's name in reports, e.g. `storage_bytes`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaDimension::ApiRequestsPerMinute => "api_requests_per_minute",
            QuotaDimension::StorageBytes => "storage_bytes",
            QuotaDimension::Seats => "seats",
            QuotaDimension::ActiveSeries => "active_series",
            QuotaDimension::IngestionRate => "ingestion_rate",
            QuotaDimension::RuleGroups => "rule_groups",
            QuotaDimension::RulesPerGroup => "rules_per_group",
            QuotaDimension::Replicas => "replicas",
        }
    }

    /// JSON pointer of the field that sets the limit, in the tenant's
    /// document (`quotas`, an override) and, below `/tiers/<tier>`, in the
    /// platform's presets.
    pub fn limit_pointer(self) -> &'static str {
        match self {
            QuotaDimension::ApiRequestsPerMinute => "/quotas/api_requests_per_minute",
            QuotaDimension::StorageBytes => "/quotas/storage_gb",
            QuotaDimension::Seats => "/quotas/seats",
            QuotaDimension::ActiveSeries => "/quotas/metrics/max_series",
            QuotaDimension::IngestionRate => "/quotas/metrics/ingestion_rate",
            QuotaDimension::RuleGroups => "/quotas/metrics/max_rule_groups",
            QuotaDimension::RulesPerGroup => "/quotas/metrics/rules_per_group",
            QuotaDimension::Replicas => "/quotas/autoscaling/max_replicas",
        }
    }

    /// The limit of this dimension in `limits`, in the unit usage is counted
    /// in (bytes for storage).
    pub fn limit(self, limits: &QuotaLimits) -> u64 {
        match self {
            QuotaDimension::ApiRequestsPerMinute => u64::from(limits.api_requests_per_minute),
            QuotaDimension::StorageBytes => u64::from(limits.storage_gb).saturating_mul(GIB),
            QuotaDimension::Seats => u64::from(limits.seats),
            QuotaDimension::ActiveSeries => limits.metrics.max_series,
            QuotaDimension::IngestionRate => limits.metrics.ingestion_rate,
            QuotaDimension::RuleGroups => u64::from(limits.metrics.max_rule_groups),
            QuotaDimension::RulesPerGroup => u64::from(limits.metrics.rules_per_group),
            QuotaDimension::Replicas => u64::from(limits.autoscaling.max_replicas),
        }
    }
}

const GIB: u64 = 1 << 30;

/// A tenant's current usage; dimensions left `None` are not checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    /// API requests in the last minute.
    #[serde(default)]
    pub api_requests_per_minute: Option<u64>,
    /// Storage used, in bytes.
    #[serde(default)]
    pub storage_bytes: Option<u64>,
    /// Named users.
    #[serde(default)]
    pub seats: Option<u64>,
    /// Active series.
    #[serde(default)]
    pub active_series: Option<u64>,
    /// Samples per second.
    #[serde(default)]
    pub ingestion_rate: Option<u64>,
    /// Rule groups.
    #[serde(default)]
    pub rule_groups: Option<u64>,
    /// Rules in the largest rule group.
    #[serde(default)]
    pub rules_per_group: Option<u64>,
    /// Running replicas.
    #[serde(default)]
    pub replicas: Option<u64>,
}

impl Usage {
    /// The usage of `dimension`, when given.
    pub fn get(&self, dimension: QuotaDimension) -> Option<u64> {
        match dimension {
            QuotaDimension::ApiRequestsPerMinute => self.api_requests_per_minute,
            QuotaDimension::StorageBytes => self.storage_bytes,
            QuotaDimension::Seats => self.seats,
            QuotaDimension::ActiveSeries => self.active_series,
            QuotaDimension::IngestionRate => self.ingestion_rate,
            QuotaDimension::RuleGroups => self.rule_groups,
            QuotaDimension::RulesPerGroup => self.rules_per_group,
            QuotaDimension::Replicas => self.replicas,
        }
    }
}

/// Where usage stands against a limit, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuotaStatus {
    /// Below the soft limit: allow.
    Ok,
    /// At or above the soft limit (`soft_limit_percent` of the limit) and
    /// below the limit: allow, and warn.
    SoftLimit,
    /// At or above the limit: nothing remains, so more is denied.
    HardLimit,
}

/// One dimension's usage against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct QuotaUsage {
    /// The dimension.
    pub dimension: QuotaDimension,
    /// Where usage stands.
    pub status: QuotaStatus,
    /// Usage.
    pub used: u64,
    /// The limit.
    pub limit: u64,
    /// The usage at which [`QuotaStatus::SoftLimit`] starts: the limit times
    /// `soft_limit_percent`, divided by 100 and rounded up.
    pub soft_limit: u64,
    /// What remains below the limit (0 at or above it).
    pub remaining: u64,
    /// How far usage is above the limit (0 at or below it).
    pub excess: u64,
}

impl QuotaUsage {
    /// Usage `used` against `limit` with the soft limit at `soft_limit_percent`
    /// (clamped to 0..=100) of it.
    pub fn new(dimension: QuotaDimension, used: u64, limit: u64, soft_limit_percent: u8) -> Self {
        let percent = u128::from(soft_limit_percent.min(100));
        // limit × percent ≤ 2^64 × 100 fits in u128; the quotient is at most
        // `limit`, so it fits back in u64.
        let soft = (u128::from(limit) * percent).div_ceil(100);
        let soft_limit = u64::try_from(soft).unwrap_or(limit);
        let status = if used >= limit {
            QuotaStatus::HardLimit
        } else if used >= soft_limit {
            QuotaStatus::SoftLimit
        } else {
            QuotaStatus::Ok
        };
        QuotaUsage {
            dimension,
            status,
            used,
            limit,
            soft_limit,
            remaining: limit.saturating_sub(used),
            excess: used.saturating_sub(limit),
        }
    }
}

/// Usage of every given dimension against a tenant's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct QuotaReport {
    /// The limits checked against.
    pub limits: QuotaLimits,
    /// One entry per dimension given in the usage, in [`QuotaDimension::ALL`]
    /// order.
    pub dimensions: Vec<QuotaUsage>,
}

impl QuotaReport {
    /// The worst status over all dimensions ([`QuotaStatus::Ok`] when none
    /// was given).
    pub fn status(&self) -> QuotaStatus {
        self.dimensions
            .iter()
            .map(|d| d.status)
            .max()
            .unwrap_or(QuotaStatus::Ok)
    }

    /// Whether more may be consumed: no dimension is at its hard limit.
    pub fn allows(&self) -> bool {
        self.status() != QuotaStatus::HardLimit
    }

    /// The entry of `dimension`, when its usage was given.
    pub fn get(&self, dimension: QuotaDimension) -> Option<&QuotaUsage> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }
}

/// Checks `usage` against `limits`.
pub fn check_usage(limits: &QuotaLimits, usage: &Usage) -> QuotaReport {
    let dimensions = QuotaDimension::ALL
        .iter()
        .filter_map(|&d| {
            usage
                .get(d)
                .map(|used| QuotaUsage::new(d, used, d.limit(limits), limits.soft_limit_percent))
        })
        .collect();
    QuotaReport {
        limits: limits.clone(),
        dimensions,
    }
}

/// Checks `usage` against the limits of `tenant` on `platform`
/// ([`effective_limits`]).
pub fn check_quotas(tenant: &Tenant, platform: &PlatformConfig, usage: &Usage) -> QuotaReport {
    check_usage(&effective_limits(tenant, platform), usage)
}

/// Nanoseconds in a minute: one request is `NANOS_PER_MINUTE` units in a
/// [`BucketState`], so `rate` requests per minute refill exactly `rate` units
/// per nanosecond.
const NANOS_PER_MINUTE: u128 = 60_000_000_000;

/// A token-bucket rate: `requests_per_minute` sustained, up to `burst`
/// requests at once.
///
/// The bucket holds at most `burst` requests (at least 1: a bucket that
/// cannot hold one request never allows any) and refills at
/// `requests_per_minute`. So over any stretch of time `t` starting from a
/// full bucket it allows at most `burst + requests_per_minute × t`:
/// in the first minute, the sustained rate plus the burst.
///
/// The limiter is a pure state machine: the caller passes the previous
/// [`BucketState`] and `now`, and stores the new state it gets back (in
/// memory, Redis, a database row). The arithmetic is exact integer
/// arithmetic, so no drift accumulates however often it is called, and
/// refilling in many small steps gives the same state as in one.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use tenant_policy::checks::{RateDecision, RateLimit};
///
/// let rate = RateLimit { requests_per_minute: 60, burst: 2 };
/// let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
/// let state = rate.full(now);
/// let (first, state) = rate.check(state, now, 1);
/// let (second, state) = rate.check(state, now, 1);
/// let (third, state) = rate.check(state, now, 1);
/// assert_eq!(first, RateDecision::Allowed { remaining: 1 });
/// assert!(second.is_allowed());
/// assert_eq!(third, RateDecision::Denied { retry_after: Some(std::time::Duration::from_secs(1)) });
/// // One request per second comes back.
/// let (fourth, _) = rate.check(state, now + TimeDelta::seconds(1), 1);
/// assert!(fourth.is_allowed());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateLimit {
    /// Requests per minute, sustained.
    pub requests_per_minute: u32,
    /// Requests at once.
    pub burst: u32,
}

/// The state of one token bucket: what it holds and when it was last
/// updated. Store it between calls; [`RateLimit::full`] makes the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BucketState {
    /// Content in 1/60 000 000 000 of a request (one request per minute
    /// refills one unit per nanosecond), so refilling is exact.
    units: u128,
    /// The latest `now` seen.
    updated_at: DateTime<Utc>,
}

impl BucketState {
    /// Whole requests the bucket holds.
    pub fn available(&self) -> u64 {
        u64::try_from(self.units / NANOS_PER_MINUTE).unwrap_or(u64::MAX)
    }

    /// The latest instant the bucket was updated at.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// What the rate limiter decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
#[non_exhaustive]
pub enum RateDecision {
    /// Allowed; the bucket holds `remaining` whole requests afterwards.
    Allowed {
        /// Whole requests left in the bucket.
        remaining: u64,
    },
    /// Denied; nothing was taken from the bucket.
    Denied {
        /// How long until the bucket holds enough; `None` when it never will
        /// (the cost is above the burst, or the rate is 0).
        retry_after: Option<Duration>,
    },
}

impl RateDecision {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, RateDecision::Allowed { .. })
    }
}

impl RateLimit {
    /// The API rate of `limits`: `api_requests_per_minute` and `api_burst`.
    pub fn api(limits: &QuotaLimits) -> Self {
        RateLimit {
            requests_per_minute: limits.api_requests_per_minute,
            burst: limits.api_burst,
        }
    }

    /// Capacity in units.
    fn capacity(&self) -> u128 {
        u128::from(self.burst.max(1)) * NANOS_PER_MINUTE
    }

    /// A full bucket at `now`.
    pub fn full(&self, now: DateTime<Utc>) -> BucketState {
        BucketState {
            units: self.capacity(),
            updated_at: now,
        }
    }

    /// The bucket refilled up to `now`, without taking anything.
    ///
    /// When the clock went backwards (`now` before the state's time), nothing
    /// is added and the state keeps its later time, so the same stretch of
    /// time is never counted twice. Huge gaps saturate at a full bucket.
    pub fn refill(&self, state: BucketState, now: DateTime<Utc>) -> BucketState {
        let capacity = self.capacity();
        let elapsed = nanos_between(state.updated_at, now);
        if elapsed == 0 {
            return BucketState {
                units: state.units.min(capacity),
                updated_at: state.updated_at.max(now),
            };
        }
        // Both factors are below 2^64 × 2^32 in the worst case
        // (chrono's range in nanoseconds is below 2^74), far below 2^128;
        // saturating keeps that true whatever chrono's range becomes.
        let added = elapsed.saturating_mul(u128::from(self.requests_per_minute));
        BucketState {
            units: state.units.saturating_add(added).min(capacity),
            updated_at: now,
        }
    }

    /// Takes `cost` requests from the bucket at `now` if it holds them.
    ///
    /// Returns the decision and the new state to store; a denied request
    /// takes nothing (the state is only refilled). A `cost` of 0 is always
    /// allowed and only refills.
    pub fn check(
        &self,
        state: BucketState,
        now: DateTime<Utc>,
        cost: u32,
    ) -> (RateDecision, BucketState) {
        let state = self.refill(state, now);
        let needed = u128::from(cost) * NANOS_PER_MINUTE;
        if let Some(units) = state.units.checked_sub(needed) {
            let state = BucketState { units, ..state };
            (
                RateDecision::Allowed {
                    remaining: state.available(),
                },
                state,
            )
        } else {
            let retry_after = if needed > self.capacity() || self.requests_per_minute == 0 {
                None
            } else {
                let missing = needed.saturating_sub(state.units);
                let nanos = missing.div_ceil(u128::from(self.requests_per_minute));
                Some(duration_from_nanos(nanos))
            };
            (RateDecision::Denied { retry_after }, state)
        }
    }
}

/// Nanoseconds from `from` to `to`; 0 when `to` is not after `from`.
fn nanos_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u128 {
    let nanos = |t: DateTime<Utc>| {
        i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
    };
    u128::try_from(nanos(to).saturating_sub(nanos(from))).unwrap_or(0)
}

fn duration_from_nanos(nanos: u128) -> Duration {
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    // The remainder is below 10^9, so it fits in u32.
    let subsec = u32::try_from(nanos % 1_000_000_000).unwrap_or(0);
    Duration::new(secs, subsec)
}

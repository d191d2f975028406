//! Quotas: usage against effective limits (ok / soft / hard with what
//! remains) and the token-bucket rate limiter as a pure state machine.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use tenant_model::Tier;
use tenant_policy::checks::{
    QuotaDimension, QuotaStatus, QuotaUsage, RateDecision, RateLimit, Usage, check_quotas,
    check_usage, effective_limits,
};

use crate::sample::{now, platform, tenant};

#[test]
fn effective_limits_are_the_tier_preset_with_the_overrides() {
    let mut t = tenant("acme-music");
    t.tier = Tier::Starter;
    t.quotas.seats = Some(12);
    t.quotas.metrics.max_series = Some(60_000);
    let limits = effective_limits(&t, &platform());
    let preset = platform().tiers.starter;
    assert_eq!(limits.seats, 12);
    assert_eq!(limits.metrics.max_series, 60_000);
    assert_eq!(
        limits.api_requests_per_minute,
        preset.api_requests_per_minute
    );
    assert_eq!(limits.storage_gb, preset.storage_gb);
}

/// `used` against `limit` with the soft limit at `percent`.
#[track_caller]
fn check(limit: u64, percent: u8, used: u64, status: QuotaStatus, remaining: u64, excess: u64) {
    let usage = QuotaUsage::new(QuotaDimension::Seats, used, limit, percent);
    assert_eq!(
        (usage.status, usage.remaining, usage.excess),
        (status, remaining, excess),
        "{used} of {limit} at {percent}%"
    );
}

#[test]
fn usage_is_ok_then_soft_then_hard() {
    use QuotaStatus::{HardLimit, Ok, SoftLimit};
    check(100, 80, 0, Ok, 100, 0);
    check(100, 80, 79, Ok, 21, 0);
    check(100, 80, 80, SoftLimit, 20, 0);
    check(100, 80, 99, SoftLimit, 1, 0);
    // At the limit nothing remains: more is denied.
    check(100, 80, 100, HardLimit, 0, 0);
    check(100, 80, 130, HardLimit, 0, 30);
    // The soft limit rounds up: 80% of 3 is 2.4, so 2 is still ok.
    check(3, 80, 2, Ok, 1, 0);
    check(3, 80, 3, HardLimit, 0, 0);
    // 100% means no warning before the limit.
    check(10, 100, 9, Ok, 1, 0);
    check(u64::MAX, 99, u64::MAX - 1, SoftLimit, 1, 0);
    check(0, 80, 0, HardLimit, 0, 0);
}

#[test]
fn every_dimension_is_checked_against_its_limit() {
    let mut t = tenant("acme-music");
    t.tier = Tier::Free; // 60 rpm, 1 GiB, 3 seats, 10 000 series, 1 000/s, 20 rules, 20 groups, 1 replica
    let usage = Usage {
        api_requests_per_minute: Some(30),
        storage_bytes: Some(1 << 30),
        seats: Some(3),
        active_series: Some(8_000),
        ingestion_rate: Some(500),
        rule_groups: Some(16),
        rules_per_group: Some(2),
        replicas: Some(2),
    };
    let report = check_quotas(&t, &platform(), &usage);
    let got: Vec<(&str, QuotaStatus, u64, u64)> = report
        .dimensions
        .iter()
        .map(|d| (d.dimension.as_str(), d.status, d.limit, d.remaining))
        .collect();
    use QuotaStatus::{HardLimit, Ok, SoftLimit};
    assert_eq!(
        got,
        [
            ("api_requests_per_minute", Ok, 60, 30),
            ("storage_bytes", HardLimit, 1 << 30, 0),
            ("seats", HardLimit, 3, 0),
            ("active_series", SoftLimit, 10_000, 2_000),
            ("ingestion_rate", Ok, 1_000, 500),
            ("rule_groups", SoftLimit, 20, 4),
            ("rules_per_group", Ok, 20, 18),
            ("replicas", HardLimit, 1, 0),
        ]
    );
    assert_eq!(report.status(), HardLimit);
    assert!(!report.allows());
    assert_eq!(report.get(QuotaDimension::Replicas).unwrap().excess, 1);
}

#[test]
fn only_given_dimensions_are_reported() {
    let limits = platform().tiers.free;
    let report = check_usage(
        &limits,
        &Usage {
            seats: Some(1),
            ..Usage::default()
        },
    );
    assert_eq!(report.dimensions.len(), 1);
    assert!(report.allows());
    assert_eq!(
        check_usage(&limits, &Usage::default()).status(),
        QuotaStatus::Ok
    );
}

#[test]
fn limit_pointers_name_the_override_fields() {
    let pointers: Vec<&str> = QuotaDimension::ALL
        .iter()
        .map(|d| d.limit_pointer())
        .collect();
    assert!(pointers.iter().all(|p| p.starts_with("/quotas/")));
    assert_eq!(
        QuotaDimension::StorageBytes.limit_pointer(),
        "/quotas/storage_gb"
    );
}

fn at(seconds: i64) -> DateTime<Utc> {
    now() + TimeDelta::seconds(seconds)
}

fn allowed(decision: RateDecision) -> bool {
    decision.is_allowed()
}

#[test]
fn the_bucket_allows_the_burst_then_the_rate() {
    let rate = RateLimit {
        requests_per_minute: 60,
        burst: 3,
    };
    let mut state = rate.full(at(0));
    let mut decisions = Vec::new();
    for _ in 0..4 {
        let (d, s) = rate.check(state, at(0), 1);
        decisions.push(d);
        state = s;
    }
    assert_eq!(
        decisions,
        [
            RateDecision::Allowed { remaining: 2 },
            RateDecision::Allowed { remaining: 1 },
            RateDecision::Allowed { remaining: 0 },
            RateDecision::Denied {
                retry_after: Some(Duration::from_secs(1))
            },
        ]
    );
    // Half a second later, half a request has come back.
    let (d, state) = rate.check(state, now() + TimeDelta::milliseconds(500), 1);
    assert_eq!(
        d,
        RateDecision::Denied {
            retry_after: Some(Duration::from_millis(500))
        }
    );
    let (d, state) = rate.check(state, at(1), 1);
    assert_eq!(d, RateDecision::Allowed { remaining: 0 });
    // A long pause refills up to the burst, not beyond.
    let state = rate.refill(state, at(3600));
    assert_eq!(state.available(), 3);
    assert_eq!(state.updated_at(), at(3600));
}

#[test]
fn a_cost_above_the_burst_is_never_allowed() {
    let rate = RateLimit {
        requests_per_minute: 600,
        burst: 5,
    };
    let (d, _) = rate.check(rate.full(at(0)), at(0), 6);
    assert_eq!(d, RateDecision::Denied { retry_after: None });
    let (d, _) = rate.check(rate.full(at(0)), at(0), 5);
    assert!(allowed(d));
}

#[test]
fn a_zero_rate_never_refills_and_a_zero_burst_holds_one_request() {
    let rate = RateLimit {
        requests_per_minute: 0,
        burst: 1,
    };
    let (d, state) = rate.check(rate.full(at(0)), at(0), 1);
    assert!(allowed(d));
    let (d, _) = rate.check(state, at(86_400), 1);
    assert_eq!(d, RateDecision::Denied { retry_after: None });

    let rate = RateLimit {
        requests_per_minute: 60,
        burst: 0,
    };
    let (d, state) = rate.check(rate.full(at(0)), at(0), 1);
    assert!(allowed(d));
    let (d, _) = rate.check(state, at(0), 1);
    assert_eq!(
        d,
        RateDecision::Denied {
            retry_after: Some(Duration::from_secs(1))
        }
    );
}

#[test]
fn the_api_rate_comes_from_the_limits() {
    let limits = platform().tiers.free;
    assert_eq!(
        RateLimit::api(&limits),
        RateLimit {
            requests_per_minute: limits.api_requests_per_minute,
            burst: limits.api_burst
        }
    );
}

#[test]
fn a_clock_going_backwards_adds_nothing_and_counts_no_time_twice() {
    let rate = RateLimit {
        requests_per_minute: 60,
        burst: 10,
    };
    let (_, state) = rate.check(rate.full(at(100)), at(100), 10);
    // Backwards: nothing added, the later time is kept.
    let (d, back) = rate.check(state, at(50), 1);
    assert!(!allowed(d));
    assert_eq!(back.updated_at(), at(100));
    // Forward again: only the time after 100 counts.
    let (d, _) = rate.check(back, at(102), 2);
    assert_eq!(d, RateDecision::Allowed { remaining: 0 });
    let (d, _) = rate.check(back, at(102), 3);
    assert!(!allowed(d));
}

#[test]
fn huge_gaps_do_not_overflow() {
    let rate = RateLimit {
        requests_per_minute: u32::MAX,
        burst: u32::MAX,
    };
    let first = DateTime::<Utc>::MIN_UTC;
    let last = DateTime::<Utc>::MAX_UTC;
    let (_, state) = rate.check(rate.full(first), first, u32::MAX);
    assert_eq!(state.available(), 0);
    let (d, state) = rate.check(state, last, u32::MAX);
    assert_eq!(d, RateDecision::Allowed { remaining: 0 });
    let (d, _) = rate.check(state, first, 1);
    assert!(matches!(
        d,
        RateDecision::Denied {
            retry_after: Some(_)
        }
    ));
}

#[test]
fn bucket_state_round_trips_through_json() {
    let rate = RateLimit {
        requests_per_minute: 7,
        burst: 3,
    };
    let (_, state) = rate.check(rate.full(at(0)), at(1), 2);
    let json = serde_json::to_string(&state).unwrap();
    assert_eq!(
        serde_json::from_str::<tenant_policy::checks::BucketState>(&json).unwrap(),
        state
    );
}

/// Steps: nanoseconds to move the clock (sometimes backwards) and a cost.
fn steps() -> impl Strategy<Value = Vec<(i64, u32)>> {
    prop::collection::vec(
        (
            prop_oneof![
                4 => 0i64..2_000_000_000,
                1 => -5_000_000_000i64..0,
                1 => 0i64..100_000_000_000_000,
            ],
            0u32..20,
        ),
        1..60,
    )
}

proptest! {
    /// From a full bucket, the requests allowed up to any moment are at most
    /// the burst plus the rate times the time elapsed (time going backwards
    /// gives nothing back).
    #[test]
    fn never_more_than_burst_plus_rate_times_elapsed(
        rpm in 0u32..100_000,
        burst in 0u32..50,
        steps in steps(),
    ) {
        let rate = RateLimit { requests_per_minute: rpm, burst };
        let start = now();
        let mut state = rate.full(start);
        let mut clock = start;
        let mut latest = start;
        let mut allowed_total: u128 = 0;
        for (delta, cost) in steps {
            clock += TimeDelta::nanoseconds(delta);
            latest = latest.max(clock);
            let (d, s) = rate.check(state, clock, cost);
            state = s;
            if d.is_allowed() {
                allowed_total += u128::from(cost);
            }
            let elapsed = u128::try_from((latest - start).num_nanoseconds().unwrap()).unwrap();
            // In whole-request units times a minute in nanoseconds, exactly.
            let bound = u128::from(burst.max(1)) * 60_000_000_000 + u128::from(rpm) * elapsed;
            prop_assert!(allowed_total * 60_000_000_000 <= bound);
        }
    }

    /// Refilling is exact: the state after checks at any intermediate times
    /// is the state after one check at the end, and extra zero-cost checks
    /// between requests change no decision.
    #[test]
    fn the_state_does_not_depend_on_how_time_is_sliced(
        rpm in 1u32..100_000,
        burst in 1u32..50,
        steps in steps(),
        slices in prop::collection::vec(1u32..5, 60),
    ) {
        let rate = RateLimit { requests_per_minute: rpm, burst };
        let start = now();
        let (mut coarse, mut fine) = (rate.full(start), rate.full(start));
        let (mut ct, mut ft) = (start, start);
        for ((delta, cost), pieces) in steps.into_iter().zip(slices) {
            let target = ct + TimeDelta::nanoseconds(delta);
            // The fine clock gets there in `pieces` equal-ish steps.
            let step = delta / i64::from(pieces);
            for _ in 1..pieces {
                ft += TimeDelta::nanoseconds(step);
                let (d, s) = rate.check(fine, ft, 0);
                prop_assert!(d.is_allowed());
                fine = s;
            }
            ft = target;
            ct = target;
            let (dc, sc) = rate.check(coarse, ct, cost);
            let (df, sf) = rate.check(fine, ft, cost);
            prop_assert_eq!(dc, df);
            coarse = sc;
            fine = sf;
        }
        // Intermediate instants lie between two instants both clocks saw, so
        // both states remember the same latest instant too.
        prop_assert_eq!(coarse, fine);
    }
}

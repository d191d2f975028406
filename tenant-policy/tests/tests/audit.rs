//! Audit trail: the canonical form (checked against a hash computed by
//! Python's `json` and `hashlib`), every kind of tampering detected at the
//! right position, JSON Lines parsing errors with line numbers, and round
//! trips.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use tenant_policy::audit::{
    AuditChain, AuditDecision, AuditError, AuditEvent, ChainError, EventStamp, GENESIS_HASH,
    encode_jsonl, parse_jsonl, verify_trail, verify_trail_from, verify_trail_with_head,
};
use uuid::Uuid;

use crate::sample::now;

const REASON: &str =
    "deny `locked-tracks`: Les pistes verrouillées\nne changent pas\u{1}\u{1f}\u{2028}🎵\\\t\u{7f}";

fn golden_event() -> AuditEvent {
    let time =
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap() + TimeDelta::nanoseconds(123_456_789);
    let id = Uuid::parse_str("01890a5d-ac96-774b-bcce-b302099a8057").unwrap();
    AuditEvent::from_parts(
        EventStamp::with_id(id, time).unwrap(),
        "acme-music",
        "user:claire",
        "track:write",
        "track/t-1 \"Rive Gauche\"",
        AuditDecision::Denied,
        REASON,
    )
}

#[test]
fn the_canonical_form_matches_an_independent_implementation() {
    // Hash computed with Python:
    // hashlib.sha256(json.dumps(event_without_hash, ensure_ascii=False,
    //                separators=(",", ":")).encode()).hexdigest()
    let expected_hash = "cffa01bf725f2591ed9c4407d78ebc0fb599ff273f2c467f943fc4bae556d53e";
    let mut chain = AuditChain::new();
    let event = chain.append(golden_event()).clone();
    assert_eq!(event.previous_hash, GENESIS_HASH);
    assert_eq!(event.hash, expected_hash);
    assert_eq!(
        event.to_json_line(),
        concat!(
            r#"{"id":"01890a5d-ac96-774b-bcce-b302099a8057","time":"2026-11-27T12:00:00.123456789Z","#,
            r#""tenant":"acme-music","actor":"user:claire","action":"track:write","#,
            r#""resource":"track/t-1 \"Rive Gauche\"","decision":"denied","#,
            "\"reason\":\"deny `locked-tracks`: Les pistes verrouillées\\nne changent pas\\u0001\\u001f\u{2028}🎵\\\\\\t\u{7f}\",",
            r#""previous_hash":"0000000000000000000000000000000000000000000000000000000000000000","#,
            r#""hash":"cffa01bf725f2591ed9c4407d78ebc0fb599ff273f2c467f943fc4bae556d53e"}"#,
        )
    );
    // Any JSON parser reads it back to the same text.
    let value: serde_json::Value = serde_json::from_str(&event.to_json_line()).unwrap();
    assert_eq!(value["reason"], REASON);
    assert_eq!(format!("{event}"), event.to_json_line());
}

#[test]
fn stamps_make_version_7_ids_from_now_and_the_callers_bytes() {
    let stamp = EventStamp::new(now(), [7; 10]).unwrap();
    assert_eq!(stamp.time(), now());
    assert_eq!(stamp.id().get_version_num(), 7);
    let (secs, _) = stamp.id().get_timestamp().unwrap().to_unix();
    assert_eq!(secs, u64::try_from(now().timestamp()).unwrap());
    // Same inputs, same id: nothing hidden.
    assert_eq!(EventStamp::new(now(), [7; 10]).unwrap(), stamp);
    assert_ne!(EventStamp::new(now(), [8; 10]).unwrap().id(), stamp.id());
    // Ids of later events sort later.
    let later = EventStamp::new(now() + TimeDelta::milliseconds(1), [0; 10]).unwrap();
    assert!(later.id() > stamp.id());
}

#[test]
fn stamps_outside_the_canonical_range_are_errors() {
    let before_1970 = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap();
    let after_9999 = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
    for time in [before_1970, after_9999] {
        let error = EventStamp::new(time, [0; 10]).unwrap_err();
        assert!(matches!(error, AuditError::TimeOutOfRange { .. }));
        assert!(EventStamp::with_id(Uuid::nil(), time).is_err());
    }
    assert_eq!(
        EventStamp::new(before_1970, [0; 10])
            .unwrap_err()
            .to_string(),
        "audit event time `1969-12-31T23:59:59Z` is out of range: expected 1970-01-01 to 9999-12-31 (UTC)"
    );
}

/// A trail of `n` events, a second apart, alternating decisions.
fn trail(n: usize) -> Vec<AuditEvent> {
    let mut chain = AuditChain::new();
    for i in 0..n {
        let time = now() + TimeDelta::seconds(i64::try_from(i).unwrap());
        let mut random = [0u8; 10];
        random[0] = u8::try_from(i % 256).unwrap();
        chain.append(AuditEvent::from_parts(
            EventStamp::new(time, random).unwrap(),
            "acme-music",
            format!("user:u{i}"),
            "track:read",
            format!("track/t-{i}"),
            AuditDecision::from_allowed(i % 2 == 0),
            format!("role `viewer` from binding {i}"),
        ));
    }
    chain.into_events()
}

#[test]
fn an_untouched_trail_verifies() {
    for n in [0, 1, 2, 10] {
        let events = trail(n);
        verify_trail(&events).unwrap();
        let head = events.last().map_or(GENESIS_HASH, |e| e.hash.as_str());
        verify_trail_with_head(&events, head).unwrap();
        AuditChain::from_events(events.clone())
            .unwrap()
            .verify()
            .unwrap();
    }
}

/// The error of verifying `trail(6)` changed by `tamper`.
fn tampered(tamper: impl FnOnce(&mut Vec<AuditEvent>)) -> ChainError {
    let mut events = trail(6);
    tamper(&mut events);
    verify_trail(&events).unwrap_err()
}

#[test]
fn modifying_any_field_is_detected_at_that_event() {
    type Edit = (&'static str, fn(&mut AuditEvent));
    let edits: [Edit; 9] = [
        ("id", |e| e.id = Uuid::nil()),
        ("time", |e| e.time += TimeDelta::nanoseconds(1)),
        ("tenant", |e| e.tenant.push('x')),
        ("actor", |e| e.actor = "user:mallory".into()),
        ("action", |e| e.action = "track:delete".into()),
        ("resource", |e| e.resource.clear()),
        ("decision", |e| e.decision = AuditDecision::Allowed),
        ("reason", |e| e.reason = "ok".into()),
        ("hash", |e| e.hash = GENESIS_HASH.into()),
    ];
    for (field, edit) in edits {
        assert_eq!(
            tampered(|ev| edit(&mut ev[3])),
            ChainError::Modified { index: 3 },
            "{field}"
        );
    }
    // An edited link is a broken link at the edited event.
    assert_eq!(
        tampered(|ev| ev[3].previous_hash = ev[1].hash.clone()),
        ChainError::BrokenLink { index: 3 }
    );
}

#[test]
fn modifying_and_rehashing_an_event_breaks_the_next_link() {
    let error = tampered(|ev| {
        ev[2].decision = AuditDecision::Denied;
        ev[2].hash = ev[2].compute_hash();
    });
    assert_eq!(error, ChainError::BrokenLink { index: 3 });
}

#[test]
fn deleting_an_event_is_detected_where_it_was() {
    assert_eq!(
        tampered(|ev| drop(ev.remove(0))),
        ChainError::BrokenLink { index: 0 }
    );
    assert_eq!(
        tampered(|ev| drop(ev.remove(3))),
        ChainError::BrokenLink { index: 3 }
    );
}

#[test]
fn inserting_a_forged_event_is_detected() {
    let forged = |previous: &str| {
        AuditEvent::from_parts(
            EventStamp::new(now(), [9; 10]).unwrap(),
            "acme-music",
            "user:mallory",
            "track:delete",
            "track/t-0",
            AuditDecision::Allowed,
            "forged",
        )
        .sealed_after(previous)
    };
    // Correctly linked and hashed: the event after it no longer follows.
    assert_eq!(
        tampered(|ev| {
            let f = forged(&ev[1].hash);
            ev.insert(2, f);
        }),
        ChainError::BrokenLink { index: 3 }
    );
    // Linked to the wrong event: detected at the forgery itself.
    assert_eq!(
        tampered(|ev| {
            let f = forged(&ev[0].hash);
            ev.insert(2, f);
        }),
        ChainError::BrokenLink { index: 2 }
    );
    // Appended at the end: only the head hash tells.
    let mut events = trail(6);
    let head = events[5].hash.clone();
    events.push(forged(&head));
    verify_trail(&events).unwrap();
    let error = verify_trail_with_head(&events, &head).unwrap_err();
    assert!(
        matches!(error, ChainError::HeadMismatch { index: 6, .. }),
        "{error:?}"
    );
}

#[test]
fn swapping_two_events_is_detected_at_the_first() {
    assert_eq!(
        tampered(|ev| ev.swap(2, 3)),
        ChainError::BrokenLink { index: 2 }
    );
    assert_eq!(
        tampered(|ev| ev.swap(0, 5)),
        ChainError::BrokenLink { index: 0 }
    );
}

#[test]
fn truncating_the_tail_is_detected_against_the_head() {
    let events = trail(6);
    let head = events[5].hash.clone();
    let cut = &events[..4];
    verify_trail(cut).unwrap();
    let error = verify_trail_with_head(cut, &head).unwrap_err();
    assert_eq!(error.index(), 4);
    assert_eq!(
        error.to_string(),
        format!(
            "the audit trail does not end at the expected head `{head}` (found `{}`): events were removed from or added after its end at 4",
            events[3].hash
        )
    );
    assert_eq!(verify_trail_with_head(&[], &head).unwrap_err().index(), 0);
    assert_eq!(
        verify_trail_with_head(&events, GENESIS_HASH)
            .unwrap_err()
            .index(),
        0
    );
    AuditChain::from_events(cut.to_vec())
        .unwrap()
        .verify_with_head(&head)
        .unwrap_err();
}

#[test]
fn a_rotated_segment_verifies_after_the_previous_one() {
    let events = trail(6);
    verify_trail_from(&events[2].hash, &events[3..]).unwrap();
    assert_eq!(
        verify_trail_from(&events[1].hash, &events[3..]).unwrap_err(),
        ChainError::BrokenLink { index: 0 }
    );
    // A streaming writer that keeps only the last hash builds the same trail.
    let mut previous = GENESIS_HASH.to_owned();
    for event in &events {
        let mut unsealed = event.clone();
        unsealed.previous_hash.clear();
        unsealed.hash.clear();
        let sealed = unsealed.sealed_after(&previous);
        assert_eq!(&sealed, event);
        previous = sealed.hash;
    }
}

#[test]
fn tampering_with_the_text_of_a_line_is_detected() {
    let text = encode_jsonl(&trail(4));
    let line = text.lines().nth(2).unwrap();
    let forged = line.replace("\"decision\":\"allowed\"", "\"decision\":\"denied\"");
    assert_ne!(line, forged);
    let events = parse_jsonl(&text.replace(line, &forged)).unwrap();
    assert_eq!(
        verify_trail(&events),
        Err(ChainError::Modified { index: 2 })
    );
}

#[test]
fn json_lines_round_trip_and_are_canonical() {
    let events = trail(5);
    let chain = AuditChain::from_events(events.clone()).unwrap();
    let text = chain.to_jsonl();
    assert_eq!(text, encode_jsonl(&events));
    assert_eq!(text.lines().count(), 5);
    assert!(text.ends_with("}\n"));
    assert_eq!(parse_jsonl(&text).unwrap(), events);
    // Windows line ends and other key orders or spacing are read too.
    assert_eq!(parse_jsonl(&text.replace('\n', "\r\n")).unwrap(), events);
    let value: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let pretty = serde_json::to_string_pretty(&value)
        .unwrap()
        .replace('\n', " ");
    assert_eq!(parse_jsonl(&pretty).unwrap()[0], events[0]);
}

/// The error of parsing `trail(3)` with line `line` (1-based) replaced by `text`.
#[track_caller]
fn parse_error(line: usize, text: &str) -> String {
    let good = encode_jsonl(&trail(3));
    let mut lines: Vec<&str> = good.lines().collect();
    lines[line - 1] = text;
    let error = parse_jsonl(&lines.join("\n")).unwrap_err();
    assert_eq!(error.line(), line);
    error.to_string()
}

#[test]
fn malformed_lines_are_reported_with_their_number() {
    let good = encode_jsonl(&trail(3));
    let second = good.lines().nth(1).unwrap().to_owned();
    assert_eq!(
        parse_error(2, "{\"id\":"),
        "line 2: column 6: EOF while parsing a value"
    );
    assert_eq!(
        parse_error(2, ""),
        "line 2: empty line: expected an audit event"
    );
    assert_eq!(
        parse_error(2, &second.replace("\"reason\"", "\"why\"")),
        format!(
            "line 2: column {}: unknown field `why`, expected one of `id`, `time`, `tenant`, `actor`, `action`, `resource`, `decision`, `reason`, `previous_hash`, `hash`",
            second.find("\"reason\"").unwrap() + 5
        )
    );
    assert_eq!(
        parse_error(1, r#"{"id":"x"}"#),
        "line 1: column 9: UUID parsing failed: invalid character: found `x` at 0"
    );
    let missing = second.split(",\"hash\"").next().unwrap().to_owned() + "}";
    assert!(parse_error(2, &missing).contains("missing field `hash`"));
    assert!(
        parse_error(2, &second.replace("\"denied\"", "\"maybe\""))
            .contains("unknown variant `maybe`")
    );
    let short = second.replace(&trail(3)[1].hash, "abc");
    assert_eq!(
        parse_error(2, &short),
        "line 2: `hash` must be 64 lowercase hexadecimal digits, found `abc`"
    );
    let upper = second.replace(&trail(3)[1].hash, &trail(3)[1].hash.to_uppercase());
    assert!(parse_error(2, &upper).starts_with("line 2: `hash` must be"));
    assert!(parse_error(3, "[]").starts_with("line 3: column"));
}

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, with control characters, quotes and backslashes common.
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x20\"\\\\\u{7f}\u{2028}\u{2029}é🎵a-z]{0,20}",
    ]
}

fn event_parts() -> impl Strategy<Value = (i64, u32, [u8; 10], [String; 5], bool)> {
    (
        0i64..253_402_300_799, // up to 9999-12-31T23:59:59Z
        0u32..1_000_000_000,
        any::<[u8; 10]>(),
        [text(), text(), text(), text(), text()],
        any::<bool>(),
    )
}

proptest! {
    /// Encoding, parsing back and verifying gives the same events, whatever
    /// the text in them.
    #[test]
    fn encode_parse_verify_round_trip(parts in prop::collection::vec(event_parts(), 0..8)) {
        let mut chain = AuditChain::new();
        for (secs, nanos, random, [tenant, actor, action, resource, reason], allowed) in parts {
            let time: DateTime<Utc> = DateTime::from_timestamp(secs, nanos).unwrap();
            let stamp = EventStamp::new(time, random).unwrap();
            chain.append(AuditEvent::from_parts(
                stamp, tenant, actor, action, resource, AuditDecision::from_allowed(allowed), reason,
            ));
        }
        let text = chain.to_jsonl();
        prop_assert_eq!(text.lines().count(), chain.events().len());
        let parsed = parse_jsonl(&text).unwrap();
        prop_assert_eq!(&parsed, &chain.events().to_vec());
        prop_assert_eq!(verify_trail_with_head(&parsed, chain.head()), Ok(()));
        // Every line is plain JSON whose strings are the event's.
        for (line, event) in text.lines().zip(chain.events()) {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            prop_assert_eq!(value["reason"].as_str(), Some(event.reason.as_str()));
            prop_assert_eq!(value.as_object().unwrap().len(), 10);
        }
    }

    /// Changing any one event's reason is detected at that event.
    #[test]
    fn any_modification_is_detected_at_its_position(index in 0usize..6, reason in text()) {
        let mut events = trail(6);
        prop_assume!(events[index].reason != reason);
        events[index].reason = reason;
        prop_assert_eq!(verify_trail(&events), Err(ChainError::Modified { index }));
    }
}

/// A decision becomes an audit event in one call; a cross-tenant decision
/// says so in its actor and reason, and the chain of such events verifies.
#[test]
fn decisions_become_audit_events() {
    use tenant_model::{Classification, Format, Tenant, parse};
    use tenant_policy::authz::{PolicySet, Principal, PrincipalKind, Request, Resource};

    let load = |text: &str| parse::<Tenant>(text, Format::Yaml).unwrap();
    let beatforge = load(include_str!("../../../examples/tenants/beatforge.yaml"));
    let acme = load(include_str!("../../../examples/tenants/acme-music.yaml"));
    let policy = PolicySet::compile([&beatforge, &acme]).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let partner = Principal::new(
        PrincipalKind::ServiceAccount,
        "catalogue-sync",
        "acme-music",
    );
    let track =
        Resource::new("beatforge", "track", "t-42").with_classification(Classification::Internal);
    let read = Request::new(partner, "read", track, now);
    let write = Request::new(read.principal, "write", read.resource, read.now);

    let mut chain = AuditChain::new();
    for (i, request) in [read, write].iter().enumerate() {
        let decision = policy.authorize(request);
        let stamp = EventStamp::new(request.now, [i as u8; 10]).unwrap();
        chain.append(AuditEvent::from_decision(&policy, request, decision, stamp).unwrap());
    }
    let [allowed, denied] = chain.events() else {
        panic!("two events")
    };
    assert_eq!(allowed.tenant, "beatforge");
    assert_eq!(allowed.actor, "service_account:catalogue-sync@acme-music");
    assert_eq!(allowed.action, "track:read");
    assert_eq!(allowed.resource, "track/t-42");
    assert_eq!(allowed.decision, AuditDecision::Allowed);
    assert!(
        allowed
            .reason
            .contains("cross-tenant grant `distribution-partner`"),
        "{}",
        allowed.reason
    );
    assert!(
        allowed
            .reason
            .contains("/access_control/cross_tenant_grants/0"),
        "{}",
        allowed.reason
    );
    assert_eq!(denied.decision, AuditDecision::Denied);
    assert!(
        denied.reason.contains("outside the tenant"),
        "{}",
        denied.reason
    );
    assert_eq!(chain.verify(), Ok(()));
}

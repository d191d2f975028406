//! The audit trail: one event per decision, chained by SHA-256 hashes so that
//! any modification, deletion, insertion or reordering is detected, and
//! written as canonical JSON Lines that any language can verify.
//!
//! The canonical form is documented on [`AuditEvent`], precisely enough to
//! verify a trail in another language.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `previous_hash` of the first event of a trail: 64 `0`s.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether an audited request was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditDecision {
    /// The request was allowed.
    Allowed,
    /// The request was denied.
    Denied,
}

impl AuditDecision {
    /// `allowed` or `denied`, as written in the trail.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditDecision::Allowed => "allowed",
            AuditDecision::Denied => "denied",
        }
    }

    /// `Allowed` when `allowed` is true.
    pub fn from_allowed(allowed: bool) -> Self {
        if allowed {
            AuditDecision::Allowed
        } else {
            AuditDecision::Denied
        }
    }
}

/// Errors of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// An event time the canonical form cannot hold.
    #[error("audit event time `{time}` is out of range: expected 1970-01-01 to 9999-12-31 (UTC)")]
    TimeOutOfRange {
        /// The time, RFC 3339.
        time: String,
    },
}

/// When an event happened and its identifier.
///
/// This crate reads no clock and no random source. An [`EventStamp`] takes
/// the event's time from the caller's `now` and builds a UUID version 7 from
/// it and 10 bytes the caller provides (random bytes, or a counter in the
/// first bytes followed by random bytes when several events share a
/// millisecond and their ids must sort in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventStamp {
    id: Uuid,
    time: DateTime<Utc>,
}

impl EventStamp {
    /// A stamp at `now` whose id is a UUID version 7 made of `now`'s Unix
    /// milliseconds and `random` (10 bytes from the caller's random source;
    /// the first bytes may be a counter for ids that sort within one
    /// millisecond).
    ///
    /// Times before 1970 (which a UUID version 7 cannot hold) and after the
    /// year 9999 (which the canonical form cannot hold) are errors.
    pub fn new(now: DateTime<Utc>, random: [u8; 10]) -> Result<Self, AuditError> {
        check_time(now)?;
        let millis = u64::try_from(now.timestamp_millis()).map_err(|_| out_of_range(now))?;
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        Ok(EventStamp { id, time: now })
    }

    /// A stamp with an id the caller made, e.g. with `Uuid::now_v7()` in a
    /// binary that may read the clock.
    pub fn with_id(id: Uuid, time: DateTime<Utc>) -> Result<Self, AuditError> {
        check_time(time)?;
        Ok(EventStamp { id, time })
    }

    /// The event's id.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The event's time.
    pub fn time(&self) -> DateTime<Utc> {
        self.time
    }
}

fn out_of_range(time: DateTime<Utc>) -> AuditError {
    AuditError::TimeOutOfRange {
        time: time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    }
}

fn check_time(time: DateTime<Utc>) -> Result<(), AuditError> {
    if (1970..=9999).contains(&time.year()) {
        Ok(())
    } else {
        Err(out_of_range(time))
    }
}

/// One audit event: what was decided, for whom, and its place in the chain.
///
/// Fields are public so trails can be inspected and (in tests) tampered
/// with; [`verify_trail`] detects every change.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tenant_policy::audit::{
///     AuditChain, AuditDecision, AuditEvent, EventStamp, parse_jsonl, verify_trail_with_head,
/// };
///
/// let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
/// let random = [0x5a; 10]; // from the caller's random source
/// let mut chain = AuditChain::new();
/// chain.append(AuditEvent::from_parts(
///     EventStamp::new(now, random)?,
///     "acme-music",
///     "user:claire",
///     "track:write",
///     "track/t-1",
///     AuditDecision::Denied,
///     "deny `locked-tracks`: locked tracks do not change",
/// ));
/// let text = chain.to_jsonl();
/// assert!(text.starts_with(r#"{"id":"01a21ce0-6e00-7"#));
///
/// // Later, elsewhere: read the trail back and check it against the head
/// // hash that was kept apart from it.
/// let events = parse_jsonl(&text)?;
/// verify_trail_with_head(&events, chain.head())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Canonical form
///
/// An event is one line of UTF-8 JSON with exactly these keys, in this
/// order, no whitespace outside strings, and every value a string:
///
/// ```text
/// {"id":…,"time":…,"tenant":…,"actor":…,"action":…,"resource":…,"decision":…,"reason":…,"previous_hash":…,"hash":…}
/// ```
///
/// - `id`: the event's UUID (version 7), lowercase, hyphenated;
/// - `time`: UTC, `YYYY-MM-DDTHH:MM:SS.fffffffffZ` with exactly nine digits
///   of fraction;
/// - `tenant`, `actor`, `action`, `resource`, `reason`: free text;
/// - `decision`: `allowed` or `denied`;
/// - `previous_hash`: the `hash` of the event before, or 64 `0`s for the
///   first event of a trail;
/// - `hash`: 64 lowercase hexadecimal digits, the SHA-256 of the event's
///   canonical form **without** its `hash` member, i.e. of the line up to
///   and including the `previous_hash` value, followed by `}`:
///   `{"id":…,…,"previous_hash":"…"}`.
///
/// Strings are escaped as in RFC 8785 (JSON Canonicalization Scheme) and
/// ECMAScript's `JSON.stringify`: `"` as `\"`, `\` as `\\`, U+0008, U+0009,
/// U+000A, U+000C and U+000D as `\b`, `\t`, `\n`, `\f` and `\r`, every other
/// character below U+0020 as `\u00xx` with lowercase hexadecimal digits, and
/// every other character, including non-ASCII ones, as itself in UTF-8.
///
/// To verify a trail in another language: for each line, parse the JSON,
/// rebuild the canonical form without `hash` as above, hash it with SHA-256
/// and compare with `hash`; check that `previous_hash` is the previous line's
/// `hash` (64 `0`s for the first line); and compare the last line's `hash`
/// with a head hash kept elsewhere, since cutting off the end of a trail
/// leaves a valid shorter trail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// Identifier, a UUID version 7.
    pub id: Uuid,
    /// When the decision was made.
    pub time: DateTime<Utc>,
    /// The tenant whose resource was accessed (its slug or id).
    pub tenant: String,
    /// Who asked: the principal.
    pub actor: String,
    /// What was asked, e.g. `track:read`.
    pub action: String,
    /// On what.
    pub resource: String,
    /// The decision.
    pub decision: AuditDecision,
    /// Why: the decision's explanation, e.g. the matching binding, deny or
    /// cross-tenant grant.
    pub reason: String,
    /// The hash of the event before; empty until the event is appended.
    pub previous_hash: String,
    /// This event's hash; empty until the event is appended.
    pub hash: String,
}

impl AuditEvent {
    /// The audit record of an access decision, in one call: the resource's
    /// tenant, the principal as `kind:id@tenant` (so a cross-tenant access
    /// shows both tenants), the permission `kind:action`, the resource as
    /// `kind/id`, and the decision's explanation as the reason (naming the
    /// binding, deny or cross-tenant grant that decided, with its JSON
    /// pointer).
    ///
    /// The stamp carries the event's id and time: build it from the
    /// request's `now` and random bytes the caller draws
    /// ([`EventStamp::new`]), so this function reads no clock.
    ///
    /// An error if `policy` does not hold the compiled tenant that made the
    /// decision (see [`Decision::explain`](crate::authz::Decision::explain)).
    pub fn from_decision(
        policy: &crate::authz::PolicySet,
        request: &crate::authz::Request<'_>,
        decision: crate::authz::Decision,
        stamp: EventStamp,
    ) -> Result<Self, crate::authz::StaleDecision> {
        let explanation = decision.explain(policy)?;
        let principal = &request.principal;
        let kind = match principal.kind {
            crate::authz::PrincipalKind::User => "user",
            crate::authz::PrincipalKind::ServiceAccount => "service_account",
            crate::authz::PrincipalKind::PlatformOperator => "platform_operator",
        };
        let resource = &request.resource;
        Ok(AuditEvent::from_parts(
            stamp,
            resource.tenant,
            format!("{kind}:{}@{}", principal.id, principal.tenant),
            format!("{}:{}", resource.kind, request.action),
            format!("{}/{}", resource.kind, resource.id),
            AuditDecision::from_allowed(decision.is_allowed()),
            explanation.to_string(),
        ))
    }

    /// An event from its parts, not yet in a chain: append it with
    /// [`AuditChain::append`] or [`AuditEvent::sealed_after`].
    pub fn from_parts(
        stamp: EventStamp,
        tenant: impl Into<String>,
        actor: impl Into<String>,
        action: impl Into<String>,
        resource: impl Into<String>,
        decision: AuditDecision,
        reason: impl Into<String>,
    ) -> Self {
        AuditEvent {
            id: stamp.id,
            time: stamp.time,
            tenant: tenant.into(),
            actor: actor.into(),
            action: action.into(),
            resource: resource.into(),
            decision,
            reason: reason.into(),
            previous_hash: String::new(),
            hash: String::new(),
        }
    }

    /// This event placed after the event whose hash is `previous_hash`
    /// ([`GENESIS_HASH`] for the first): both hashes are set.
    ///
    /// For writers that stream events out and keep only the last hash.
    pub fn sealed_after(mut self, previous_hash: &str) -> Self {
        previous_hash.clone_into(&mut self.previous_hash);
        self.hash = self.compute_hash();
        self
    }

    /// The SHA-256 of the canonical form without `hash`, in lowercase hex.
    pub fn compute_hash(&self) -> String {
        let mut text = String::new();
        self.write_canonical(&mut text, false);
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    /// The canonical form: one line of JSON, without a line break.
    pub fn to_json_line(&self) -> String {
        let mut text = String::new();
        self.write_canonical(&mut text, true);
        text
    }

    fn write_canonical(&self, out: &mut String, with_hash: bool) {
        let time = self.time.to_rfc3339_opts(SecondsFormat::Nanos, true);
        let id = self.id.hyphenated().to_string();
        let members: [(&str, &str); 9] = [
            ("id", &id),
            ("time", &time),
            ("tenant", &self.tenant),
            ("actor", &self.actor),
            ("action", &self.action),
            ("resource", &self.resource),
            ("decision", self.decision.as_str()),
            ("reason", &self.reason),
            ("previous_hash", &self.previous_hash),
        ];
        out.push('{');
        for (i, (key, value)) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, key);
            out.push(':');
            write_string(out, value);
        }
        if with_hash {
            out.push_str(",\"hash\":");
            write_string(out, &self.hash);
        }
        out.push('}');
    }
}

impl fmt::Display for AuditEvent {
    /// The canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_line())
    }
}

/// Writes `value` as a JSON string, escaped as the module documentation says.
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a trail does not verify, with the index of the first bad event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// The event's hash does not match its contents: it was modified (or
    /// forged without recomputing its hash).
    #[error("audit event {index} was modified: its hash does not match its contents")]
    Modified {
        /// Index of the event, from 0.
        index: usize,
    },
    /// The event's `previous_hash` is not the hash of the event before it
    /// (or not the genesis hash for the first): an event was deleted,
    /// inserted or reordered here, or an earlier event was modified and
    /// rehashed.
    #[error(
        "audit event {index} does not follow the event before it: an event was deleted, inserted or reordered"
    )]
    BrokenLink {
        /// Index of the event, from 0.
        index: usize,
    },
    /// The trail verifies but does not end at the expected head hash: events
    /// were cut off its end (`index` is then the trail's length) or added
    /// after the head (`index` is then the first event after it).
    #[error(
        "the audit trail does not end at the expected head `{expected}` (found `{found}`): events were removed from or added after its end at {index}"
    )]
    HeadMismatch {
        /// The first position that differs from the expected trail.
        index: usize,
        /// The expected head hash.
        expected: String,
        /// The hash the trail ends with.
        found: String,
    },
}

impl ChainError {
    /// Index of the first bad position.
    pub fn index(&self) -> usize {
        match self {
            ChainError::Modified { index }
            | ChainError::BrokenLink { index }
            | ChainError::HeadMismatch { index, .. } => *index,
        }
    }
}

/// Verifies a trail that starts at the genesis: each event's hash matches
/// its contents and each event follows the one before it. Returns the
/// first bad position.
///
/// Cutting events off the end leaves a valid trail: compare the head too
/// with [`verify_trail_with_head`].
pub fn verify_trail(events: &[AuditEvent]) -> Result<(), ChainError> {
    verify_trail_from(GENESIS_HASH, events)
}

/// Verifies a trail that continues after the event whose hash is
/// `previous_hash` (e.g. a rotated file after the one before it).
pub fn verify_trail_from(previous_hash: &str, events: &[AuditEvent]) -> Result<(), ChainError> {
    let mut previous = previous_hash;
    for (index, event) in events.iter().enumerate() {
        if event.previous_hash != previous {
            return Err(ChainError::BrokenLink { index });
        }
        if event.compute_hash() != event.hash {
            return Err(ChainError::Modified { index });
        }
        previous = &event.hash;
    }
    Ok(())
}

/// Verifies a trail ([`verify_trail`]) and that it ends at `expected_last_hash`
/// (kept elsewhere: a database row, a signed checkpoint, another system),
/// which detects events cut off the end. An empty trail ends at
/// [`GENESIS_HASH`].
pub fn verify_trail_with_head(
    events: &[AuditEvent],
    expected_last_hash: &str,
) -> Result<(), ChainError> {
    verify_trail(events)?;
    let found = events.last().map_or(GENESIS_HASH, |e| e.hash.as_str());
    if found == expected_last_hash {
        return Ok(());
    }
    let index = if expected_last_hash == GENESIS_HASH {
        0
    } else {
        events
            .iter()
            .position(|e| e.hash == expected_last_hash)
            .map_or(events.len(), |i| i.saturating_add(1))
    };
    Err(ChainError::HeadMismatch {
        index,
        expected: expected_last_hash.to_owned(),
        found: found.to_owned(),
    })
}

/// An audit trail in memory: events appended in order, each chained to the
/// one before.
///
/// # Examples
///
/// Each decision appended as an event; [`AuditChain::verify`] finds the
/// first event changed after the fact.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tenant_model::{Format, Tenant, parse};
/// use tenant_policy::audit::{AuditChain, AuditEvent, EventStamp, verify_trail};
/// use tenant_policy::authz::{PolicySet, Principal, Request, Resource};
///
/// let tenant: Tenant = parse(r#"
/// schema_version: 1
/// id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
/// slug: acme-music
/// display_name: Acme Music
/// tier: professional
/// status: active
/// locale: fr-FR
/// time_zone: Europe/Paris
/// data_residency: { region: eu-west-1 }
/// contacts:
///   - { name: Claire Martin, email: claire@acme.example, role: owner }
/// isolation:
///   mode: schema
///   database: { name: music, schema: tenant_acme_music, role: acme_music_app }
///   cache: { key_prefix: "acme-music:", acl_user: acme-music }
/// access_control:
///   roles: [{ name: viewer, permissions: ["track:read"] }]
///   bindings: [{ subject: { kind: user, id: claire }, role: viewer }]
/// "#, Format::Yaml)?;
/// let policy = PolicySet::compile([&tenant])?;
///
/// let now = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).single().ok_or("no such time")?;
/// let mut trail = AuditChain::new();
/// for (i, action) in ["read", "delete"].into_iter().enumerate() {
///     let request = Request::new(
///         Principal::user("claire", "acme-music").with_mfa(true),
///         action,
///         Resource::new("acme-music", "track", "t-1"),
///         now,
///     );
///     let decision = policy.authorize(&request);
///     // The caller supplies the id's random bytes: this crate reads no
///     // random source and no clock.
///     let stamp = EventStamp::new(now, [i as u8; 10])?;
///     trail.append(AuditEvent::from_decision(&policy, &request, decision, stamp)?);
/// }
/// trail.verify()?;
///
/// // Turning the denied delete into an allowed one afterwards is found.
/// let mut events = trail.into_events();
/// events[1].decision = events[0].decision;
/// assert_eq!(verify_trail(&events).map_err(|e| e.index()), Err(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditChain {
    events: Vec<AuditEvent>,
}

impl AuditChain {
    /// An empty trail.
    pub fn new() -> Self {
        AuditChain::default()
    }

    /// A trail of `events` after checking them with [`verify_trail`].
    pub fn from_events(events: Vec<AuditEvent>) -> Result<Self, ChainError> {
        verify_trail(&events)?;
        Ok(AuditChain { events })
    }

    /// Appends `event` (its hashes are set) and returns it as stored.
    #[expect(
        clippy::expect_used,
        reason = "the event was pushed on the line before; `Vec::push_mut` would say so without `expect` but needs Rust 1.95, above this crate's 1.89"
    )]
    pub fn append(&mut self, event: AuditEvent) -> &AuditEvent {
        let sealed = event.sealed_after(self.head());
        self.events.push(sealed);
        self.events.last().expect("an event was just pushed")
    }

    /// The hash of the last event; [`GENESIS_HASH`] when empty.
    pub fn head(&self) -> &str {
        self.events.last().map_or(GENESIS_HASH, |e| e.hash.as_str())
    }

    /// The events, oldest first.
    pub fn events(&self) -> &[AuditEvent] {
        &self.events
    }

    /// The trail as its events.
    pub fn into_events(self) -> Vec<AuditEvent> {
        self.events
    }

    /// Checks the trail with [`verify_trail`].
    pub fn verify(&self) -> Result<(), ChainError> {
        verify_trail(&self.events)
    }

    /// Checks the trail with [`verify_trail_with_head`].
    pub fn verify_with_head(&self, expected_last_hash: &str) -> Result<(), ChainError> {
        verify_trail_with_head(&self.events, expected_last_hash)
    }

    /// The trail in canonical JSON Lines ([`encode_jsonl`]).
    pub fn to_jsonl(&self) -> String {
        encode_jsonl(&self.events)
    }
}

/// The events in canonical JSON Lines: each event's canonical form followed
/// by `\n`.
pub fn encode_jsonl(events: &[AuditEvent]) -> String {
    let mut out = String::new();
    for event in events {
        event.write_canonical(&mut out, true);
        out.push('\n');
    }
    out
}

/// A line of a JSON Lines audit trail that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditParseError {
    /// The line is not an audit event.
    #[error("line {line}: {message}")]
    Malformed {
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl AuditParseError {
    /// The line number, from 1.
    pub fn line(&self) -> usize {
        match self {
            AuditParseError::Malformed { line, .. } => *line,
        }
    }
}

/// Reads a JSON Lines audit trail: one event per line, lines ending in `\n`
/// (or `\r\n`). Keys may come in any order and whitespace is allowed; the
/// hash is always computed over the canonical form. Every key must be
/// present exactly once, and the hashes must be 64 lowercase hex digits.
///
/// This only reads; check the chain with [`verify_trail`] or [`verify_trail_with_head`].
pub fn parse_jsonl(text: &str) -> Result<Vec<AuditEvent>, AuditParseError> {
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i.saturating_add(1);
        let malformed = |message: String| AuditParseError::Malformed {
            line: number,
            message,
        };
        if line.trim().is_empty() {
            return Err(malformed("empty line: expected an audit event".to_owned()));
        }
        let event: AuditEvent = serde_json::from_str(line).map_err(|e| {
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = text.strip_suffix(&suffix).unwrap_or(&text);
            malformed(format!("column {}: {message}", e.column()))
        })?;
        for (field, value) in [
            ("previous_hash", &event.previous_hash),
            ("hash", &event.hash),
        ] {
            if !is_hash(value) {
                return Err(malformed(format!(
                    "`{field}` must be 64 lowercase hexadecimal digits, found `{}`",
                    value.escape_debug()
                )));
            }
        }
        events.push(event);
    }
    Ok(events)
}

fn is_hash(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

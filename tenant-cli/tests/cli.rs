//! `tenantctl` as a user runs it: exit statuses, the exact diagnostics for
//! every invalid example, JSON output, schemas, and no secret in any output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failing test should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn tenantctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenantctl"))
        .args(args)
        .current_dir(workspace())
        // The seed's variables change platform checks; keep them out.
        .env_remove("TENANT_ISOLATION_MODE")
        .env_remove("MONITORING_ENABLED")
        .env_remove("SLACK_WEBHOOKS_ENABLED")
        .env_remove("PROMETHEUS_METRICS")
        .env_remove("GRAFANA_DASHBOARDS")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn valid_examples_exit_zero_and_print_nothing() {
    let out = tenantctl(&[
        "validate",
        "examples/tenants",
        "examples/platform.yaml",
        "examples/compliance_rules.yaml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), "");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("ok: 8 documents (6 tenants, 1 platform, 1 compliance rules)")
    );
}

/// Every invalid example prints exactly the lines next to it and exits 1.
#[test]
fn invalid_examples_print_their_expected_diagnostics() {
    let dir = workspace().join("examples/invalid");
    let mut checked = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for expected in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "expected"))
    {
        let stem = expected.file_stem().unwrap().to_string_lossy().into_owned();
        let target = entries
            .iter()
            .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem) && *p != expected)
            .unwrap_or_else(|| panic!("no document next to {}", expected.display()));
        let relative = target
            .strip_prefix(workspace())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = tenantctl(&["validate", &relative]);
        assert_eq!(out.status.code(), Some(1), "{relative}");
        assert_eq!(
            stdout(&out),
            std::fs::read_to_string(expected).unwrap(),
            "{relative}"
        );
        checked.push(stem);
    }
    // The list: each is reported with its field's path.
    for required in [
        "unknown-field",
        "bad-slug",
        "dangling-role",
        "role-cycle",
        "bad-time-zone",
        "bad-cidr",
        "slo-objective-over-100",
        "duplicate-slug",
    ] {
        assert!(
            checked.iter().any(|c| c == required),
            "no invalid example `{required}`"
        );
    }
}

#[test]
fn json_output_has_the_same_diagnostics() {
    let out = tenantctl(&[
        "validate",
        "--format",
        "json",
        "examples/invalid/many-problems.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = diagnostics.as_array().unwrap();
    let text = std::fs::read_to_string(workspace().join("examples/invalid/many-problems.expected"))
        .unwrap();
    assert_eq!(list.len(), text.lines().count());
    assert_eq!(list[0]["file"], "examples/invalid/many-problems.yaml");
    assert_eq!(list[0]["pointer"], "/slug");
    assert_eq!(list[0]["line"], 4);
    assert_eq!(list[0]["column"], 1);

    let ok = tenantctl(&[
        "validate",
        "--format",
        "json",
        "examples/tenants/beatforge.yaml",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&ok.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn usage_and_io_errors_exit_two() {
    for args in [
        &["validate", "examples/does-not-exist.yaml"][..],
        &["validate", "README.md"][..],
        &["validate"][..],
        &[
            "validate",
            "examples/platform.yaml",
            "examples/platform.yaml",
        ][..],
        &["frobnicate"][..],
    ] {
        let out = tenantctl(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = tenantctl(&["validate", "examples/does-not-exist.yaml"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read `examples/does-not-exist.yaml`")
    );
}

#[test]
fn environment_variables_override_platform_switches() {
    let run = |value: &str| {
        Command::new(env!("CARGO_BIN_EXE_tenantctl"))
            .args([
                "validate",
                "examples/tenants/lofi-labs.yaml",
                "examples/platform.yaml",
            ])
            .current_dir(workspace())
            .env("TENANT_ISOLATION_MODE", value)
            .output()
            .unwrap()
    };
    assert_eq!(run("row").status.code(), Some(0));
    let strict = run("strict");
    assert_eq!(strict.status.code(), Some(1));
    let text = stdout(&strict);
    assert!(text.contains("examples/tenants/lofi-labs.yaml:20:3: /isolation/mode: `row` is weaker than the platform's minimum `schema`"), "{text}");
    let bad = run("paranoid");
    assert!(
        stdout(&bad).contains("environment variable `TENANT_ISOLATION_MODE` is `paranoid`"),
        "{}",
        stdout(&bad)
    );
}

#[test]
fn no_output_shows_a_webhook_url() {
    // The secret URL of the example, and an invalid copy with more secrets.
    let secret = "aCmEoNcAlLsEcReTtOkEn01";
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(workspace().join("examples/tenants/acme-music.yaml")).unwrap();
    let broken = text
        .replace(
            "channel: \"#acme-oncall\"",
            &format!("channel: https://hooks.slack.com/services/T0/B0/{secret}"),
        )
        .replace(
            "https://hooks.slack.com/services/T0ACME000",
            "http://hooks.slack.com/services/T0ACME000",
        )
        .replace(
            "send_resolved: true\n      template",
            &format!("send_resolved: true\n      web_hook: {secret}\n      template"),
        );
    let path = dir.path().join("acme.yaml");
    std::fs::write(&path, broken).unwrap();
    for args in [
        vec!["validate".to_owned(), path.display().to_string()],
        vec![
            "validate".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
            path.display().to_string(),
        ],
        vec!["validate".to_owned(), "examples/tenants".to_owned()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tenantctl"))
            .args(&args)
            .current_dir(workspace())
            .output()
            .unwrap();
        let all = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(secret), "{args:?}: {all}");
        assert!(!all.contains("hooks.slack.com"), "{args:?}: {all}");
    }
}

#[test]
fn schema_writes_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("schemas");
    let out_arg = out_dir.display().to_string();
    assert_eq!(
        tenantctl(&["schema", "--out", &out_arg, "--check"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        tenantctl(&["schema", "--out", &out_arg]).status.code(),
        Some(0)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "access_control.json",
            "compliance_rules.json",
            "isolation_policy.json",
            "monitoring_config.json",
            "platform.json",
            "slack_templates.json",
            "tenant_base.json"
        ]
    );
    assert_eq!(
        tenantctl(&["schema", "--out", &out_arg, "--check"])
            .status
            .code(),
        Some(0)
    );
    // The checked-in schemas are current.
    assert_eq!(
        tenantctl(&["schema", "--out", "schemas", "--check"])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(out_dir.join("platform.json"), "{}").unwrap();
    let stale = tenantctl(&["schema", "--out", &out_arg, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stdout(&stale).contains("platform.json: stale"));
}

/// An audit trail with an event every 6 hours for 30 days up to
/// `2026-11-27T12:00:00Z`, written to `dir`; its path and head.
fn compliance_trail(dir: &Path) -> (String, String) {
    use tenant_policy::audit::{AuditChain, AuditDecision, AuditEvent, EventStamp};
    let end = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let mut chain = AuditChain::new();
    for i in 0..120u8 {
        let time = end - chrono::TimeDelta::hours(6 * i64::from(120 - i));
        chain.append(AuditEvent::from_parts(
            EventStamp::new(time, [i; 10]).unwrap(),
            "acme-music",
            "user:claire",
            "track:read",
            "track/t-1",
            AuditDecision::from_allowed(true),
            "role `viewer`",
        ));
    }
    let path = dir.join("trail.jsonl");
    std::fs::write(&path, chain.to_jsonl()).unwrap();
    (path.display().to_string(), chain.head().to_owned())
}

#[test]
fn compliance_reports_failed_controls() {
    let args = [
        "compliance",
        "examples/tenants/acme-music.yaml",
        "examples/tenants/lofi-labs.yaml",
        "examples/platform.yaml",
        "examples/compliance_rules.yaml",
        "--at",
        "2026-11-27T12:00:00Z",
    ];
    let out = tenantctl(&args);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "acme-music: 11 passed, 0 failed, 1 no evidence, 0 not applicable: NOT compliant\n  NO EVIDENCE [high] soc2-cc7-2-audit-trail (SOC 2 CC7.2)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "lofi-labs: 5 passed, 2 failed, 3 no evidence, 2 not applicable: NOT compliant"
        ),
        "{text}"
    );
    assert!(
        text.contains("       at: /access_control/last_access_review\n"),
        "{text}"
    );

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&tenantctl(&json_args).stdout).unwrap();
    assert_eq!(json[1]["tenant"], "lofi-labs");
    assert_eq!(json[1]["summary"]["failed"], 2);
    assert_eq!(json[1]["summary"]["no_evidence"], 3);

    // With the audit trail and its head, the compliant tenant: exit 0.
    let dir = tempfile::tempdir().unwrap();
    let (trail, head) = compliance_trail(dir.path());
    let with_trail = |at: &str| {
        tenantctl(&[
            "compliance",
            "examples/tenants/acme-music.yaml",
            "examples/platform.yaml",
            "--audit-trail",
            &trail,
            "--audit-head",
            &head,
            "--at",
            at,
        ])
    };
    let ok = with_trail("2026-11-27T12:00:00Z");
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert_eq!(
        stdout(&ok),
        "acme-music: 12 passed, 0 failed, 0 no evidence, 0 not applicable: compliant\n"
    );
    // Later, the access review is older than 90 days (and the trail stopped).
    let late = with_trail("2027-03-01T00:00:00Z");
    assert_eq!(late.status.code(), Some(1), "{}", stdout(&late));
    assert!(stdout(&late).contains("FAIL [medium] soc2-cc6-2-access-review"));
    // A head that is not the trail's: the trail does not verify.
    let wrong = tenantctl(&[
        "compliance",
        "examples/tenants/acme-music.yaml",
        "examples/platform.yaml",
        "--audit-trail",
        &trail,
        "--audit-head",
        &"0".repeat(64),
        "--at",
        "2026-11-27T12:00:00Z",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stdout(&wrong).contains("does not verify against the kept head"),
        "{}",
        stdout(&wrong)
    );
    // A trail without its head: a usage error.
    let alone = tenantctl(&[
        "compliance",
        "examples/tenants/acme-music.yaml",
        "examples/platform.yaml",
        "--audit-trail",
        &trail,
    ]);
    assert_eq!(alone.status.code(), Some(2));
    // Without the platform document: a usage error.
    assert_eq!(
        tenantctl(&["compliance", "examples/tenants/acme-music.yaml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn compliance_fixtures_fail_with_pointers_to_what_is_wrong() {
    let run = |file: &str| {
        let out = tenantctl(&[
            "compliance",
            &format!("tenant-policy/tests/fixtures/compliance/{file}"),
            "examples/platform.yaml",
            "--at",
            "2026-11-27T12:00:00Z",
        ]);
        assert_eq!(out.status.code(), Some(1));
        stdout(&out)
    };
    let silent = run("silent.yaml");
    assert!(
        silent.starts_with(
            "silent-studio: 1 passed, 3 failed, 8 no evidence, 0 not applicable: NOT compliant\n"
        ),
        "{silent}"
    );
    assert!(
        silent.contains("       at: /data_protection/erasure_on_offboarding\n"),
        "{silent}"
    );
    let offshore = run("offshore.yaml");
    assert!(
        offshore.starts_with(
            "offshore-music: 8 passed, 4 failed, 0 no evidence, 0 not applicable: NOT compliant\n"
        ),
        "{offshore}"
    );
    assert!(
        offshore.contains("       at: /access_control/bindings/0/conditions/require_mfa, /access_control/bindings/0/expires_at, /access_control/bindings/0/subject, /access_control/cross_tenant_grants/0/require_mfa, /access_control/cross_tenant_grants/0/subjects, /access_control/cross_tenant_grants/0/expires_at\n"),
        "{offshore}"
    );
    assert!(
        offshore.contains("`eu` → `us` without a transfer mechanism"),
        "{offshore}"
    );
}

#[test]
fn compliance_refuses_rules_naming_unknown_jurisdictions() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yaml");
    let text = std::fs::read_to_string(workspace().join("examples/compliance_rules.yaml"))
        .unwrap()
        .replacen(
            "applies_to: { jurisdictions: [eu] }",
            "applies_to: { jurisdictions: [eu, ch] }",
            1,
        );
    std::fs::write(&rules, text).unwrap();
    let rules = rules.display().to_string();
    for command in ["validate", "compliance"] {
        let out = tenantctl(&[
            command,
            "examples/tenants/acme-music.yaml",
            "examples/platform.yaml",
            &rules,
        ]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let text = stdout(&out);
        assert!(
            text.contains(":/rules/2/applies_to/jurisdictions/1: jurisdiction `ch` is not one of the platform's: eu, us")
                || text.contains(": /rules/2/applies_to/jurisdictions/1: jurisdiction `ch` is not one of the platform's: eu, us"),
            "{command}: {text}"
        );
    }
}

#[test]
fn compliance_prints_markdown_tables() {
    let out = tenantctl(&[
        "compliance",
        "examples/tenants/acme-music.yaml",
        "examples/platform.yaml",
        "--format",
        "markdown",
        "--at",
        "2026-11-27T12:00:00Z",
    ]);
    let text = stdout(&out);
    assert!(text.starts_with("## acme-music\n\n11 passed, 0 failed, 1 no evidence, 0 not applicable: **not compliant**"), "{text}");
    assert!(text.contains("\n| rule | reference | outcome | evidence | value | remediation |\n| --- | --- | --- | --- | --- | --- |\n"), "{text}");
    assert!(
        text.contains("\n| soc2-cc7-2-audit-trail | SOC 2 CC7.2 | no evidence | /audit | "),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("| ")).count(),
        14,
        "{text}"
    );
}

#[test]
fn compliance_review_prints_the_population_and_its_hash() {
    let out = tenantctl(&[
        "compliance",
        "review",
        "acme-music",
        "examples/tenants/acme-music.yaml",
        "--at",
        "2026-11-27T12:00:00Z",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("access review population of `acme-music`: 4 entries\n"),
        "{text}"
    );
    assert!(text.contains("  binding group:studio-paris: playlist:*, playlist:read, report:read, track:read, track:write (mfa: not required, expires: never)\n"), "{text}");
    // The example records the review of exactly this population.
    let recorded =
        std::fs::read_to_string(workspace().join("examples/tenants/acme-music.yaml")).unwrap();
    let hash = text
        .lines()
        .find_map(|l| l.strip_prefix("snapshot_sha256: "))
        .unwrap();
    assert!(
        recorded.contains(&format!("snapshot_sha256: {hash}")),
        "{text}"
    );
    assert!(
        text.contains("last_access_review: { date: 2026-11-27, reviewer: <who signs off>"),
        "{text}"
    );
    let missing = tenantctl(&[
        "compliance",
        "review",
        "nobody",
        "examples/tenants/acme-music.yaml",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn audit_verify_finds_the_first_bad_line() {
    use tenant_policy::audit::{AuditChain, AuditDecision, AuditEvent, EventStamp};
    let dir = tempfile::tempdir().unwrap();
    let mut chain = AuditChain::new();
    for i in 0..5u8 {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc()
            + chrono::Duration::seconds(i64::from(i));
        let stamp = EventStamp::new(now, [i; 10]).unwrap();
        chain.append(AuditEvent::from_parts(
            stamp,
            "acme-music",
            "user:claire@acme-music",
            "track:read",
            "track/t-1",
            AuditDecision::from_allowed(i % 2 == 0),
            format!("reason {i}"),
        ));
    }
    let head = chain.head().to_owned();
    let path = dir.path().join("audit.jsonl");
    let file = path.display().to_string();
    std::fs::write(&path, chain.to_jsonl()).unwrap();
    let ok = tenantctl(&["audit", "verify", &file, "--head", &head]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("ok: 5 events"));

    // Modified reason on the third event → line 3.
    let text = chain.to_jsonl();
    std::fs::write(&path, text.replacen("reason 2", "reason 9", 1)).unwrap();
    let bad = tenantctl(&["audit", "verify", &file]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).starts_with(&format!("{file}:3: audit event 2 was modified")),
        "{}",
        stdout(&bad)
    );

    // The last line cut off: only the head shows it.
    let truncated: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, truncated).unwrap();
    assert_eq!(
        tenantctl(&["audit", "verify", &file]).status.code(),
        Some(0)
    );
    assert_eq!(
        tenantctl(&["audit", "verify", &file, "--head", &head])
            .status
            .code(),
        Some(1)
    );

    // Not JSON at all.
    std::fs::write(&path, "{not json\n").unwrap();
    let garbage = tenantctl(&["audit", "verify", &file]);
    assert_eq!(garbage.status.code(), Some(1));
    assert!(stdout(&garbage).starts_with(&format!("{file}:1:")));
}

#[test]
fn explain_answers_with_reasons_and_audits() {
    let dir = tempfile::tempdir().unwrap();
    let trail = dir.path().join("audit.jsonl").display().to_string();
    let ask = |principal: &str, from: &str, action: &str, resource: &str, at: &str| {
        tenantctl(&[
            "explain",
            "examples/tenants/acme-music.yaml",
            "examples/tenants/beatforge.yaml",
            "--principal",
            principal,
            "--principal-tenant",
            from,
            "--mfa",
            "--action",
            action,
            "--resource",
            resource,
            "--at",
            at,
            "--audit",
            &trail,
        ])
    };
    // Hugo's editor binding holds Monday to Friday, 08:00–20:00 in Paris.
    let friday = ask(
        "user:hugo.lefevre@acme-music.example",
        "acme-music",
        "write",
        "acme-music/track/t-1",
        "2026-12-04T10:30:00Z",
    );
    assert_eq!(friday.status.code(), Some(0));
    assert_eq!(
        stdout(&friday),
        "allowed in tenant `acme-music`: role `editor` from a binding (/access_control/bindings/3)\n"
    );
    let saturday = ask(
        "user:hugo.lefevre@acme-music.example",
        "acme-music",
        "write",
        "acme-music/track/t-1",
        "2026-12-05T10:30:00Z",
    );
    assert_eq!(saturday.status.code(), Some(1));
    assert!(stdout(&saturday).contains(
        "only applies within its time window (/access_control/bindings/3/conditions/time_window)"
    ));
    // Across tenants only through BeatForge's grant, and only for reads.
    let read = ask(
        "service_account:catalogue-sync",
        "acme-music",
        "read",
        "beatforge/track/t-9",
        "2026-12-04T10:30:00Z",
    );
    assert_eq!(read.status.code(), Some(0));
    assert!(stdout(&read).contains("cross-tenant grant `distribution-partner`"));
    let write = ask(
        "service_account:catalogue-sync",
        "acme-music",
        "write",
        "beatforge/track/t-9",
        "2026-12-04T10:30:00Z",
    );
    assert_eq!(write.status.code(), Some(1));
    // After the grant's end, not even reads.
    let expired = ask(
        "service_account:catalogue-sync",
        "acme-music",
        "read",
        "beatforge/track/t-9",
        "2027-02-01T00:00:00Z",
    );
    assert_eq!(expired.status.code(), Some(1));

    // Every decision is in the trail, which verifies.
    let verify = tenantctl(&["audit", "verify", &trail]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("ok: 5 events"));
    let text = std::fs::read_to_string(&trail).unwrap();
    assert!(
        text.lines()
            .nth(2)
            .unwrap()
            .contains("\"actor\":\"service_account:catalogue-sync@acme-music\"")
    );

    // A tampered trail is not appended to.
    std::fs::write(&trail, text.replacen("\"allowed\"", "\"denied\"", 1)).unwrap();
    let refused = ask(
        "user:hugo.lefevre@acme-music.example",
        "acme-music",
        "read",
        "acme-music/track/t-1",
        "2026-12-04T10:30:00Z",
    );
    assert_eq!(refused.status.code(), Some(2));

    // Usage errors.
    assert_eq!(
        tenantctl(&[
            "explain",
            "examples/tenants/acme-music.yaml",
            "--principal",
            "robot:x",
            "--action",
            "read",
            "--resource",
            "acme-music/track/t-1"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        tenantctl(&[
            "explain",
            "examples/tenants/acme-music.yaml",
            "--principal",
            "user:x",
            "--principal-tenant",
            "acme-music",
            "--action",
            "read",
            "--resource",
            "acme-music"
        ])
        .status
        .code(),
        Some(2)
    );
}

/// YAML and JSON copies of the same tenants count once, for every command.
#[test]
fn identical_copies_count_once() {
    let explain = tenantctl(&[
        "explain",
        "examples/tenants",
        "--principal",
        "service_account:catalogue-sync",
        "--principal-tenant",
        "acme-music",
        "--action",
        "read",
        "--resource",
        "beatforge/track/t-42",
        "--at",
        "2026-12-01T00:00:00Z",
    ]);
    assert_eq!(
        explain.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&explain.stderr)
    );
    let compliance = tenantctl(&[
        "compliance",
        "examples/tenants",
        "examples/platform.yaml",
        "--at",
        "2026-12-01T00:00:00Z",
    ]);
    assert_eq!(
        stdout(&compliance)
            .lines()
            .filter(|l| !l.starts_with(' '))
            .count(),
        3,
        "{}",
        stdout(&compliance)
    );
}

/// Copies count once only when identical: two tenants that share an id but
/// differ are both members of the set, so the shared id is reported, and
/// a third, identical copy adds nothing.
#[test]
fn tenants_sharing_an_id_count_once_only_when_identical() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(workspace().join("examples/tenants/json/acme-music.json")).unwrap();
    std::fs::write(dir.path().join("a.json"), &text).unwrap();
    std::fs::write(dir.path().join("b.json"), &text).unwrap();
    let ok = tenantctl(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let other = text
        .replace("\"acme-music\"", "\"acme-music-two\"")
        .replace("acme-music:", "acme-music-two:")
        .replace("tenant_acme_music", "tenant_acme_music_two")
        .replace("acme_music_app", "acme_music_two_app");
    std::fs::write(dir.path().join("c.json"), other).unwrap();
    let clash = tenantctl(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(clash.status.code(), Some(1));
    let out = stdout(&clash);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].contains("c.json") && lines[0].contains("/id: id `"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------
// Hostile environments (issue 7, classes 3 and 4): every write fallible,
// reads bounded by the bytes actually read, devices and FIFOs, deep and long
// Fluent overrides, file names that would break a diagnostic line, and two
// processes at once. Every exit is 0, 1 or 2.
// ---------------------------------------------------------------------------

mod hostile {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output, Stdio};

    use super::workspace;

    /// `tenantctl` with the given stdout (and stderr) and the seed's
    /// variables removed.
    fn run_with(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tenantctl"));
        command
            .args(args)
            .current_dir(workspace())
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        for name in [
            "TENANT_ISOLATION_MODE",
            "MONITORING_ENABLED",
            "SLACK_WEBHOOKS_ENABLED",
            "PROMETHEUS_METRICS",
            "GRAFANA_DASHBOARDS",
        ] {
            command.env_remove(name);
        }
        command.output().unwrap()
    }

    fn run(args: &[&str]) -> Output {
        run_with(args, Stdio::piped(), Stdio::piped())
    }

    fn stderr(output: &Output) -> String {
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    fn full_disk() -> Stdio {
        Stdio::from(std::fs::File::create("/dev/full").unwrap())
    }

    /// A pipe whose reading end is already closed: every write fails with
    /// a broken pipe, whatever the timing.
    fn closed_pipe() -> Stdio {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    }

    /// One invocation of every command that prints on standard output, in
    /// the states that print (valid, invalid, failed, stale, broken).
    fn every_command(dir: &Path) -> Vec<Vec<String>> {
        let trail = dir.join("audit.jsonl").display().to_string();
        let broken = dir.join("broken.jsonl");
        std::fs::write(&broken, "not an event\n").unwrap();
        let explain = |extra: &[&str]| {
            let mut args: Vec<String> = [
                "explain",
                "examples/tenants",
                "--principal",
                "user:jonas.weber@beatforge.example",
                "--principal-tenant",
                "beatforge",
                "--mfa",
                "--action",
                "read",
                "--resource",
                "beatforge/track/t-1",
                "--at",
                "2026-12-01T10:00:00Z",
            ]
            .map(str::to_owned)
            .to_vec();
            args.extend(extra.iter().map(|s| (*s).to_owned()));
            args
        };
        // A trail to verify, written by explain itself.
        let made = run(&explain(&["--audit", &trail])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>());
        assert!(
            matches!(made.status.code(), Some(0 | 1)),
            "{}",
            stderr(&made)
        );
        let owned = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        vec![
            owned(&["validate", "examples/invalid"]),
            owned(&["validate", "examples/invalid", "--format", "json"]),
            owned(&[
                "compliance",
                "examples/tenants",
                "examples/platform.yaml",
                "--at",
                "2026-12-01T00:00:00Z",
            ]),
            owned(&[
                "compliance",
                "examples/tenants",
                "examples/platform.yaml",
                "--format",
                "json",
            ]),
            owned(&["compliance", "examples/invalid/bad-slug.yaml"]),
            explain(&[]),
            owned(&[
                "schema",
                "--out",
                &dir.join("no-schemas").display().to_string(),
                "--check",
            ]),
            owned(&["audit", "verify", &trail]),
            owned(&["audit", "verify", &broken.display().to_string()]),
            owned(&["audit", "verify", &trail, "--format", "json"]),
            explain(&["--format", "json"]),
            // prometheus only: its files need no secret.
            owned(&[
                "render",
                "examples/tenants",
                "examples/platform.yaml",
                "--only",
                "prometheus",
                "--check",
                "--out",
                &dir.join("no-stack").display().to_string(),
            ]),
            owned(&[
                "deploy",
                "examples/tenants",
                "examples/platform.yaml",
                "--only",
                "prometheus",
                "--format",
                "json",
                "--out",
                &dir.join("stack").display().to_string(),
            ]),
        ]
    }

    #[test]
    fn every_command_prints_something_normally() {
        let dir = tempfile::tempdir().unwrap();
        for args in every_command(dir.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(&args);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                stderr(&out)
            );
            assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        }
    }

    #[test]
    fn a_full_disk_on_stdout_exits_two_for_every_command() {
        let dir = tempfile::tempdir().unwrap();
        for args in every_command(dir.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run_with(&args, full_disk(), Stdio::piped());
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(
                    "tenantctl: error: cannot write to standard output: no space left on the device"
                ),
                "{args:?}: {}",
                stderr(&out)
            );
            assert!(!stderr(&out).contains("panicked"), "{args:?}");
            // Nobody left to tell: still exit 2, still no panic.
            let out = run_with(&args, full_disk(), full_disk());
            assert_eq!(out.status.code(), Some(2), "{args:?}");
        }
    }

    #[test]
    fn a_closed_pipe_on_stdout_exits_two_for_every_command() {
        let dir = tempfile::tempdir().unwrap();
        for args in every_command(dir.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run_with(&args, closed_pipe(), Stdio::piped());
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(
                    "cannot write to standard output: the reading end of the pipe is closed"
                ),
                "{args:?}: {}",
                stderr(&out)
            );
            let out = run_with(&args, closed_pipe(), closed_pipe());
            assert_eq!(out.status.code(), Some(2), "{args:?}");
        }
    }

    #[test]
    fn a_full_disk_on_stderr_alone_keeps_the_exit_status() {
        let ok = run_with(
            &["validate", "examples/tenants"],
            Stdio::piped(),
            full_disk(),
        );
        assert_eq!(ok.status.code(), Some(0));
        let invalid = run_with(
            &["validate", "examples/invalid"],
            Stdio::piped(),
            full_disk(),
        );
        assert_eq!(invalid.status.code(), Some(1));
        assert!(!invalid.stdout.is_empty());
        // Writing schemas prints on stderr only; the files are written.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("schemas").display().to_string();
        let written = run_with(&["schema", "--out", &out], full_disk(), full_disk());
        assert_eq!(written.status.code(), Some(0));
        assert_eq!(
            run(&["schema", "--out", &out, "--check"]).status.code(),
            Some(0)
        );
        // A directory that cannot be made is an error, exit 2.
        let blocked = run(&["schema", "--out", "/dev/null/schemas"]);
        assert_eq!(blocked.status.code(), Some(2));
        assert!(
            stderr(&blocked).contains("cannot create `/dev/null/schemas`"),
            "{}",
            stderr(&blocked)
        );
        // Help and version go through clap, which exits 0 even when it
        // cannot print.
        for flag in ["--help", "--version"] {
            let out = run_with(&[flag], full_disk(), full_disk());
            assert_eq!(out.status.code(), Some(0), "{flag}");
        }
    }

    fn mkfifo(path: &Path) {
        let status = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success());
    }

    #[test]
    fn a_device_given_as_a_file_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let out = run(&["validate", &zero.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("zero.json` is larger than the limit of 67108864 bytes"),
            "{}",
            stderr(&out)
        );
        // audit verify takes any path.
        let out = run(&["audit", "verify", "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("`/dev/zero` is larger than the limit"));
        let out = run(&["audit", "verify", "/dev/null"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "an empty trail verifies: {}",
            stderr(&out)
        );
        // A directory where a file is expected.
        let out = run(&["audit", "verify", "examples"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("`examples` is a directory"),
            "{}",
            stderr(&out)
        );
    }

    #[test]
    fn a_fifo_flooded_by_its_writer_is_cut_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("flood.yaml");
        mkfifo(&fifo);
        let path = fifo.clone();
        let writer = std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            let chunk = vec![b'a'; 64 * 1024];
            let mut written: u64 = 0;
            // Writes until the reader goes away (a broken pipe).
            while file.write_all(&chunk).is_ok() {
                written += chunk.len() as u64;
            }
            written
        });
        let out = run(&["validate", &fifo.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("flood.yaml` is larger than the limit of 67108864 bytes"),
            "{}",
            stderr(&out)
        );
        let written = writer.join().unwrap();
        assert!(written >= 64 * 1024 * 1024, "{written}");
    }

    #[test]
    fn a_fifo_with_a_valid_document_is_validated() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("tenant.yaml");
        mkfifo(&fifo);
        let path = fifo.clone();
        let document = std::fs::read(workspace().join("examples/tenants/acme-music.yaml")).unwrap();
        let writer = std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            file.write_all(&document).unwrap();
        });
        let out = run(&["validate", &fifo.display().to_string()]);
        writer.join().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stderr(&out).starts_with("ok: 1 documents (1 tenants"));
    }

    #[test]
    fn a_directory_walk_reads_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        // A FIFO without a writer would block forever if it were opened.
        mkfifo(&dir.path().join("waiting.yaml"));
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
        std::fs::copy(
            workspace().join("examples/tenants/acme-music.yaml"),
            dir.path().join("acme-music.yaml"),
        )
        .unwrap();
        let out = run(&["validate", &dir.path().display().to_string()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stderr(&out).starts_with("ok: 1 documents (1 tenants"),
            "{}",
            stderr(&out)
        );
    }

    #[test]
    fn non_utf8_documents_are_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("latin1.yaml");
        std::fs::write(&bad, b"slug: caf\xe9\n").unwrap();
        let out = run(&["validate", &bad.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("latin1.yaml` is not UTF-8 text (invalid byte at offset 9)"),
            "{}",
            stderr(&out)
        );
    }

    /// The example tenant with `source` as its French template override.
    fn tenant_with_override(dir: &Path, name: &str, source: &str) -> PathBuf {
        let text =
            std::fs::read_to_string(workspace().join("examples/tenants/json/acme-music.json"))
                .unwrap();
        let mut tenant: serde_json::Value = serde_json::from_str(&text).unwrap();
        tenant["slack"]["templates"][0]["messages"] = serde_json::json!({ "fr": source });
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(&tenant).unwrap()).unwrap();
        path
    }

    #[test]
    fn deep_and_long_fluent_overrides_are_problems_not_crashes() {
        let dir = tempfile::tempdir().unwrap();
        let n = 10_000;
        let cases = [
            (
                "placeables.json",
                format!("x = {}$a{}\n", "{ ".repeat(n), " }".repeat(n)),
                "Fluent line 1, column 69: placeables, select expressions and call arguments nest more than 32 levels deep",
            ),
            (
                "braces.json",
                format!("x = {}\n", "{".repeat(n)),
                "Fluent line 1, column 37: placeables",
            ),
            (
                "selects.json",
                format!("x = {}z\n", "{ $a ->\n *[o] ".repeat(2_000)),
                "Fluent line 33, column 7: placeables",
            ),
            (
                "calls.json",
                format!("x = {{ {}$a }}\n", "NUMBER(".repeat(n / 2)),
                "Fluent line 1, column 230: placeables",
            ),
        ];
        for (name, source, expect) in cases {
            let path = tenant_with_override(dir.path(), name, &source);
            let out = run(&["validate", &path.display().to_string()]);
            assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.lines().count(), 1, "{text}");
            assert!(text.contains("/slack/templates/0/messages/fr: "), "{text}");
            assert!(text.contains(expect), "{name}: {text}");
        }
        // A chain of 3 000 references: the first 100 problems, then a stop.
        let chain: String = (0..3_000)
            .map(|i| format!("m{i} = {{ m{} }}\n", i + 1))
            .collect();
        let path = tenant_with_override(dir.path(), "chain.json", &format!("{chain}m3000 = end\n"));
        let out = run(&["validate", &path.display().to_string()]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().count(), 101);
        assert!(text.contains(
            "Fluent line 1, column 1: message `m0` may expand to more than 100 placeables"
        ));
        assert!(text.contains("the check stopped after 100 problems; fix these first"));
    }

    #[test]
    fn many_hostile_overrides_give_a_bounded_list() {
        let text =
            std::fs::read_to_string(workspace().join("examples/tenants/json/acme-music.json"))
                .unwrap();
        let mut tenant: serde_json::Value = serde_json::from_str(&text).unwrap();
        let template = tenant["slack"]["templates"][0].clone();
        let flood = format!("x = {}\n", "@here ".repeat(200));
        let templates: Vec<serde_json::Value> = (0..40)
            .map(|i| {
                let mut t = template.clone();
                t["name"] = if i == 0 {
                    "concise".into()
                } else {
                    format!("t{i}").into()
                };
                t["messages"] = serde_json::json!({ "en": flood, "fr": flood, "de": flood });
                t
            })
            .collect();
        tenant["slack"]["templates"] = templates.into();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flood.json");
        std::fs::write(&path, serde_json::to_string(&tenant).unwrap()).unwrap();
        let out = run(&["validate", &path.display().to_string()]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // The model lists at most 200 problems (and says so in one more).
        let lines = text.lines().count();
        assert!((101..=201).contains(&lines), "{lines}");
        assert!(
            text.lines()
                .last()
                .unwrap()
                .contains("problems are not shown"),
            "{text}"
        );
    }

    #[test]
    fn a_newline_in_a_file_name_stays_on_its_line() {
        let dir = tempfile::tempdir().unwrap();
        // No `/` in a file name; the forged line need not be perfect to mislead.
        let fake = "x.yaml:1:1: slug: forged\n";
        let name = format!("evil\n{fake}\u{1b}[2J.yaml");
        let path = dir.path().join(&name);
        std::fs::copy(workspace().join("examples/invalid/bad-slug.yaml"), &path).unwrap();
        let out = run(&["validate", &path.display().to_string()]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let expected =
            std::fs::read_to_string(workspace().join("examples/invalid/bad-slug.expected"))
                .unwrap();
        assert_eq!(text.lines().count(), expected.lines().count(), "{text}");
        for line in text.lines() {
            assert!(
                line.contains("evil\\nx.yaml:1:1: slug: forged\\n\\u{1b}[2J.yaml:"),
                "{line}"
            );
            assert!(!line.chars().any(char::is_control), "{line:?}");
        }
        // A fatal error quoting the name is one line too.
        let out = run(&[
            "validate",
            &dir.path().join("gone\n.yaml").display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out).lines().count(),
            1,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stderr(&out).contains("gone\\n.yaml"));
    }

    #[test]
    fn a_bad_question_is_quoted_on_one_line() {
        for (flag, value) in [
            ("--principal", "robot\nx.yaml:1:1: /slug: forged"),
            ("--resource", "a/b\u{1b}[2J"),
        ] {
            let mut args = vec![
                "explain",
                "examples/tenants",
                "--principal",
                "user:a",
                "--principal-tenant",
                "beatforge",
                "--action",
                "read",
                "--resource",
                "beatforge/track/t-1",
            ];
            let at = args.iter().position(|a| *a == flag).unwrap();
            args[at + 1] = value;
            let out = run(&args);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                stderr(&out).lines().count(),
                1,
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!stderr(&out).trim_end().chars().any(char::is_control));
        }
    }

    #[test]
    fn two_processes_writing_schemas_at_once_leave_them_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("schemas").display().to_string();
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_tenantctl"))
                .args(["schema", "--out", &out])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children: Vec<_> = (0..4).map(|_| spawn()).collect();
        for child in children {
            let done = child.wait_with_output().unwrap();
            assert_eq!(
                done.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&done.stderr)
            );
        }
        let check = run(&["schema", "--out", &out, "--check"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    }

    #[test]
    fn a_fifo_in_place_of_a_schema_is_stale_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let schemas = dir.path().join("schemas");
        let written = run(&["schema", "--out", &schemas.display().to_string()]);
        assert_eq!(written.status.code(), Some(0));
        let target = schemas.join("tenant_base.json");
        std::fs::remove_file(&target).unwrap();
        mkfifo(&target);
        let out = run(&["schema", "--out", &schemas.display().to_string(), "--check"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains("tenant_base.json: stale"));
    }
}

/// Issue 7, the evaluator's part: spellings outside the permission grammar,
/// concurrent audit appends, control characters in explanations.
mod policy_hardening {
    use super::{stdout, tenantctl};

    /// Jonas (owner, `*:*` with MFA) asks for `action` on `resource` of
    /// BeatForge, restricted data, at a time his binding holds.
    fn jonas(action: &str, resource: &str, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            "explain",
            "examples/tenants",
            "--principal",
            "user:jonas.weber@beatforge.example",
            "--principal-tenant",
            "beatforge",
            "--mfa",
            "--classification",
            "restricted",
            "--action",
            action,
            "--resource",
            resource,
            "--at",
            "2026-12-04T10:30:00Z",
        ];
        args.extend_from_slice(extra);
        tenantctl(&args)
    }

    #[test]
    fn spellings_outside_the_grammar_are_denied() {
        let real = jonas("delete", "beatforge/track/t-1", &[]);
        assert_eq!(real.status.code(), Some(1));
        assert!(stdout(&real).contains("explicit deny `no-delete-restricted`"));
        let write = jonas("write", "beatforge/track/t-1", &[]);
        assert_eq!(write.status.code(), Some(0), "{}", stdout(&write));

        for action in [
            "DELETE",
            "Delete",
            "delete ",
            " delete",
            "*",
            "de\nlete",
            "delete\u{1b}",
        ] {
            let out = jonas(action, "beatforge/track/t-1", &[]);
            assert_eq!(out.status.code(), Some(1), "{action:?}: {}", stdout(&out));
            let text = stdout(&out);
            assert!(
                text.starts_with(
                    "denied in tenant `beatforge`: the action is not a permission word"
                ),
                "{action:?}: {text}"
            );
            assert_eq!(text.lines().count(), 1, "{action:?}: {text}");
        }
        for kind in ["TRACK", "Track", "track ", "*", "tr\tack"] {
            let out = jonas("delete", &format!("beatforge/{kind}/t-1"), &[]);
            assert_eq!(out.status.code(), Some(1), "{kind:?}");
            assert!(
                stdout(&out).contains("the resource kind is not a permission word"),
                "{kind:?}: {}",
                stdout(&out)
            );
        }
    }

    #[test]
    fn concurrent_audit_appends_keep_every_event() {
        let dir = tempfile::tempdir().unwrap();
        let trail = dir.path().join("audit.jsonl");
        let trail_arg = trail.display().to_string();
        let children: Vec<std::process::Child> = (0..20)
            .map(|i| {
                let action = if i % 2 == 0 { "read" } else { "delete" };
                std::process::Command::new(env!("CARGO_BIN_EXE_tenantctl"))
                    .args([
                        "explain",
                        "examples/tenants",
                        "--principal",
                        "user:jonas.weber@beatforge.example",
                        "--principal-tenant",
                        "beatforge",
                        "--mfa",
                        "--action",
                        action,
                        "--resource",
                        "beatforge/track/t-1",
                        "--at",
                        "2026-12-04T10:30:00Z",
                        "--audit",
                        &trail_arg,
                    ])
                    .current_dir(super::workspace())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
            assert!(stderr.contains("audit: appended event"), "{stderr}");
        }
        let text = std::fs::read_to_string(&trail).unwrap();
        assert_eq!(text.lines().count(), 20, "{text}");
        let verify = tenantctl(&["audit", "verify", &trail_arg]);
        assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
        assert!(
            stdout(&verify).contains("ok: 20 events"),
            "{}",
            stdout(&verify)
        );
        let ids: std::collections::HashSet<&str> =
            text.lines().map(|l| l.split('"').nth(3).unwrap()).collect();
        assert_eq!(ids.len(), 20);
    }

    #[test]
    fn control_characters_in_deny_reasons_stay_on_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let original =
            std::fs::read_to_string(super::workspace().join("examples/tenants/beatforge.yaml"))
                .unwrap();
        let forged =
            "\"never\\nexamples/x.yaml:1:1: /slug: forged\\r\\u001b[2J\\u202egone\\u0085\"";
        let text = original.replace(
            "reason: Eingeschränkte Daten werden nie gelöscht, nur archiviert.",
            &format!("reason: {forged}"),
        );
        assert_ne!(text, original);
        let path = dir.path().join("beatforge.yaml");
        std::fs::write(&path, text).unwrap();
        let out = tenantctl(&[
            "explain",
            &path.display().to_string(),
            "--principal",
            "user:jonas.weber@beatforge.example",
            "--principal-tenant",
            "beatforge",
            "--mfa",
            "--classification",
            "restricted",
            "--action",
            "delete",
            "--resource",
            "beatforge/track/t-1",
            "--at",
            "2026-12-04T10:30:00Z",
        ]);
        let printed = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{printed}");
        assert_eq!(
            printed,
            "denied in tenant `beatforge`: explicit deny `no-delete-restricted` (never\\nexamples/x.yaml:1:1: /slug: forged\\r\\u{1b}[2J\\u{202e}gone\\u{85}) (/access_control/denies/0)\n"
        );
    }
}

/// Documents are read on every core; the output must not depend on it:
/// diagnostics come in file order, the same in every run, and of several
/// unreadable files the first in order is the one reported.
#[test]
fn parallel_validation_keeps_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(workspace().join("examples/tenants/json/acme-music.json")).unwrap();
    // Every document has its own problem: an unknown field named after the
    // file, and every third one a syntax error instead.
    let mut expected = Vec::new();
    for i in 0..40 {
        let name = format!("t{i:03}.json");
        let body = if i % 3 == 0 {
            "{\"slug\": ".to_owned()
        } else {
            text.replacen('{', &format!("{{\"field_{i:03}\": 1,"), 1)
        };
        std::fs::write(dir.path().join(&name), body).unwrap();
        expected.push(name);
    }
    let path = dir.path().display().to_string();
    let first = tenantctl(&["validate", &path]);
    assert_eq!(first.status.code(), Some(1));
    let printed = stdout(&first);
    let files: Vec<&str> = printed
        .lines()
        .filter(|line| !line.contains("is used by another tenant too"))
        .map(|line| {
            let (file, _) = line.split_once(".json:").unwrap();
            file.rsplit('/').next().unwrap()
        })
        .collect();
    let mut seen: Vec<String> = files.iter().map(|f| format!("{f}.json")).collect();
    seen.dedup();
    assert_eq!(seen, expected, "{printed}");
    for i in (1..40).filter(|i| i % 3 != 0) {
        assert!(
            printed.contains(&format!("unknown field `field_{i:03}`")),
            "{printed}"
        );
    }
    for _ in 0..3 {
        assert_eq!(stdout(&tenantctl(&["validate", &path])), printed);
    }
    // Two files that are not UTF-8: the first in order is named.
    std::fs::write(dir.path().join("t010.json"), b"{\"slug\": \"\xff\"}").unwrap();
    std::fs::write(dir.path().join("t030.json"), b"{\"slug\": \"\xfe\"}").unwrap();
    for _ in 0..3 {
        let out = tenantctl(&["validate", &path]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains("t010.json` is not UTF-8 text"), "{err}");
        assert!(!err.contains("t030.json"), "{err}");
    }
}

/// A git repository holding the three-version history fixture as
/// `tenant.yaml`, committed at the fixture's times.
fn history_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = workspace().join("tenant-policy/tests/fixtures/compliance/history");
    let git = |args: &[&str], at: &str| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_DATE", at)
            .env("GIT_COMMITTER_DATE", at)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"], "2026-01-01T00:00:00Z");
    let manifest = std::fs::read_to_string(fixtures.join("versions.txt")).unwrap();
    for line in manifest.lines() {
        let (at, file) = line.split_once(' ').unwrap();
        std::fs::copy(fixtures.join(file), dir.path().join("tenant.yaml")).unwrap();
        git(&["add", "tenant.yaml"], at);
        git(&["commit", "-q", "-m", file], at);
    }
    dir
}

#[test]
fn compliance_history_reads_git_and_reports_failing_intervals() {
    let repo = history_repo();
    let file = repo.path().join("tenant.yaml").display().to_string();
    let out = tenantctl(&[
        "compliance",
        "history",
        &file,
        "examples/platform.yaml",
        "--since",
        "2026-02-01T00:00:00Z",
        "--until",
        "2026-06-01T00:00:00Z",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let privileged = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "soc2-cc6-1-privileged-access")
        .unwrap();
    let failing = privileged["failing"].as_array().unwrap();
    assert_eq!(failing.len(), 1, "{privileged:#}");
    assert_eq!(failing[0]["from"], "2026-03-01T10:00:00Z");
    assert_eq!(failing[0]["until"], "2026-03-15T16:30:00Z");
    assert_eq!(failing[0]["outcome"], "fail");
    let transit = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "soc2-cc6-7-encryption-in-transit")
        .unwrap();
    assert_eq!(transit["failing"], serde_json::json!([]));
}

#[test]
fn compliance_diff_prints_access_changes_and_audits_them() {
    let repo = history_repo();
    let dir = repo.path();
    let trail = dir.join("trail.jsonl").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_tenantctl"))
        .args([
            "compliance",
            "diff",
            "git:HEAD~1:tenant.yaml",
            "git:HEAD:tenant.yaml",
            "--audit",
            &trail,
            "--actor",
            "git:HEAD",
            "--at",
            "2026-03-15T16:30:00Z",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), "binding user:ben: MFA required\n");
    let verify = tenantctl(&["audit", "verify", &trail]);
    assert_eq!(verify.status.code(), Some(0));
    assert!(stdout(&verify).contains("ok: 1 events"));
    let recorded = std::fs::read_to_string(&trail).unwrap();
    assert!(
        recorded.contains("\"action\":\"access:mfa_required\""),
        "{recorded}"
    );
    // Files work too; another tenant is refused.
    let files = tenantctl(&[
        "compliance",
        "diff",
        "tenant-policy/tests/fixtures/compliance/history/v1.yaml",
        "tenant-policy/tests/fixtures/compliance/history/v2.yaml",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&files.stdout).unwrap();
    assert_eq!(json[0]["change"], "added");
    assert_eq!(json[0]["subject"], "user:ben");
    let other = tenantctl(&[
        "compliance",
        "diff",
        "tenant-policy/tests/fixtures/compliance/history/v1.yaml",
        "examples/tenants/acme-music.yaml",
    ]);
    assert_eq!(other.status.code(), Some(2));
}

//! `tenantctl render` as a user runs it: what it writes, what it refuses,
//! and where secrets end up.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failing test should fail loudly"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The environment variables the example tenants' secret references name
/// (`{ env: NAME }`), read from the documents.
fn example_secrets() -> Vec<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(workspace().join("examples/tenants")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for part in text.split("{ env: ").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    assert!(names.len() >= 5, "{names:?}");
    names.into_iter().collect()
}

fn secret_value(name: &str) -> String {
    format!("https://hooks.example.invalid/services/{name}/s3cr3t-value")
}

fn tenantctl(args: &[&str], secrets: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tenantctl"));
    command
        .args(args)
        .current_dir(workspace())
        .env_remove("TENANT_ISOLATION_MODE")
        .env_remove("MONITORING_ENABLED")
        .env_remove("SLACK_WEBHOOKS_ENABLED")
        .env_remove("PROMETHEUS_METRICS")
        .env_remove("GRAFANA_DASHBOARDS");
    for name in example_secrets() {
        if secrets {
            command.env(&name, secret_value(&name));
        } else {
            command.env_remove(&name);
        }
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, `/`-separated.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn the_examples_render_every_file_the_manifest_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let run = tenantctl(
        &[
            "render",
            "examples/tenants",
            "examples/platform.yaml",
            // beatforge keeps its database and cache passwords in files under
            // /run/secrets, which a test machine lacks: those targets are left out.
            "--only",
            "prometheus,alertmanager,grafana,mimir,kubernetes",
            "--out",
            out.to_str().unwrap(),
        ],
        true,
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    assert!(
        text(&run.stdout).starts_with("rendered 3 tenants into "),
        "{}",
        text(&run.stdout)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("MANIFEST.json")).unwrap()).unwrap();
    let listed: BTreeSet<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    let mut written = files_under(&out);
    assert!(written.remove("MANIFEST.json"));
    assert_eq!(listed, written);
    for f in manifest["files"].as_array().unwrap() {
        let path = out.join(f["path"].as_str().unwrap());
        let contents = std::fs::read(&path).unwrap();
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            sha256_hex(&contents),
            "{}",
            path.display()
        );
        let secret = f["secret"].as_bool().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            if secret {
                assert_eq!(mode, 0o600, "{}", path.display());
            }
        }
        if !secret {
            let contents = String::from_utf8(contents).unwrap();
            for name in example_secrets() {
                assert!(
                    !contents.contains(&secret_value(&name)),
                    "{} holds {name}",
                    path.display()
                );
            }
        }
    }
    // Nothing secret reaches the terminal either.
    for name in example_secrets() {
        assert!(!text(&run.stdout).contains(&secret_value(&name)));
        assert!(!text(&run.stderr).contains(&secret_value(&name)));
    }
}

/// sha256 as `sha256sum` prints it, computed by the coreutils tool itself
/// (an oracle independent of the renderer's own hashing).
fn sha256_hex(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    text(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn invalid_documents_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let run = tenantctl(
        &[
            "render",
            "examples/invalid/unlockable-queries.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        true,
    );
    assert_eq!(run.status.code(), Some(1));
    let expected =
        std::fs::read_to_string(workspace().join("examples/invalid/unlockable-queries.expected"))
            .unwrap();
    assert_eq!(text(&run.stdout), expected);
    assert!(
        text(&run.stderr).contains("nothing rendered"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists());
}

#[test]
fn unknown_targets_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = tenantctl(
        &[
            "render",
            "examples/tenants",
            "--only",
            "prometheus,Grafana",
            "--out",
            dir.path().to_str().unwrap(),
        ],
        true,
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("unknown target"),
        "{}",
        text(&run.stderr)
    );
    assert!(files_under(dir.path()).is_empty());
}

#[test]
fn only_the_chosen_targets_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let run = tenantctl(
        &[
            "render",
            "examples/tenants",
            "examples/platform.yaml",
            "--only",
            "prometheus",
            "--out",
            dir.path().to_str().unwrap(),
        ],
        false,
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    for path in files_under(dir.path()) {
        assert!(
            path == "MANIFEST.json" || path.starts_with("prometheus/"),
            "{path}"
        );
    }
}

/// The lock uses the platform's tenant label: with `customer`, matchers on
/// `tenant` are ordinary, and matchers on `customer` are the ones refused.
#[test]
fn queries_are_locked_with_the_platforms_tenant_label() {
    let dir = tempfile::tempdir().unwrap();
    let platform = std::fs::read_to_string(workspace().join("examples/platform.yaml"))
        .unwrap()
        .replace("tenant_label: tenant", "tenant_label: customer");
    assert!(platform.contains("tenant_label: customer"));
    std::fs::write(dir.path().join("platform.yaml"), platform).unwrap();
    let tenant =
        std::fs::read_to_string(workspace().join("examples/invalid/unlockable-queries.yaml"))
            .unwrap()
            .replace("up{tenant=~\".+\"}", "up{customer=~\".+\"}");
    std::fs::write(dir.path().join("tenant.yaml"), tenant).unwrap();
    let run = tenantctl(
        &["validate", dir.path().to_str().unwrap(), "--format", "json"],
        false,
    );
    assert_eq!(run.status.code(), Some(1));
    let out = text(&run.stdout);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pointers: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/monitoring/alert_rules/1/expr",
            "/monitoring/alert_rules/2/expr"
        ],
        "{out}"
    );
    assert!(out.contains("the tenant label `customer`"), "{out}");
}

/// Targets that need no secret file under /run/secrets.
const ONLY: &str = "prometheus,alertmanager,grafana,mimir,kubernetes";

fn render_into(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "render",
        "examples/tenants",
        "examples/platform.yaml",
        "--only",
        ONLY,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tenantctl(&args, true)
}

#[test]
fn a_render_swaps_the_whole_tree_and_drops_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let first = render_into(&out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let before = files_under(&out);
    // A file no tenant renders any more, left by an older version.
    std::fs::write(out.join("prometheus/rules/gone.rules.yml"), "groups: []\n").unwrap();
    let second = render_into(&out, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(files_under(&out), before);
    // Beside it: the lock file only, no half-written or previous tree.
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["stack", "stack.lock"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secrets: Vec<_> = std::fs::read_dir(out.join("alertmanager/secrets"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!secrets.is_empty());
        for path in secrets {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
    }
}

#[test]
fn a_run_interrupted_between_the_renames_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    assert_eq!(render_into(&out, &[]).status.code(), Some(0));
    let before = files_under(&out);
    // The state a crash between the two renames leaves, plus a half-written
    // new tree.
    std::fs::rename(&out, dir.path().join(".stack.old")).unwrap();
    std::fs::create_dir_all(dir.path().join(".stack.new/prometheus")).unwrap();
    // A check sees the missing tree; the next render restores and rewrites.
    let check = render_into(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    let run = render_into(&out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(files_under(&out), before);
    assert!(!dir.path().join(".stack.old").exists());
    assert!(!dir.path().join(".stack.new").exists());
}

#[test]
fn a_directory_that_is_not_a_render_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("home");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine\n").unwrap();
    let run = render_into(&out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("is not empty and has no MANIFEST.json"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(files_under(&out), BTreeSet::from(["notes.txt".to_owned()]));
    // A file in place of the directory is refused too.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let run = render_into(&file, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("is not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_second_writer_is_refused_while_the_lock_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let lock = std::fs::File::create(dir.path().join("stack.lock")).unwrap();
    lock.lock().unwrap();
    let run = render_into(&out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("is being written by another tenantctl"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists());
    lock.unlock().unwrap();
    assert_eq!(render_into(&out, &[]).status.code(), Some(0));
}

#[test]
fn check_reports_drift_as_a_diff_and_never_prints_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    assert_eq!(render_into(&out, &[]).status.code(), Some(0));
    let equal = render_into(&out, &["--check"]);
    assert_eq!(equal.status.code(), Some(0), "{}", text(&equal.stdout));
    assert!(text(&equal.stdout).ends_with("is up to date\n"));

    let config = out.join("alertmanager/alertmanager.yml");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replacen("group_by", "group_by_changed", 1),
    )
    .unwrap();
    std::fs::write(out.join("extra.txt"), "x\n").unwrap();
    let rules = out.join("prometheus/rules/acme-music.rules.yml");
    std::fs::remove_file(&rules).unwrap();
    let secret = std::fs::read_dir(out.join("alertmanager/secrets"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let old_secret = std::fs::read_to_string(&secret).unwrap();
    std::fs::write(&secret, "https://drifted.example.invalid/hook-value\n").unwrap();
    let before = files_under(&out);

    let drift = render_into(&out, &["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    let shown = text(&drift.stdout);
    assert!(
        shown.contains(
            "--- a/alertmanager/alertmanager.yml\n+++ b/alertmanager/alertmanager.yml\n@@ "
        ),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with('-') && l.contains("group_by_changed")),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with('+') && l.contains("group_by") && !l.contains("changed")),
        "{shown}"
    );
    assert!(
        shown.contains("missing: prometheus/rules/acme-music.rules.yml"),
        "{shown}"
    );
    assert!(shown.contains("extra: extra.txt"), "{shown}");
    let name = secret.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        shown.contains(&format!("secret differs: alertmanager/secrets/{name}")),
        "{shown}"
    );
    // Neither the value on disk nor the rendered one is printed; no colour
    // on a pipe.
    let all = format!("{shown}{}", text(&drift.stderr));
    assert!(!all.contains("drifted.example.invalid"), "{all}");
    assert!(!all.contains(old_secret.trim()), "{all}");
    assert!(!all.contains("s3cr3t-value"), "{all}");
    assert!(!all.contains('\u{1b}'), "{all}");
    // --check wrote nothing.
    assert_eq!(files_under(&out), before);

    let json = render_into(&out, &["--check", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["up_to_date"], false);
    assert_eq!(report["drift"]["extra"], serde_json::json!(["extra.txt"]));
    assert_eq!(
        report["drift"]["secret_changed"].as_array().unwrap().len(),
        1
    );
    assert!(!text(&json.stdout).contains("drifted.example.invalid"));
}

#[test]
fn no_color_and_a_pipe_get_no_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    assert_eq!(render_into(&out, &[]).status.code(), Some(0));
    std::fs::write(out.join("alertmanager/alertmanager.yml"), "changed\n").unwrap();
    let mut args = vec![
        "render",
        "examples/tenants",
        "examples/platform.yaml",
        "--only",
        ONLY,
        "--check",
        "--out",
    ];
    let out_text = out.to_str().unwrap().to_owned();
    args.push(&out_text);
    let run = Command::new(env!("CARGO_BIN_EXE_tenantctl"))
        .args(&args)
        .current_dir(workspace())
        .envs(example_secrets().into_iter().map(|n| {
            let v = secret_value(&n);
            (n, v)
        }))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stdout).contains("+++ b/alertmanager/alertmanager.yml"));
    assert!(!text(&run.stdout).contains('\u{1b}'));
}

/// A stand-in for Prometheus: answers `POST /-/reload` with `status` and
/// `body`, and `/metrics` with the reload metric; counts reloads.
fn fake_prometheus(
    status: &'static str,
    body: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reloads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = reloads.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                request.push(byte[0]);
            }
            let request = String::from_utf8_lossy(&request).into_owned();
            let (status, body) = if request.starts_with("POST /-/reload ") {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                (status, body.to_owned())
            } else if request.starts_with("GET /metrics ") {
                let ok = if status.starts_with("200") { 1 } else { 0 };
                (
                    "200 OK",
                    format!("# TYPE x gauge\nprometheus_config_last_reload_successful {ok}\n"),
                )
            } else {
                ("404 Not Found", String::new())
            };
            let _ = write!(
                stream,
                "HTTP/1.0 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, reloads)
}

fn deploy(out: &Path, only: &str, prometheus: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "deploy",
        "examples/tenants",
        "examples/platform.yaml",
        "--only",
        only,
        "--out",
        out.to_str().unwrap(),
        "--prometheus",
        prometheus,
    ];
    args.extend_from_slice(extra);
    tenantctl(&args, true)
}

#[test]
fn deploy_reloads_and_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let (url, reloads) = fake_prometheus("200 OK", "");
    let run = deploy(&out, "prometheus", &url, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    assert!(
        text(&run.stdout).contains(&format!("prometheus: loaded {url}")),
        "{}",
        text(&run.stdout)
    );
    assert_eq!(reloads.load(std::sync::atomic::Ordering::SeqCst), 1);
    let json = deploy(&out, "prometheus", &url, &["--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["deployed"], true);
    assert_eq!(report["servers"][0]["outcome"], "loaded");
}

#[test]
fn a_refused_deploy_prints_the_servers_message_and_restores_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let (good, _) = fake_prometheus("200 OK", "");
    assert_eq!(
        deploy(&out, "prometheus", &good, &[]).status.code(),
        Some(0)
    );
    let before = files_under(&out);
    let rules = std::fs::read_to_string(out.join("prometheus/rules/acme-music.rules.yml")).unwrap();
    let (bad, reloads) = fake_prometheus(
        "500 Internal Server Error",
        "failed to reload config: one or more errors occurred while applying the new configuration",
    );
    // A change (more targets) the server refuses.
    let run = deploy(&out, "prometheus,alertmanager", &bad, &[]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    let shown = text(&run.stdout);
    assert!(shown.contains("prometheus: refused"), "{shown}");
    assert!(
        shown.contains("failed to reload config: one or more errors occurred"),
        "{shown}"
    );
    assert!(shown.contains("previous tree"), "{shown}");
    assert_eq!(files_under(&out), before);
    assert_eq!(
        std::fs::read_to_string(out.join("prometheus/rules/acme-music.rules.yml")).unwrap(),
        rules
    );
    // Asked once for the new tree, once more for the restored one.
    assert_eq!(reloads.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(!text(&run.stdout).contains("s3cr3t-value"));
}

#[test]
fn deploy_refuses_https_and_reports_an_unreachable_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let run = deploy(&out, "prometheus", "https://127.0.0.1:9090", &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("https is not supported"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists());
    // A port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = deploy(&out, "prometheus", &format!("http://127.0.0.1:{port}"), &[]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
    assert!(
        text(&run.stdout).contains("prometheus: unreachable"),
        "{}",
        text(&run.stdout)
    );
    // Nothing was there before: the rollback leaves nothing.
    assert!(!out.exists());
}

#[test]
fn every_command_documents_an_example_and_its_exit_codes() {
    for command in [
        "validate",
        "compliance",
        "explain",
        "render",
        "deploy",
        "audit",
        "schema",
    ] {
        let run = tenantctl(&[command, "--help"], false);
        assert_eq!(run.status.code(), Some(0), "{command}");
        let help = text(&run.stdout);
        assert!(help.contains("Example"), "{command}: {help}");
        assert!(help.contains("Exit status: 0"), "{command}: {help}");
    }
    let usage = tenantctl(&["render"], false);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn explain_and_audit_verify_print_json() {
    let dir = tempfile::tempdir().unwrap();
    let trail = dir.path().join("audit.jsonl");
    let run = tenantctl(
        &[
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
            "--audit",
            trail.to_str().unwrap(),
            "--format",
            "json",
        ],
        false,
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(answer["allowed"], true);
    assert!(
        answer["explanation"]
            .as_str()
            .unwrap()
            .contains("distribution-partner")
    );
    let run = tenantctl(
        &[
            "audit",
            "verify",
            trail.to_str().unwrap(),
            "--format",
            "json",
        ],
        false,
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (report["ok"].clone(), report["events"].clone()),
        (serde_json::json!(true), serde_json::json!(1))
    );
    std::fs::write(&trail, "tampered\n").unwrap();
    let run = tenantctl(
        &[
            "audit",
            "verify",
            trail.to_str().unwrap(),
            "--format",
            "json",
        ],
        false,
    );
    assert_eq!(run.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (report["ok"].clone(), report["line"].clone()),
        (serde_json::json!(false), serde_json::json!(1))
    );
}

#[cfg(unix)]
#[test]
fn check_never_opens_a_fifo_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    assert_eq!(render_into(&out, &[]).status.code(), Some(0));
    let config = out.join("alertmanager/alertmanager.yml");
    std::fs::remove_file(&config).unwrap();
    let made = Command::new("mkfifo").arg(&config).status().unwrap();
    assert!(made.success());
    // Opening the FIFO would block this run for ever.
    let run = render_into(&out, &["--check"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let shown = text(&run.stdout);
    assert!(
        shown.contains("missing: alertmanager/alertmanager.yml"),
        "{shown}"
    );
    assert!(
        shown.contains("extra: alertmanager/alertmanager.yml"),
        "{shown}"
    );
}

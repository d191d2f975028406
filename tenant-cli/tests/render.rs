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

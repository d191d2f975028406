//! The quickstart example's output: every target rendered into the output
//! directory, the files on disk exactly those of the manifest, secret files
//! private, demo values only for references that are not set.

use std::path::Path;

use tenant_kit::render::{MANIFEST, Target};

#[path = "../examples/quickstart.rs"]
#[allow(dead_code, reason = "the example's `main` is not called here")]
mod example;

/// Every file under `dir`, as paths relative to it with `/` separators.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn quickstart_renders_every_target_and_writes_exactly_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tenant-stack");
    let stack = example::build(&out).unwrap();
    assert_eq!(stack.tenants, ["acme-music", "beatforge", "lofi-labs"]);
    assert_eq!(stack.compliance.len(), stack.tenants.len());
    assert!(stack.compliance_rules > 0);

    for target in Target::ALL {
        let dir = out.join(target.as_str());
        assert!(dir.is_dir(), "no {target}/ in the quickstart's output");
        assert!(
            !files_under(&dir).is_empty(),
            "{target}/ of the quickstart's output is empty"
        );
    }

    // On disk: exactly the bundle's files, with its contents.
    let expected: Vec<String> = stack.bundle.iter().map(|(p, _)| p.to_owned()).collect();
    assert_eq!(files_under(&out), expected);
    for (path, file) in stack.bundle.iter() {
        let on_disk = std::fs::read_to_string(out.join(path)).unwrap();
        assert!(on_disk == file.contents(), "{path} differs from the bundle");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(out.join(path))
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            if file.is_secret() {
                assert_eq!(mode, 0o600, "secret file {path} is not private");
            }
        }
    }
    // The manifest lists every other file, with its hash.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(MANIFEST)).unwrap()).unwrap();
    let text = manifest.to_string();
    for (path, file) in stack.bundle.iter().filter(|(p, _)| *p != MANIFEST) {
        assert!(text.contains(path), "{path} is not in {MANIFEST}");
        assert!(
            text.contains(&file.sha256()),
            "{path}'s sha256 is not in {MANIFEST}"
        );
    }

    // A demo value only stands in for a reference that is not set.
    for demo in &stack.demo_values {
        if let Some(name) = demo
            .strip_prefix("environment variable `")
            .and_then(|d| d.strip_suffix('`'))
        {
            assert!(
                std::env::var(name).is_err(),
                "{name} is set but got a demo value"
            );
        }
    }
    // A webhook without a value points at the loopback discard port, and
    // then the summary says so.
    let fake = stack
        .bundle
        .iter()
        .any(|(_, f)| f.contents().contains("tenant-kit-quickstart-fake"));
    assert_eq!(fake, stack.demo_values.iter().any(|d| d.contains("SLACK")));
    for (path, file) in stack.bundle.under("alertmanager/secrets/") {
        let url = file.contents().trim();
        if url.contains("tenant-kit-quickstart-fake") {
            assert!(url.starts_with("http://127.0.0.1:9/"), "{path}: {url}");
        }
    }

    // A second run replaces the previous render.
    let again = example::build(&out).unwrap();
    assert_eq!(files_under(&out), expected);
    assert_eq!(again.bundle.len(), stack.bundle.len());
}

#[test]
fn quickstart_does_not_overwrite_a_directory_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let error = example::build(tmp.path()).err().unwrap().to_string();
    assert!(error.contains("does not hold a previous render"), "{error}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

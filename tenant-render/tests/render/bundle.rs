//! The bundle as a whole: deterministic, complete, secrets only where they
//! belong.

use secrecy::ExposeSecret;
use tenant_render::{FakeSecrets, Options, SecretResolver, render};

use crate::corpus::{examples, hostile, platform};

#[test]
fn the_same_input_renders_the_same_bytes() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let platform = platform();
    let a = render(&tenants, &platform, &Options::new(&FakeSecrets)).unwrap();
    let b = render(&tenants, &platform, &Options::new(&FakeSecrets)).unwrap();
    assert_eq!(a, b);
    let manifest: serde_json::Value =
        serde_json::from_str(a.get("MANIFEST.json").unwrap().contents()).unwrap();
    assert_eq!(manifest["files"].as_array().unwrap().len(), a.len() - 1);
}

#[test]
fn resolved_secrets_appear_only_in_secret_files() {
    let mut tenants = examples();
    tenants.extend(hostile());
    let bundle = render(&tenants, &platform(), &Options::new(&FakeSecrets)).unwrap();
    let mut values = Vec::new();
    for t in &tenants {
        for r in &t.slack.receivers {
            values.push(
                FakeSecrets
                    .resolve(&r.webhook_url)
                    .unwrap()
                    .expose_secret()
                    .to_owned(),
            );
        }
        for s in [&t.isolation.database.password, &t.isolation.cache.password]
            .into_iter()
            .flatten()
        {
            values.push(FakeSecrets.resolve(s).unwrap().expose_secret().to_owned());
        }
    }
    for (path, file) in bundle.iter() {
        if file.is_secret() {
            continue;
        }
        for v in &values {
            assert!(
                !file.contents().contains(v.as_str()),
                "{path} holds a secret"
            );
        }
    }
}

#[test]
fn a_slug_given_twice_is_refused() {
    let mut tenants = examples();
    tenants.push(tenants[0].clone());
    let problems = render(&tenants, &platform(), &Options::new(&FakeSecrets)).unwrap_err();
    assert!(problems.to_string().contains("given twice"), "{problems}");
}

//! Formatting never returns a message with a hole: every problem is an
//! `Err` with a message in the house style.

use tenant_i18n::{Args, Error, Tz};

use crate::support::{localizer, winter};

fn check(id: &str, args: &Args, expect: &str) {
    let error = localizer("en", Tz::UTC).format(id, args).unwrap_err();
    assert_eq!(error.to_string(), expect);
}

#[test]
fn missing_and_wrong_things_are_errors() {
    check(
        "alert-firing-summary",
        &Args::new().with("alert", "A"),
        "cannot format message `alert-firing-summary`: missing argument `$severity`; missing argument `$tenant`",
    );
    check(
        "no-such-message",
        &Args::new(),
        "message `no-such-message` is not in the catalog",
    );
    check(
        "compliance-audit-logging.nope",
        &Args::new(),
        "message `compliance-audit-logging` has no attribute `nope`",
    );
    check(
        "alert-firing-description",
        &Args::new().with("alert", "A").with("since", "yesterday"),
        "cannot format message `alert-firing-description`: `DATETIME` needs an instant as its argument",
    );
    check(
        "slo-burn-page-summary",
        &Args::new().with("slo", "x").with("burn_rate", "fast"),
        "cannot format message `slo-burn-page-summary`: `NUMBER` needs a number as its argument",
    );
    check(
        "alert-firing-description",
        &Args::new().with("alert", "A"),
        "cannot format message `alert-firing-description`: missing argument `$since`",
    );
}

#[test]
fn errors_can_be_matched_on() {
    let error = localizer("fr", Tz::UTC)
        .format("duration-days", &Args::new().with("since", winter()))
        .unwrap_err();
    match error {
        Error::Format { id, problems } => {
            assert_eq!(id, "duration-days");
            assert_eq!(problems, ["missing argument `$days`"]);
        }
        other => panic!("unexpected {other:?}"),
    }
}

//! Any text passed as an argument comes out verbatim: no isolation marks and
//! no escaping at this layer.

use proptest::prelude::*;
use tenant_i18n::{Args, SUPPORTED_LOCALE_TAGS, Tz};

use crate::support::localizer;

/// A private-use character no catalog contains, to find the placeable.
const MARK: &str = "\u{e000}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arguments_come_out_verbatim(tenant in any::<String>(), alert in "\\PC*") {
        for tag in SUPPORTED_LOCALE_TAGS {
            let l10n = localizer(tag, Tz::UTC);
            let template = l10n
                .format("compliance-report-title", &Args::new().with("tenant", MARK))
                .unwrap();
            let got = l10n
                .format("compliance-report-title", &Args::new().with("tenant", tenant.as_str()))
                .unwrap();
            prop_assert_eq!(&got, &template.replacen(MARK, &tenant, 1));

            let args = Args::new().with("alert", alert.as_str()).with("tenant", tenant.as_str()).with("severity", "x");
            let summary = l10n.format("alert-firing-summary", &args).unwrap();
            prop_assert!(summary.contains(&alert));
            prop_assert!(summary.contains(&tenant));
            let marks = |s: &str| s.matches(['\u{2068}', '\u{2069}']).count();
            prop_assert_eq!(marks(&summary), marks(&alert) + marks(&tenant));
        }
    }
}

# tenant-kit: English, the reference catalog.
#
# Every other locale has every message and attribute of this file, with the
# same variables; `tenant_i18n::lint` checks it. Variables marked (Instant)
# are points in time that the renderers pass in; they are shown in the
# tenant's time zone by `DATETIME`. Variables marked (Number) are formatted
# with the locale's decimal separator and digit grouping.
#
# Terminology (each translated catalog's header maps these words):
#   alert (firing, resolved), tenant, quota, SLO, error budget, burn rate,
#   runbook, dashboard (and panel, a Grafana panel), seats, binding, limit.
# In translations, a count before a noun goes through a plural select, or the
# text takes a label form ("Controlli superati: 1 su 9"), so that 0, 1 and 2
# all read right.

## Product names. Terms stay the same in every language.

-brand = tenant-kit
-slack = Slack
-grafana = Grafana

## Severities and statuses

severity-critical = Critical
severity-warning = Warning
severity-info = Info

status-firing = Firing
status-resolved = Resolved

## Alerts

# $severity (String) - the localized severity label, e.g. "Critical"
# $alert (String) - the alert name, e.g. HighErrorRate
# $tenant (String) - the tenant's display name
alert-firing-summary = [{ $severity }] { $alert } is firing for { $tenant }
# $since (Instant) - when the alert started firing
alert-firing-description = { $alert } has been firing since { DATETIME($since, dateStyle: "long", timeStyle: "short", timeZoneName: "short") }.
alert-resolved-summary = [{ status-resolved }] { $alert } is resolved for { $tenant }
# $resolved_at (Instant) - when the alert was resolved
# $duration (String) - how long it fired, made from a duration-* message
alert-resolved-description = { $alert } was resolved at { DATETIME($resolved_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } after { $duration }.
# $count (Number) - how many alerts of the tenant are firing
alerts-firing-count =
    { $count ->
        [0] No alerts firing
        [one] { $count } alert firing
       *[other] { $count } alerts firing
    }

## Durations

# $minutes (Number)
duration-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
# $hours (Number)
duration-hours =
    { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
# $days (Number)
duration-days =
    { $days ->
        [one] { $days } day
       *[other] { $days } days
    }

## SLO burn-rate alerts

# $slo (String) - the SLO name
# $burn_rate (Number) - how many times faster than sustainable the budget burns
slo-burn-page-summary = { $slo } is burning its error budget fast ({ NUMBER($burn_rate, maximumFractionDigits: 1) } times the sustainable rate)
# $hours (Number) - hours until the budget is exhausted at this rate
slo-burn-page-description =
    At this rate the error budget of { $slo } for { $tenant } runs out in { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }. Act now.
slo-burn-ticket-summary = { $slo } is burning its error budget slowly ({ NUMBER($burn_rate, maximumFractionDigits: 1) } times the sustainable rate)
slo-burn-ticket-description = The error budget of { $slo } for { $tenant } is being spent faster than planned. Open a ticket and look into it during business hours.
# $ratio (Number) - the share of the budget left, 0.25 for 25 %
# $days (Number) - the length of the SLO window
slo-budget-remaining =
    { NUMBER($ratio, style: "percent", maximumFractionDigits: 1) } of the error budget remains over { $days ->
        [one] the last day
       *[other] the last { $days } days
    }

## Quotas

# $quota (String) - a quota name from a quota-name-* message
# $ratio (Number) - the share of the limit in use, 0.85 for 85 %
# $used, $limit (Number or String) - usage and limit, with their unit
quota-warning = { $tenant } has used { NUMBER($ratio, style: "percent") } of its “{ $quota }” quota ({ $used } of { $limit })
quota-exceeded = { $tenant } has exceeded its “{ $quota }” quota ({ $used } of { $limit }); new requests may be refused
quota-name-api-requests = API requests per second
quota-name-storage = Storage
quota-name-seats = Seats
quota-name-active-series = Active series
quota-name-ingestion-rate = Sample ingestion rate
quota-name-rules-per-group = Rules per group

## Compliance report

compliance-report-title = Compliance report for { $tenant }
# $generated_at (Instant)
compliance-report-generated = Generated on { DATETIME($generated_at, dateStyle: "full", timeStyle: "short", timeZoneName: "short") }
# $passed, $total (Number)
compliance-report-summary = { $passed } of { $total } controls passed
# $failed (Number)
compliance-report-failed =
    { $failed ->
        [0] No control failed.
        [one] One control failed.
       *[other] { $failed } controls failed.
    }
compliance-status-pass = Passed
compliance-status-fail = Failed
compliance-framework-gdpr = GDPR
compliance-framework-soc2 = SOC 2
compliance-remediation-label = How to fix

## Compliance controls: the title is the message value, .finding says what is
## wrong and .remediation how to fix it.

# $region (String) - where the data is stored
# $allowed (String) - the allowed regions, already joined
compliance-data-residency = Data residency in allowed regions
    .finding = Data is stored in { $region }, which is not one of the allowed regions ({ $allowed }).
    .remediation = Move the tenant's data to one of the allowed regions ({ $allowed }) and update its data residency.
# $days, $limit_days (Number)
compliance-retention-limit = Data retention limit
    .finding =
        Data is kept for { $days ->
            [one] { $days } day
           *[other] { $days } days
        }, longer than the limit of { $limit_days ->
            [one] { $limit_days } day
           *[other] { $limit_days } days
        }.
    .remediation =
        Lower the retention period to { $limit_days ->
            [one] { $limit_days } day
           *[other] { $limit_days } days
        } or less.
compliance-dpo-contact = Data protection officer contact for EU tenants
    .finding = The tenant stores data in the EU but names no data protection officer.
    .remediation = Add a contact with the role “dpo” to the tenant document.
compliance-erasure-on-offboarding = Erasure on offboarding
    .finding = Offboarding this tenant would keep its data instead of erasing it.
    .remediation = Turn on data erasure on offboarding.
compliance-audit-logging = Audit logging
    .finding = Audit logging is turned off.
    .remediation = Turn on audit logging for the tenant.
# $role (String) - the role name
compliance-mfa-admin = Multi-factor authentication for admin roles
    .finding = The role { $role } grants administrative permissions without requiring multi-factor authentication.
    .remediation = Require multi-factor authentication in every binding to { $role }.
compliance-encryption-at-rest = Encryption at rest
    .finding = Data at rest is not encrypted.
    .remediation = Turn on encryption at rest in the isolation policy.
# $days, $max_days (Number)
compliance-access-review = Access review within 90 days
    .finding =
        The last access review was { $days ->
            [one] { $days } day
           *[other] { $days } days
        } ago; reviews are due every { $max_days } days.
    .remediation = Review every role binding of the tenant and record the date of the review.
# $binding (String) - the binding name
# $subject (String) - the user, group or service account
compliance-wildcard-admin-binding = No wildcard admin binding without expiry
    .finding = The binding { $binding } gives { $subject } wildcard administrative permissions that never expire.
    .remediation = Narrow the permissions of { $binding } or give it an expiry date.

## Dashboards and panels

dashboard-tenant-overview = { $tenant }: tenant overview
    .description = Traffic, errors, latency, SLOs and quotas of { $tenant }
dashboard-slo = { $tenant }: service level objectives
    .description = Error budgets and burn rates of the SLOs of { $tenant }
panel-request-rate = Request rate
    .description = Requests per second, by status code
panel-error-ratio = Error ratio
    .description = Share of requests that failed
panel-latency-p99 = Latency p99
    .description = Time within which 99% of requests were answered
panel-slo-error-budget = SLO error budget
    .description = Share of the error budget left in the SLO window
panel-quota-usage = Quota usage
    .description = Usage of each quota as a share of its limit
panel-alerts-firing = Alerts firing
    .description = Alerts of this tenant that are firing now
panel-legend-limit = Limit
panel-legend-used = Used

## Slack messages

# $count (Number) - alerts left out of the message
slack-more-alerts =
    { $count ->
        [one] …and { $count } more alert
       *[other] …and { $count } more alerts
    }
slack-button-dashboard = View dashboard
slack-button-runbook = Runbook
slack-button-silence = Silence
slack-field-severity = Severity
slack-field-status = Status
slack-field-tenant = Tenant
slack-field-started = Started
# $sent_at (Instant)
slack-footer = Sent by { -brand } for { $tenant } · { DATETIME($sent_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }
# $ends_at (Instant) - end of the maintenance window
slack-maintenance-active = Maintenance window in progress until { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }: alerts of { $tenant } are muted.
# $starts_at, $ends_at (Instant)
slack-maintenance-planned = Maintenance window planned from { DATETIME($starts_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") } to { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }.
slack-open-in-grafana = Open in { -grafana }
slack-truncated = This message was shortened to fit within { -slack }'s limits.

## Generated Grafana dashboards

dashboard-quotas = { $tenant }: quota use
    .description = Active series and ingestion rate of { $tenant } against its limits
dashboard-links = Dashboards of { $tenant }
dashboard-variable-slo = SLO
panel-slo-current-burn-rate = Current burn rate
    .description = Error ratio of the last 5 minutes divided by the error budget; at 1 the budget lasts exactly the SLO period
panel-slo-error-ratio = Error ratio and error budget
    .description = Share of failed events over 5 minutes, against the share the objective allows
panel-slo-burn-rate = Burn rate by window
    .description = Error ratio over each window divided by the error budget
panel-slo-objective = Objective
    .description = Share of events that must succeed
panel-series-usage = Active series
    .description = Series of this tenant, against its limit
panel-ingestion-rate = Ingestion rate
    .description = Samples per second scraped for this tenant, against its limit
panel-legend-error-budget = Error budget

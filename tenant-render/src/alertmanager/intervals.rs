//! Business hours and maintenance windows as Alertmanager `time_intervals`
//! in the tenant's time zone (`location`, Alertmanager 0.25).
//!
//! A weekly window is one interval (weekdays and a time range). A one-off
//! window (two instants) is cut at the tenant's local midnights: a partial
//! first and last day each get a time range on their date, and the full days
//! between are day-of-month ranges, one per calendar month.

use chrono::{Datelike, NaiveDate, Timelike};
use tenant_model::{OneOffWindow, Tenant, TimeWindow};

use super::config::{TimeInterval, TimeRange};

/// The longest one-off window rendered, in days: a decade.
pub(crate) const MAX_ONE_OFF_DAYS: i64 = 3660;

/// A weekly window.
pub(crate) fn weekly(tenant: &Tenant, window: &TimeWindow) -> TimeInterval {
    let mut days: Vec<_> = window.days.clone();
    days.sort();
    days.dedup();
    TimeInterval {
        times: vec![TimeRange {
            start_time: window.start.as_str().to_owned(),
            end_time: window.end.as_str().to_owned(),
        }],
        weekdays: days
            .iter()
            .map(|d| d.alertmanager_name().to_owned())
            .collect(),
        location: Some(tenant.time_zone.as_str().to_owned()),
        ..TimeInterval::default()
    }
}

/// A one-off window, or `None` when it is longer than [`MAX_ONE_OFF_DAYS`].
pub(crate) fn once(tenant: &Tenant, window: &OneOffWindow) -> Option<Vec<TimeInterval>> {
    let tz = tenant.time_zone.tz();
    let start = window.starts_at.instant().with_timezone(&tz).naive_local();
    let end = window.ends_at.instant().with_timezone(&tz).naive_local();
    if (end.date() - start.date()).num_days() > MAX_ONE_OFF_DAYS {
        return None;
    }
    let location = Some(tenant.time_zone.as_str().to_owned());
    let start_minute = start.hour() * 60 + start.minute();
    // The end is exclusive; a partial minute counts as a whole one.
    let end_minute = end.hour() * 60 + end.minute() + u32::from(end.second() > 0);
    let mut out = Vec::new();
    // Runs of full days within one month: (first, last).
    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    let flush = |run: &mut Option<(NaiveDate, NaiveDate)>, out: &mut Vec<TimeInterval>| {
        if let Some((first, last)) = run.take() {
            let days = if first == last {
                first.day().to_string()
            } else {
                format!("{}:{}", first.day(), last.day())
            };
            out.push(TimeInterval {
                days_of_month: vec![days],
                months: vec![first.month().to_string()],
                years: vec![first.year().to_string()],
                location: location.clone(),
                ..TimeInterval::default()
            });
        }
    };
    let mut day = start.date();
    while day <= end.date() {
        let from = if day == start.date() { start_minute } else { 0 };
        let to = if day == end.date() { end_minute } else { 1440 };
        if from < to {
            if from == 0 && to == 1440 {
                run = match run {
                    Some((first, last))
                        if last.month() == day.month() && last.succ_opt() == Some(day) =>
                    {
                        Some((first, day))
                    }
                    other => {
                        let mut other = other;
                        flush(&mut other, &mut out);
                        Some((day, day))
                    }
                };
            } else {
                flush(&mut run, &mut out);
                out.push(TimeInterval {
                    times: vec![TimeRange {
                        start_time: clock(from),
                        end_time: clock(to),
                    }],
                    days_of_month: vec![day.day().to_string()],
                    months: vec![day.month().to_string()],
                    years: vec![day.year().to_string()],
                    location: location.clone(),
                    ..TimeInterval::default()
                });
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

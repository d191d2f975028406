//! Slack mrkdwn (not written yet: its issue adds it).

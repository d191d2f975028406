//! HTML and Markdown shown by Grafana (not written yet: its issue adds it).

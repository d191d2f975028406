//! Go text/template (Alertmanager templates) (not written yet: its issue adds it).

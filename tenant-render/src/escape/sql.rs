//! PostgreSQL identifiers and literals (not written yet: its issue adds it).

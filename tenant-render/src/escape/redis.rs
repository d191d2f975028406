//! Redis ACL rules and patterns (not written yet: its issue adds it).

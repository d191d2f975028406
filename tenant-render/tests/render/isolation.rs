//! The isolation renderers over the examples and the hostile corpus (filled in by its issue).

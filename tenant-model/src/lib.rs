//! Typed tenant documents.

//! Localized messages for tenant-kit (work in progress).

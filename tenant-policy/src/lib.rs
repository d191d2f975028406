//! Access control for tenant-kit (work in progress).

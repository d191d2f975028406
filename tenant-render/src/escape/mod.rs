//! One escaping module per target language: tenant-controlled text reaches
//! an output only through these.

pub mod promql;
pub mod yaml;

//! One escaping module per target language: tenant-controlled text reaches
//! an output only through these.

pub mod gotmpl;
pub mod html;
pub mod mrkdwn;
pub mod promql;
pub mod redis;
pub mod regex;
pub mod sql;
pub mod yaml;

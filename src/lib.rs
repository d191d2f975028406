#![doc = include_str!("README.md")]

pub use tenant_i18n as i18n;
pub use tenant_model as model;
pub use tenant_policy as policy;
pub use tenant_render as render;

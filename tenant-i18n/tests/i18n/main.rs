//! Integration tests of tenant-i18n: one test binary, one module per area.
//!
//! The modules are marked `#[cfg(test)]` (always true here) so that clippy
//! applies its test allowances (`clippy.toml`) to their helpers too.

#[cfg(test)]
mod catalogs;
#[cfg(test)]
mod dates;
#[cfg(test)]
mod errors;
#[cfg(test)]
mod hostile;
#[cfg(test)]
mod lint;
#[cfg(test)]
mod negotiation;
#[cfg(test)]
mod overrides;
#[cfg(test)]
mod plurals;
#[cfg(test)]
mod pseudo;
#[cfg(test)]
mod review;
#[cfg(test)]
mod support;
#[cfg(test)]
mod verbatim;

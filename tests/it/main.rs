//! The one integration-test binary (Polars links once). Modules by behaviour.

mod accuracy;
mod cli;
mod common;
mod identities;
mod warehouse;

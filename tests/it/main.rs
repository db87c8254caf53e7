//! The one integration-test binary (Polars links once). Modules by behaviour.

mod accuracy;
mod analytics;
mod cli;
mod common;
mod corpus;
mod identities;
mod synth;
mod warehouse;

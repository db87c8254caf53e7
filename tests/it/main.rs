//! The one integration-test binary (Polars links once). Modules by behaviour.

mod accuracy;
mod analytics;
mod brief;
mod charts;
mod cli;
mod common;
mod corpus;
mod desk;
mod flattened;
mod fuzz;
mod fuzzing;
mod identities;
mod layout;
mod legacy;
mod provenance;
mod reliability;
mod spark;
mod synth;
mod warehouse;

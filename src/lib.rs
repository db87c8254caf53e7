//! xxgk — an analytics engine for China's government information disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! ```text
//!  report files ──ingest──▶ Document ──normalize──▶ Report ──validate──▶ Findings
//!  (.txt .md)      (sections, raw cell grids)     (canonical facts,      (identities of
//!                                                  provenance, meta)      format-spec §5)
//!                                   │                                          │
//!                                   └──────pipeline (batches, all cores)──────┘
//!                                                       │ store
//!                                     Parquet warehouse: reports, facts, legacy, findings, sections,
//!                                     stored views (query::derive), rejects — year partitions
//!                                                       │ corpus (after each ingest)
//!                                     versions of one report, cross-year identities, diff
//! ```
//!
//! Data flows forward only: a stage uses `model`, `error` and the output types of earlier
//! stages. `cli` and `pipeline` (the streaming ingest) are the only glue.

/// mimalloc: ingest allocates many small strings per cell on every core; glibc malloc spent
/// about a quarter of extraction time (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod brief;
pub mod chart;
pub mod cli;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod query;
pub mod store;
pub mod synth;
pub mod validate;

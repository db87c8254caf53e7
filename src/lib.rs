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

/// Keeps freed memory for reuse instead of returning it to the OS after mimalloc's 10 ms purge
/// delay. An ingest frees each batch's frames and reuses the same amount for the next one; with
/// purging, every batch took fresh pages that the kernel zeroed on first touch (10.8% of an
/// ingest's CPU samples in `clear_page_erms`, README, Performance). Memory stays bounded by the
/// ingest's own design (three batches at most); the process keeps its high-water mark.
pub fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (`mi_option_e`); the Rust bindings
    /// of libmimalloc-sys 0.1.49 do not name it. -1: never purge.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is thread-safe in mimalloc and takes effect at the next purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing). mimalloc asks
/// the kernel for 2 MiB pages on its arenas; when memory is fragmented, each such page fault
/// may compact memory before it zeroes the page. On a 10⁵-report ingest that was 3.3–6.7 s of
/// system time against 1.4–1.8 s with 4 KiB pages, and the slowest runs 26 s against 19 s
/// (README, Performance). Takes effect at the next page fault, existing mappings included;
/// child processes inherit it.
pub fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and changes only this process's flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

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

//! Integration tests of the real `tact-store` binary over HTTP, on SQLite and on a
//! PostgreSQL cluster the harness starts itself (and stops at the end).

mod common;
#[path = "suites/contract.rs"]
mod contract;
#[path = "suites/convergence.rs"]
mod convergence;
#[path = "suites/crash.rs"]
mod crash;
#[path = "suites/security.rs"]
mod security;

use common::{Backend, Pg};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_contract() {
    contract::run(&Backend::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_security() {
    security::run(&Backend::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_convergence() {
    let backend = Backend::sqlite();
    for seed in [1, 2, 3] {
        convergence::run(&backend, seed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_crash() {
    crash::run(&Backend::sqlite()).await;
}

/// One cluster for every suite (a fresh database each), stopped when the test ends,
/// even when a suite fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_all_suites() {
    let backend = Backend::Postgres(Pg::start(false));
    contract::run(&backend).await;
    security::run(&backend).await;
    for seed in [1, 2, 3] {
        convergence::run(&backend, seed).await;
    }
    crash::run(&backend).await;
}

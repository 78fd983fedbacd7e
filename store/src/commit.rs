//! Group commit: push handlers hand their batch to one writer task, which applies every
//! batch queued meanwhile in one transaction and answers each caller only after that
//! transaction has committed. One durable commit (one fsync) then covers many pushes,
//! which is what bounds push throughput on both databases.
//!
//! A group is all or nothing like a single push: if any push in it fails (a client error
//! such as too many tags, or a database error), the group is rolled back and its pushes
//! are applied again one transaction each, so one bad push never fails its neighbours.
//! Replaying is safe because the store skips mutation ids it already applied.

use crate::db::Db;
use crate::error::ApiError;
use crate::registers::{apply_pushes, Push};
use crate::tokens::Caller;
use axum::http::StatusCode;
use tact::sync::{ClientId, Mutation};
use tokio::sync::{mpsc, oneshot};

/// Most mutations applied in one transaction: big enough to amortise the commit, small
/// enough that a group holds the write lock for tens of milliseconds, not seconds.
const MAX_GROUP_MUTATIONS: usize = 5_000;

/// Pushes waiting for the writer before new ones wait in their handlers.
const QUEUE: usize = 256;

struct Job {
    push: Push,
    reply: oneshot::Sender<Result<u64, ApiError>>,
}

/// The handle push handlers use; the writer task stops when every handle is dropped.
pub struct Pushes {
    queue: mpsc::Sender<Job>,
}

impl Pushes {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: Db) -> Pushes {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(writer(db, jobs));
        Pushes { queue }
    }

    /// Applies a validated push durably; returns the client's last applied mutation id.
    pub async fn push(
        &self,
        caller: Caller,
        client: ClientId,
        mutations: Vec<Mutation>,
    ) -> Result<u64, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            push: Push {
                caller,
                client,
                mutations,
            },
            reply,
        };
        self.queue.send(job).await.map_err(|_| writer_gone())?;
        answer.await.map_err(|_| writer_gone())?
    }
}

fn writer_gone() -> ApiError {
    eprintln!("tact-store: the push writer task stopped");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the store is shutting down or restarting: retry in a moment",
    )
}

async fn writer(db: Db, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.recv().await {
        // Take whatever queued up while the previous group was committing; never wait
        // for more, so a lone push is not delayed.
        let mut size = first.push.mutations.len();
        let mut group = vec![first];
        while size < MAX_GROUP_MUTATIONS {
            match jobs.try_recv() {
                Ok(job) => {
                    size += job.push.mutations.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        apply_group(&db, group).await;
    }
}

async fn apply_group(db: &Db, group: Vec<Job>) {
    let (pushes, replies): (Vec<Push>, Vec<_>) =
        group.into_iter().map(|job| (job.push, job.reply)).unzip();
    let _turn = db.write_turn().await;
    if pushes.len() > 1 {
        if let Ok(lasts) = in_one_transaction(db, &pushes).await {
            for (reply, last) in replies.into_iter().zip(lasts) {
                // A caller that went away still had its push applied; nothing to tell.
                let _ = reply.send(Ok(last));
            }
            return;
        }
    }
    for (push, reply) in pushes.iter().zip(replies) {
        let result = in_one_transaction(db, std::slice::from_ref(push))
            .await
            .map(|lasts| lasts.first().copied().unwrap_or(0));
        let _ = reply.send(result);
    }
}

/// Applies the pushes in order in one transaction and commits; an error rolls back the
/// whole transaction (on drop) and is returned.
async fn in_one_transaction(db: &Db, pushes: &[Push]) -> Result<Vec<u64>, ApiError> {
    let mut tx = db.pool.begin().await?;
    let lasts = apply_pushes(&mut tx, pushes).await?;
    tx.commit().await?;
    Ok(lasts)
}

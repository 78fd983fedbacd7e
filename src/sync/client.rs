//! The extension's side of sync as a pure state machine. The background worker does the
//! I/O (fetch, timers, `chrome.storage`) and reports each answer here; this module decides
//! what to send next and when, so the rules are unit-tested natively and shared by wasm.
//!
//! The whole machine serialises to JSON: the worker saves it after every change, so the
//! outgoing queue, the pull cursor, the backoff and the config ETag survive restarts and
//! crashes. No clock and no randomness are read here: callers pass `now_ms` and a jitter
//! draw in `[0, 1)`.

use super::ids::{ClientId, ItemId};
use super::ops::{Change, Mutation};
use super::replica::{ItemView, Replica};
use super::wire::{
    ConfigDocument, PullResponse, PushRequest, PushResponse, TeamConfig, MAX_MUTATIONS_PER_PUSH,
};
use serde::{Deserialize, Serialize};

/// First retry delay after a failure; doubles with each further failure.
pub const BASE_DELAY_MS: u64 = 1_000;
/// Longest wait between retries, so a store back from an outage is found within minutes.
pub const MAX_DELAY_MS: u64 = 5 * 60 * 1_000;
/// Mutations per push when nothing says otherwise.
pub const PUSH_BATCH: usize = 100;

/// How a request to the store failed, as the worker saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer (offline, DNS, connection reset) or a 5xx.
    Unreachable(String),
    /// 429: the store said when to come back (`Retry-After`, seconds).
    RateLimited { retry_after_s: u64 },
    /// 413: the batch is too big for the store; it is halved for the next try.
    TooLarge,
    /// 401 or 403: the token is wrong or revoked; nothing is retried until the settings
    /// change (see [`SyncClient::set_credentials_changed`]).
    Unauthorized(String),
    /// Any other 4xx: the store refused the request; retried with backoff (the queue is
    /// never dropped silently) and the message is shown.
    Refused(String),
}

impl Failure {
    /// Classifies an HTTP answer: `None` for a 2xx. `status` 0 means no answer at all
    /// (fetch threw; `body` then holds its message). The store's error bodies are
    /// `{"error": {"message": …}}`; anything else is shown as sent, cut short.
    pub fn from_http(status: u16, body: &str, retry_after_s: Option<u64>) -> Option<Failure> {
        let message = || {
            serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| body.chars().take(200).collect())
        };
        Some(match status {
            200..=299 => return None,
            0 => Failure::Unreachable(message()),
            429 => Failure::RateLimited {
                retry_after_s: retry_after_s.unwrap_or(0),
            },
            413 => Failure::TooLarge,
            401 | 403 => Failure::Unauthorized(message()),
            400..=499 => Failure::Refused(format!("{status} {}", message())),
            _ => Failure::Unreachable(format!("{status} {}", message())),
        })
    }

    fn message(&self) -> String {
        match self {
            Failure::Unreachable(m) => format!("store unreachable: {m}"),
            Failure::RateLimited { retry_after_s } => {
                format!("rate limited by the store: retrying in {retry_after_s} s")
            }
            Failure::TooLarge => "push too large for the store: sending smaller batches".into(),
            Failure::Unauthorized(m) => format!("token refused: {m} (check the options page)"),
            Failure::Refused(m) => format!("the store refused the request: {m}"),
        }
    }
}

/// An HTTP answer as the worker's `fetch` got it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct HttpAnswer {
    /// 0 when there was no answer (fetch threw; `body` holds its message).
    pub status: u16,
    #[serde(default)]
    pub body: String,
    /// The `Retry-After` header in seconds, when sent.
    #[serde(default)]
    pub retry_after_s: Option<u64>,
}

impl HttpAnswer {
    /// The body as `T` for a 2xx, or the failure to report.
    fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Failure> {
        if let Some(failure) = Failure::from_http(self.status, &self.body, self.retry_after_s) {
            return Err(failure);
        }
        serde_json::from_str(&self.body)
            .map_err(|e| Failure::Refused(format!("the store's answer is not understood: {e}")))
    }
}

/// What a pull brought: see [`SyncClient::pull_answered`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pulled {
    pub more: bool,
    pub items: Vec<ItemView>,
}

/// Exponential backoff with jitter: after `n` failures in a row the next attempt waits
/// between half and all of `min(BASE · 2^(n-1), MAX)`, so many clients failing together
/// (a store restart) do not come back together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    failures: u32,
    next_at_ms: u64,
}

impl Backoff {
    /// Delay before the next attempt after `failures` failures, `jitter` in `[0, 1)`.
    pub fn delay_ms(failures: u32, jitter: f64) -> u64 {
        if failures == 0 {
            return 0;
        }
        let ceiling = BASE_DELAY_MS
            .saturating_mul(1u64 << (failures - 1).min(20))
            .min(MAX_DELAY_MS);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        ceiling / 2 + ((ceiling / 2) as f64 * jitter) as u64
    }

    fn fail(&mut self, now_ms: u64, jitter: f64, at_least_ms: u64) {
        self.failures = self.failures.saturating_add(1);
        let delay = Backoff::delay_ms(self.failures, jitter).max(at_least_ms);
        self.next_at_ms = now_ms.saturating_add(delay);
    }

    fn succeed(&mut self) {
        *self = Backoff::default();
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Earliest time of the next attempt (0 when there is no failure to wait out).
    pub fn next_at_ms(&self) -> u64 {
        self.next_at_ms
    }
}

/// What the inbox page shows about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Last time a push or pull succeeded.
    pub last_sync_ms: Option<u64>,
    /// Local changes not yet acknowledged by the store.
    pub pending: usize,
    /// The last failure, cleared by the next success.
    pub error: Option<String>,
    /// When the next push will be tried, if one is waiting.
    pub next_push_ms: Option<u64>,
}

/// The extension's sync state: replica (queue, cursor, items), backoffs, team config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncClient {
    replica: Replica,
    push_backoff: Backoff,
    pull_backoff: Backoff,
    /// Mutations per push; halved on 413, back to [`PUSH_BATCH`] after a success.
    batch: usize,
    /// The team config last fetched, its version being the ETag.
    config: Option<ConfigDocument>,
    last_sync_ms: Option<u64>,
    error: Option<String>,
    /// Set by a 401/403: no request until the credentials change.
    paused: bool,
}

impl SyncClient {
    pub fn new(client: ClientId) -> SyncClient {
        SyncClient {
            replica: Replica::new(client),
            push_backoff: Backoff::default(),
            pull_backoff: Backoff::default(),
            batch: PUSH_BATCH,
            config: None,
            last_sync_ms: None,
            error: None,
            paused: false,
        }
    }

    /// Records a local change: applied at once and queued for the store.
    pub fn record(&mut self, item: ItemId, change: Change, now_ms: u64) -> &Mutation {
        self.replica.mutate(item, change, now_ms)
    }

    /// The push to send now, if one is due: queue not empty, not paused, backoff over.
    pub fn push_due(&self, now_ms: u64) -> Option<PushRequest> {
        let due = !self.paused
            && !self.replica.pending().is_empty()
            && now_ms >= self.push_backoff.next_at_ms;
        due.then(|| self.replica.push_request(self.batch))
    }

    /// The store applied the push up to `answer.last_mutation_id`.
    pub fn push_succeeded(&mut self, answer: &PushResponse, now_ms: u64) {
        self.replica.acknowledge(answer.last_mutation_id);
        self.push_backoff.succeed();
        self.batch = PUSH_BATCH;
        self.synced(now_ms);
    }

    pub fn push_failed(&mut self, failure: Failure, now_ms: u64, jitter: f64) {
        fail(&mut self.push_backoff, &failure, now_ms, jitter);
        if failure == Failure::TooLarge {
            self.batch = (self.batch / 2).max(1);
        }
        self.failed(failure);
    }

    /// The cursor for the next pull, if a pull is allowed now (the worker decides the
    /// interval and the on-focus pulls; this only holds it back after failures).
    pub fn pull_due(&self, now_ms: u64) -> Option<u64> {
        (!self.paused && now_ms >= self.pull_backoff.next_at_ms).then(|| self.replica.cursor())
    }

    /// Merges a pull page; returns whether the store has more (pull again at once).
    pub fn pull_succeeded(&mut self, page: PullResponse, now_ms: u64) -> bool {
        let more = page.more;
        self.replica.apply_pull(page);
        self.pull_backoff.succeed();
        self.synced(now_ms);
        more
    }

    pub fn pull_failed(&mut self, failure: Failure, now_ms: u64, jitter: f64) {
        fail(&mut self.pull_backoff, &failure, now_ms, jitter);
        self.failed(failure);
    }

    /// The HTTP answer to the push from [`SyncClient::push_due`] (`status` 0: no answer,
    /// `body` the fetch error). A body that is not a push answer counts as a refusal, so
    /// the queue stays and is pushed again.
    pub fn push_answered(&mut self, answer: &HttpAnswer, now_ms: u64, jitter: f64) {
        match answer.decode::<PushResponse>() {
            Ok(ack) => self.push_succeeded(&ack, now_ms),
            Err(failure) => self.push_failed(failure, now_ms, jitter),
        }
    }

    /// The HTTP answer to a pull: whether to pull again at once, and the items the page
    /// touched as they now stand (merged), for the inbox to take.
    pub fn pull_answered(&mut self, answer: &HttpAnswer, now_ms: u64, jitter: f64) -> Pulled {
        let page = match answer.decode::<PullResponse>() {
            Ok(page) => page,
            Err(failure) => {
                self.pull_failed(failure, now_ms, jitter);
                return Pulled::default();
            }
        };
        let mut ids: Vec<ItemId> = page.changes.iter().map(|w| w.item.clone()).collect();
        ids.sort();
        ids.dedup();
        let more = self.pull_succeeded(page, now_ms);
        let state = self.replica.state();
        Pulled {
            more,
            items: ids.iter().filter_map(|id| state.item(id)).collect(),
        }
    }

    /// The HTTP answer to `GET /v1/config` sent with [`SyncClient::config_if_none_match`]:
    /// the team config when it changed (304 and the same version: `None`). Failures count
    /// against the pull backoff (same store, same outage).
    pub fn config_answered(
        &mut self,
        answer: &HttpAnswer,
        now_ms: u64,
        jitter: f64,
    ) -> Option<TeamConfig> {
        if answer.status == 304 {
            return None;
        }
        match answer.decode::<ConfigDocument>() {
            Ok(document) => {
                let config = document.config.clone();
                self.config_received(document).then_some(config)
            }
            Err(failure) => {
                self.pull_failed(failure, now_ms, jitter);
                None
            }
        }
    }

    /// `If-None-Match` for `GET /v1/config`: the ETag of the config held.
    pub fn config_if_none_match(&self) -> Option<String> {
        self.config.as_ref().map(|c| etag(c.version))
    }

    /// `If-Match` for an admin's `PUT /v1/config`: the version the edit started from. A
    /// 412 answer means someone else saved first: fetch again and redo the edit on top.
    pub fn config_if_match(&self) -> Option<String> {
        self.config_if_none_match()
    }

    /// A 200 from `GET` or `PUT /v1/config`; returns whether the config changed (the
    /// worker then applies charter, templates and tags). A 304 needs no call.
    pub fn config_received(&mut self, document: ConfigDocument) -> bool {
        let changed = self.config.as_ref() != Some(&document);
        self.config = Some(document);
        changed
    }

    pub fn config(&self) -> Option<&ConfigDocument> {
        self.config.as_ref()
    }

    /// New store URL or token: failures are forgotten and requests resume at once.
    pub fn set_credentials_changed(&mut self) {
        self.paused = false;
        self.push_backoff.succeed();
        self.pull_backoff.succeed();
        self.error = None;
    }

    pub fn status(&self) -> SyncStatus {
        let pending = self.replica.pending().len();
        SyncStatus {
            last_sync_ms: self.last_sync_ms,
            pending,
            error: self.error.clone(),
            next_push_ms: (pending > 0 && !self.paused).then_some(self.push_backoff.next_at_ms),
        }
    }

    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    fn synced(&mut self, now_ms: u64) {
        self.last_sync_ms = Some(now_ms);
        self.error = None;
    }

    fn failed(&mut self, failure: Failure) {
        if matches!(failure, Failure::Unauthorized(_)) {
            self.paused = true;
        }
        self.error = Some(failure.message());
    }
}

/// The ETag the store gives a config version.
fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

fn fail(backoff: &mut Backoff, failure: &Failure, now_ms: u64, jitter: f64) {
    let at_least_ms = match failure {
        Failure::RateLimited { retry_after_s } => retry_after_s.saturating_mul(1_000),
        _ => 0,
    };
    backoff.fail(now_ms, jitter, at_least_ms);
}

/// Compile-time check that a batch never exceeds what the store accepts.
const _: () = assert!(PUSH_BATCH <= MAX_MUTATIONS_PER_PUSH);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::ops::Status;
    use crate::sync::wire::TeamConfig;

    fn client() -> SyncClient {
        SyncClient::new(ClientId::try_from("laptop".to_string()).unwrap())
    }

    fn note(c: &mut SyncClient, n: u64, now: u64) {
        let item = ItemId::try_from(format!("x:{n}")).unwrap();
        c.record(
            item,
            Change::Note {
                note: format!("n{n}"),
            },
            now,
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_cap() {
        assert_eq!(Backoff::delay_ms(0, 0.5), 0);
        assert_eq!(Backoff::delay_ms(1, 0.0), 500);
        assert_eq!(Backoff::delay_ms(1, 0.999), 999);
        assert_eq!(Backoff::delay_ms(3, 0.0), 2_000);
        assert_eq!(Backoff::delay_ms(3, 0.5), 3_000);
        assert_eq!(Backoff::delay_ms(40, 0.999), 299_850, "capped at 5 min");
        assert_eq!(Backoff::delay_ms(40, f64::NAN), MAX_DELAY_MS / 2);
    }

    #[test]
    fn a_failed_push_waits_then_retries_the_same_mutations() {
        let mut c = client();
        assert!(c.push_due(0).is_none(), "nothing queued, nothing to push");
        note(&mut c, 1, 1_000);
        note(&mut c, 2, 1_000);
        let first = c.push_due(1_000).unwrap();
        c.push_failed(Failure::Unreachable("offline".into()), 1_000, 0.0);
        assert!(c.push_due(1_499).is_none());
        assert_eq!(c.push_due(1_500), Some(first));
        c.push_failed(Failure::Unreachable("offline".into()), 1_500, 0.0);
        assert_eq!(c.status().next_push_ms, Some(2_500));
        assert!(c.status().error.unwrap().contains("offline"));
        c.push_succeeded(
            &PushResponse {
                last_mutation_id: 1,
            },
            2_600,
        );
        let status = c.status();
        assert_eq!(
            (status.pending, status.last_sync_ms, status.error),
            (1, Some(2_600), None)
        );
        assert_eq!(
            c.push_due(2_600).unwrap().mutations[0].id,
            2,
            "no backoff after success"
        );
    }

    #[test]
    fn retry_after_and_too_large_shape_the_next_push() {
        let mut c = client();
        for n in 0..300 {
            note(&mut c, n, 10);
        }
        assert_eq!(c.push_due(10).unwrap().mutations.len(), PUSH_BATCH);
        c.push_failed(Failure::TooLarge, 10, 0.0);
        assert_eq!(c.push_due(510).unwrap().mutations.len(), PUSH_BATCH / 2);
        c.push_failed(Failure::RateLimited { retry_after_s: 30 }, 510, 0.0);
        assert!(c.push_due(30_509).is_none(), "Retry-After is honoured");
        assert!(c.push_due(30_510).is_some());
    }

    #[test]
    fn a_refused_token_pauses_everything_until_the_settings_change() {
        let mut c = client();
        note(&mut c, 1, 0);
        c.pull_failed(Failure::Unauthorized("revoked".into()), 0, 0.0);
        assert!(c.push_due(u64::MAX).is_none());
        assert!(c.pull_due(u64::MAX).is_none());
        assert_eq!(c.status().next_push_ms, None);
        c.set_credentials_changed();
        assert!(c.push_due(0).is_some());
        assert_eq!(c.pull_due(0), Some(0));
    }

    #[test]
    fn pulls_advance_the_cursor_and_say_when_to_continue() {
        let mut c = client();
        let mut other = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
        let item = ItemId::try_from("x:7".to_string()).unwrap();
        let mutation = other
            .mutate(
                item.clone(),
                Change::Status {
                    status: Status::Done,
                },
                50,
            )
            .clone();
        let write = mutation.write(other.client());
        let page = PullResponse {
            cursor: 42,
            more: true,
            changes: vec![write],
        };
        assert!(c.pull_succeeded(page, 60));
        assert_eq!(c.pull_due(60), Some(42));
        assert_eq!(
            c.replica().state().item(&item).unwrap().status,
            Status::Done
        );
        c.pull_failed(Failure::Unreachable("reset".into()), 70, 0.0);
        assert_eq!(c.pull_due(70), None);
        assert_eq!(c.pull_due(570), Some(42));
    }

    #[test]
    fn config_etags_follow_the_version_held() {
        let mut c = client();
        assert_eq!(c.config_if_none_match(), None);
        let document = ConfigDocument {
            version: 3,
            updated_at: 0,
            config: TeamConfig {
                charter: "charter".into(),
                templates: String::new(),
                tags: Vec::new(),
            },
        };
        assert!(c.config_received(document.clone()));
        assert!(
            !c.config_received(document),
            "the same version is no change"
        );
        assert_eq!(c.config_if_none_match().as_deref(), Some("\"3\""));
        assert_eq!(c.config_if_match().as_deref(), Some("\"3\""));
    }

    #[test]
    fn the_whole_machine_survives_a_json_round_trip() {
        let mut c = client();
        note(&mut c, 1, 5);
        note(&mut c, 2, 5);
        c.push_failed(Failure::TooLarge, 5, 0.25);
        let saved = serde_json::to_string(&c).unwrap();
        let restored: SyncClient = serde_json::from_str(&saved).unwrap();
        assert_eq!(restored, c);
        assert_eq!(restored.status().pending, 2);
        assert_eq!(restored.push_due(u64::MAX).unwrap().mutations.len(), 2);
    }

    #[test]
    fn http_answers_are_classified_with_the_store_message() {
        assert_eq!(Failure::from_http(200, "", None), None);
        assert_eq!(
            Failure::from_http(0, "Failed to fetch", None),
            Some(Failure::Unreachable("Failed to fetch".into()))
        );
        assert_eq!(
            Failure::from_http(429, "", Some(7)),
            Some(Failure::RateLimited { retry_after_s: 7 })
        );
        assert_eq!(Failure::from_http(413, "", None), Some(Failure::TooLarge));
        assert_eq!(
            Failure::from_http(
                401,
                r#"{"error":{"code":"unauthorized","message":"revoked"}}"#,
                None
            ),
            Some(Failure::Unauthorized("revoked".into()))
        );
        assert_eq!(
            Failure::from_http(422, "nope", None),
            Some(Failure::Refused("422 nope".into()))
        );
        assert!(matches!(
            Failure::from_http(503, "down", None),
            Some(Failure::Unreachable(m)) if m == "503 down"
        ));
    }

    #[test]
    fn answers_drive_the_queue_the_cursor_and_the_config() {
        let mut c = client();
        note(&mut c, 1, 0);
        let offline = HttpAnswer {
            status: 0,
            body: "Failed to fetch".into(),
            retry_after_s: None,
        };
        c.push_answered(&offline, 0, 0.0);
        assert_eq!(c.status().pending, 1, "a failed fetch keeps the queue");
        let garbled = HttpAnswer {
            status: 200,
            body: "<html>".into(),
            retry_after_s: None,
        };
        c.push_answered(&garbled, 600, 0.0);
        assert_eq!(c.status().pending, 1);
        assert!(c.status().error.unwrap().contains("not understood"));
        let ack = HttpAnswer {
            status: 200,
            body: r#"{"last_mutation_id":1}"#.into(),
            retry_after_s: None,
        };
        c.push_answered(&ack, 5_000, 0.0);
        assert_eq!((c.status().pending, c.status().error), (0, None));

        let mut other = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
        let item = ItemId::try_from("x:9".to_string()).unwrap();
        let mutation = other
            .mutate(item, Change::Note { note: "hi".into() }, 1)
            .clone();
        let write = mutation.write(other.client());
        let page = PullResponse {
            cursor: 3,
            more: false,
            changes: vec![write.clone(), write],
        };
        let pulled = c.pull_answered(
            &HttpAnswer {
                status: 200,
                body: serde_json::to_string(&page).unwrap(),
                retry_after_s: None,
            },
            6_000,
            0.0,
        );
        assert!(!pulled.more);
        assert_eq!(pulled.items.len(), 1, "one entry per item touched");
        assert_eq!(pulled.items[0].note, "hi");
        assert_eq!(c.pull_due(6_000), Some(3));

        let document =
            r#"{"version":2,"updated_at":1,"config":{"charter":"c","templates":"","tags":[]}}"#;
        let fresh = HttpAnswer {
            status: 200,
            body: document.into(),
            retry_after_s: None,
        };
        assert_eq!(c.config_answered(&fresh, 7_000, 0.0).unwrap().charter, "c");
        assert_eq!(c.config_answered(&fresh, 7_000, 0.0), None);
        let not_modified = HttpAnswer {
            status: 304,
            ..HttpAnswer::default()
        };
        assert_eq!(c.config_answered(&not_modified, 7_000, 0.0), None);
        assert_eq!(c.status().error, None);
    }
}

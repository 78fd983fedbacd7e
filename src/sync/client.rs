//! The extension's side of sync as a pure state machine. The background worker does the
//! I/O (fetch, timers, `chrome.storage`) and reports each answer here; this module decides
//! what to send next and when, so the rules are unit-tested natively and shared by wasm.
//!
//! The whole machine serialises to JSON: the worker saves it after every change, so the
//! outgoing queue, the pull cursor, the backoff and the config ETag survive restarts and
//! crashes. No clock and no randomness are read here: callers pass `now_ms` and a jitter
//! draw in `[0, 1)`.

use super::admin::{may_edit, removed_tags, ConfigDraft, ConfigEdit, DraftState, Refusal};
use super::audit::{EventQueue, EVENTS_BATCH};
use super::ids::{ClientId, ItemId, TagId};
use super::ops::{Change, Mutation};
use super::replica::{ItemView, Replica};
use super::wire::{
    ConfigDocument, Event, EventsResponse, Me, PullResponse, PushRequest, PushResponse, Role,
    TeamConfig, MAX_EVENTS_PER_REQUEST, MAX_MUTATIONS_PER_PUSH,
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

/// What the inbox and options pages show about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// Last time a request to the store succeeded.
    pub last_sync_ms: Option<u64>,
    /// Local changes not yet acknowledged by the store.
    pub pending: usize,
    /// Audit events not yet acknowledged by the store.
    pub pending_events: usize,
    /// The last failure, cleared by the next success.
    pub error: Option<String>,
    /// When the next push (of changes, events or a configuration edit) will be tried, if
    /// one is waiting.
    pub next_push_ms: Option<u64>,
    /// Who the token is, once the store said.
    pub me: Option<Me>,
    /// Whether the options page may edit the team configuration (an admin's token, with
    /// the configuration fetched); otherwise it is shown read-only.
    pub can_edit_config: bool,
    /// The version of the team configuration held.
    pub config_version: Option<u64>,
    /// The admin's edit not yet taken by the store, if any.
    pub config_edit: Option<ConfigEditStatus>,
}

/// An admin's kept edit as the options page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigEditStatus {
    /// `pending` (to send), `conflict` (another admin saved first) or `refused`.
    pub state: &'static str,
    /// Why the store refused it.
    pub message: Option<String>,
    /// `charter`, `templates`, `tags`: what the edit changes.
    pub changed: Vec<&'static str>,
    /// The version the edit started from.
    pub base_version: u64,
    /// The configuration the admin wants (shown so it can be copied after a conflict).
    pub kept: TeamConfig,
}

/// The requests the worker makes, in the order it makes them each round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    Push,
    Events,
    Me,
    ConfigPut,
    Config,
    Pull,
}

impl Exchange {
    pub fn parse(name: &str) -> Option<Exchange> {
        Some(match name {
            "push" => Exchange::Push,
            "events" => Exchange::Events,
            "me" => Exchange::Me,
            "config_put" => Exchange::ConfigPut,
            "config" => Exchange::Config,
            "pull" => Exchange::Pull,
            _ => return None,
        })
    }
}

/// One request for the worker to send as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: &'static str,
    /// Path and query, relative to the store's address.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_match: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_none_match: Option<String>,
}

impl HttpRequest {
    fn get(path: String) -> HttpRequest {
        HttpRequest {
            method: "GET",
            path,
            body: None,
            if_match: None,
            if_none_match: None,
        }
    }

    fn with_body(method: &'static str, path: &str, body: &impl Serialize) -> HttpRequest {
        HttpRequest {
            // The wire types always serialise (no maps with non-string keys).
            body: Some(serde_json::to_string(body).unwrap_or_default()),
            method,
            ..HttpRequest::get(path.to_string())
        }
    }
}

/// A new team configuration for the worker to apply (charter and templates into the
/// settings, tags into the inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigChange {
    pub config: TeamConfig,
    /// Tags the inbox had from the team and the team no longer has.
    pub removed_tags: Vec<TagId>,
}

/// What an answer brought, for the worker to act on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answered {
    /// Send the same kind of request again at once (more to push or to pull).
    pub again: bool,
    pub config: Option<ConfigChange>,
    /// The items a pull touched, as they now stand (merged), for the inbox to take.
    pub items: Vec<ItemView>,
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
    /// Who the token is (`GET /v1/me`), asked again after the credentials change.
    #[serde(default)]
    me: Option<Me>,
    /// An admin's configuration edit the store has not taken yet.
    #[serde(default)]
    draft: Option<ConfigDraft>,
    #[serde(default)]
    draft_backoff: Backoff,
    #[serde(default)]
    events: EventQueue,
    #[serde(default)]
    events_backoff: Backoff,
    /// Set by a 412: the store holds a newer configuration, fetched at once.
    #[serde(default)]
    config_stale: bool,
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
            me: None,
            draft: None,
            draft_backoff: Backoff::default(),
            events: EventQueue::default(),
            events_backoff: Backoff::default(),
            config_stale: false,
        }
    }

    /// Queues an audit event for the store (see [`super::audit::from_page`]).
    pub fn record_event(&mut self, event: Event) {
        self.events.push(event);
    }

    /// The request of kind `exchange` to send now, if one is due. `pulling`: this round
    /// also brings the team's changes (interval, focus), not only sends local ones.
    pub fn request(&self, exchange: Exchange, now_ms: u64, pulling: bool) -> Option<HttpRequest> {
        if self.paused {
            return None;
        }
        let reading = now_ms >= self.pull_backoff.next_at_ms;
        match exchange {
            Exchange::Push => self
                .push_due(now_ms)
                .map(|push| HttpRequest::with_body("POST", "/v1/push", &push)),
            Exchange::Events => {
                (!self.events.is_empty() && now_ms >= self.events_backoff.next_at_ms).then(|| {
                    let batch = self.events.request(self.replica.client(), EVENTS_BATCH);
                    HttpRequest::with_body("POST", "/v1/events", &batch)
                })
            }
            Exchange::Me => {
                (self.me.is_none() && reading).then(|| HttpRequest::get("/v1/me".into()))
            }
            Exchange::ConfigPut => {
                let draft = self.draft.as_ref()?;
                let due = draft.state == DraftState::Pending
                    && self.role() == Some(Role::Admin)
                    && now_ms >= self.draft_backoff.next_at_ms;
                due.then(|| HttpRequest {
                    if_match: Some(etag(draft.base.version)),
                    ..HttpRequest::with_body("PUT", "/v1/config", &draft.mine)
                })
            }
            Exchange::Config => ((pulling || self.config_stale) && reading).then(|| HttpRequest {
                if_none_match: self.config_if_none_match(),
                ..HttpRequest::get("/v1/config".into())
            }),
            Exchange::Pull => self
                .pull_due(now_ms)
                .filter(|_| pulling)
                .map(|cursor| HttpRequest::get(format!("/v1/pull?cursor={cursor}"))),
        }
    }

    /// The HTTP answer to the request of kind `exchange` (`status` 0: no answer, `body`
    /// the fetch error): what it changes, and whether to send the next one at once.
    pub fn answered(
        &mut self,
        exchange: Exchange,
        answer: &HttpAnswer,
        now_ms: u64,
        jitter: f64,
    ) -> Answered {
        match exchange {
            Exchange::Push => {
                let before = self.replica.pending().len();
                self.push_answered(answer, now_ms, jitter);
                let left = self.replica.pending().len();
                Answered {
                    again: left > 0 && left < before,
                    ..Answered::default()
                }
            }
            Exchange::Events => Answered {
                again: self.events_answered(answer, now_ms, jitter),
                ..Answered::default()
            },
            Exchange::Me => {
                match answer.decode::<Me>() {
                    Ok(me) => {
                        self.me = Some(me);
                        self.synced(now_ms);
                    }
                    // A store older than `/v1/me`: the role stays unknown (the team
                    // configuration read-only here) and pulls go on.
                    Err(_) if answer.status == 404 => {}
                    Err(failure) => self.pull_failed(failure, now_ms, jitter),
                }
                Answered::default()
            }
            Exchange::ConfigPut => Answered {
                config: self.config_put_answered(answer, now_ms, jitter),
                ..Answered::default()
            },
            Exchange::Config => Answered {
                config: self.config_answered(answer, now_ms, jitter),
                ..Answered::default()
            },
            Exchange::Pull => {
                let pulled = self.pull_answered(answer, now_ms, jitter);
                Answered {
                    again: pulled.more,
                    items: pulled.items,
                    ..Answered::default()
                }
            }
        }
    }

    fn role(&self) -> Option<Role> {
        self.me.as_ref().map(|me| me.role)
    }

    /// Whether the team configuration may be edited here: an admin's token, with the
    /// configuration fetched (an edit starts from a known version).
    pub fn may_edit_config(&self) -> Result<(), Refusal> {
        may_edit(self.role())?;
        self.config.as_ref().map(|_| ()).ok_or(Refusal::Unknown)
    }

    /// An admin's edit of the team configuration, kept until the store takes it. Returns
    /// the configuration to apply again when the edit was discarded. An edit made from
    /// an older version than the one held (another admin saved meanwhile) is kept as a
    /// conflict at once rather than sent over their work.
    pub fn edit_config(&mut self, edit: ConfigEdit) -> Result<Option<ConfigChange>, Refusal> {
        self.may_edit_config()?;
        let current = self.config.clone().ok_or(Refusal::Unknown)?;
        match edit {
            ConfigEdit::Discard => {
                let draft = self.draft.take().ok_or(Refusal::NothingKept)?;
                return Ok(Some(ConfigChange {
                    removed_tags: removed_tags(&draft.mine, &current.config),
                    config: current.config,
                }));
            }
            ConfigEdit::Reapply => self
                .draft
                .as_mut()
                .ok_or(Refusal::NothingKept)?
                .rebase(&current),
            edit => {
                let stale = matches!(edit, ConfigEdit::Texts { base_version: Some(v), .. } if v != current.version);
                let draft = self.draft.get_or_insert_with(|| ConfigDraft {
                    base: current.clone(),
                    mine: current.config.clone(),
                    state: DraftState::Pending,
                });
                draft.apply(edit);
                if stale {
                    draft.state = DraftState::Conflict;
                }
            }
        }
        if self.draft.as_ref().is_some_and(ConfigDraft::is_empty) {
            self.draft = None;
        }
        self.draft_backoff.succeed();
        Ok(None)
    }

    fn events_answered(&mut self, answer: &HttpAnswer, now_ms: u64, jitter: f64) -> bool {
        let before = self.events.len();
        let acknowledged = answer.decode::<EventsResponse>().and_then(|ack| {
            self.events.acknowledge(ack.last_event_id.unwrap_or(0));
            if self.events.len() < before {
                Ok(())
            } else {
                Err(Failure::Refused(
                    "the store did not acknowledge the audit events".into(),
                ))
            }
        });
        match acknowledged {
            Ok(()) => {
                self.events_backoff.succeed();
                self.synced(now_ms);
                !self.events.is_empty()
            }
            Err(failure) => {
                fail(&mut self.events_backoff, &failure, now_ms, jitter);
                self.failed(failure);
                false
            }
        }
    }

    /// The answer to the admin's `PUT /v1/config`. The edit is only dropped once the
    /// store took it: a 412 keeps it as a conflict (and fetches the newer configuration),
    /// a refusal keeps it with the store's reason, an outage retries it with backoff.
    fn config_put_answered(
        &mut self,
        answer: &HttpAnswer,
        now_ms: u64,
        jitter: f64,
    ) -> Option<ConfigChange> {
        let refused = |message: String| DraftState::Refused { message };
        let state = match (answer.status, answer.decode::<ConfigDocument>()) {
            (_, Ok(document)) => {
                self.draft = None;
                self.draft_backoff.succeed();
                self.synced(now_ms);
                return self.take_config(document);
            }
            (412, _) => {
                self.config_stale = true;
                DraftState::Conflict
            }
            (403, Err(failure)) => {
                // Not an admin's token after all: the store is the judge.
                if let Some(me) = &mut self.me {
                    me.role = Role::Member;
                }
                refused(failure.message())
            }
            (_, Err(failure @ (Failure::Refused(_) | Failure::TooLarge))) => {
                refused(failure.message())
            }
            (_, Err(failure)) => {
                fail(&mut self.draft_backoff, &failure, now_ms, jitter);
                self.failed(failure);
                return None;
            }
        };
        if let Some(draft) = &mut self.draft {
            draft.state = state;
        }
        None
    }

    /// Holds `document`; what the worker must apply when it changed.
    fn take_config(&mut self, document: ConfigDocument) -> Option<ConfigChange> {
        let removed = self
            .config
            .as_ref()
            .map(|held| removed_tags(&held.config, &document.config))
            .unwrap_or_default();
        let config = document.config.clone();
        self.config_received(document).then_some(ConfigChange {
            config,
            removed_tags: removed,
        })
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
    ) -> Option<ConfigChange> {
        if answer.status == 304 {
            self.config_stale = false;
            return None;
        }
        match answer.decode::<ConfigDocument>() {
            Ok(document) => {
                self.config_stale = false;
                self.synced(now_ms);
                self.take_config(document)
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

    /// New store URL or token: failures are forgotten, requests resume at once and the
    /// store is asked again who the token is.
    pub fn set_credentials_changed(&mut self) {
        self.paused = false;
        self.push_backoff.succeed();
        self.pull_backoff.succeed();
        self.events_backoff.succeed();
        self.draft_backoff.succeed();
        self.me = None;
        self.error = None;
    }

    pub fn status(&self) -> SyncStatus {
        let pending = self.replica.pending().len();
        let draft_due = self
            .draft
            .as_ref()
            .is_some_and(|d| d.state == DraftState::Pending && self.role() == Some(Role::Admin));
        let next_push_ms = [
            (pending > 0, &self.push_backoff),
            (!self.events.is_empty(), &self.events_backoff),
            (draft_due, &self.draft_backoff),
        ]
        .into_iter()
        .filter(|(waiting, _)| *waiting && !self.paused)
        .map(|(_, backoff)| backoff.next_at_ms)
        .min();
        SyncStatus {
            last_sync_ms: self.last_sync_ms,
            pending,
            pending_events: self.events.len(),
            error: self.error.clone(),
            next_push_ms,
            me: self.me.clone(),
            can_edit_config: self.may_edit_config().is_ok(),
            config_version: self.config.as_ref().map(|c| c.version),
            config_edit: self.draft.as_ref().map(|d| ConfigEditStatus {
                state: d.state.describe().0,
                message: d.state.describe().1.map(str::to_string),
                changed: d.changed(),
                base_version: d.base.version,
                kept: d.mine.clone(),
            }),
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
const _: () =
    assert!(PUSH_BATCH <= MAX_MUTATIONS_PER_PUSH && EVENTS_BATCH <= MAX_EVENTS_PER_REQUEST);

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
        assert_eq!(
            c.config_answered(&fresh, 7_000, 0.0)
                .unwrap()
                .config
                .charter,
            "c"
        );
        assert_eq!(c.config_answered(&fresh, 7_000, 0.0), None);
        let not_modified = HttpAnswer {
            status: 304,
            ..HttpAnswer::default()
        };
        assert_eq!(c.config_answered(&not_modified, 7_000, 0.0), None);
        assert_eq!(c.status().error, None);
    }

    fn ok(body: impl Serialize) -> HttpAnswer {
        HttpAnswer {
            status: 200,
            body: serde_json::to_string(&body).unwrap(),
            retry_after_s: None,
        }
    }

    fn status(code: u16, message: &str) -> HttpAnswer {
        HttpAnswer {
            status: code,
            body: format!(r#"{{"error":{{"code":"x","message":"{message}","field":null}}}}"#),
            retry_after_s: None,
        }
    }

    fn tag(id: &str, label: &str) -> crate::sync::wire::TagDef {
        crate::sync::wire::TagDef {
            id: TagId::try_from(id.to_string()).unwrap(),
            label: label.into(),
            color: None,
        }
    }

    fn document(version: u64, charter: &str, tags: &[(&str, &str)]) -> ConfigDocument {
        ConfigDocument {
            version,
            updated_at: 0,
            config: TeamConfig {
                charter: charter.into(),
                templates: String::new(),
                tags: tags.iter().map(|(id, label)| tag(id, label)).collect(),
            },
        }
    }

    /// A client that learnt its role and holds the team configuration `document`.
    fn connected(role: Role, document: &ConfigDocument) -> SyncClient {
        let mut c = client();
        assert_eq!(c.request(Exchange::Me, 0, false).unwrap().path, "/v1/me");
        let me = Me {
            team: "demo".into(),
            member: "Ana".into(),
            role,
        };
        c.answered(Exchange::Me, &ok(&me), 1, 0.0);
        assert_eq!(c.request(Exchange::Me, 2, true), None, "asked once");
        let get = c.request(Exchange::Config, 2, true).unwrap();
        assert_eq!((get.method, get.if_none_match), ("GET", None));
        assert!(c
            .answered(Exchange::Config, &ok(document), 3, 0.0)
            .config
            .is_some());
        c
    }

    fn texts(charter: &str, base_version: Option<u64>) -> ConfigEdit {
        ConfigEdit::Texts {
            charter: charter.into(),
            templates: String::new(),
            base_version,
        }
    }

    #[test]
    fn a_member_cannot_edit_and_an_admin_edit_is_put_with_if_match() {
        let team = document(3, "team charter", &[("vip", "VIP")]);
        let mut member = connected(Role::Member, &team);
        assert_eq!(
            member.edit_config(texts("mine", Some(3))),
            Err(Refusal::Member)
        );
        assert!(!member.status().can_edit_config);
        assert_eq!(member.request(Exchange::ConfigPut, 10, false), None);
        let mut unknown = client();
        assert_eq!(
            unknown.edit_config(texts("mine", None)),
            Err(Refusal::Unknown)
        );

        let mut admin = connected(Role::Admin, &team);
        assert!(admin.status().can_edit_config);
        admin.edit_config(texts("team charter", Some(3))).unwrap();
        assert_eq!(
            admin.status().config_edit,
            None,
            "no change, nothing to send"
        );
        admin.edit_config(texts("new charter", Some(3))).unwrap();
        let put = admin.request(Exchange::ConfigPut, 10, false).unwrap();
        assert_eq!((put.method, put.path.as_str()), ("PUT", "/v1/config"));
        assert_eq!(put.if_match.as_deref(), Some("\"3\""));
        let sent: TeamConfig = serde_json::from_str(put.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent.charter, "new charter");
        assert_eq!(sent.tags, team.config.tags, "the rest as held");
        let status = admin.status();
        let edit = status.config_edit.unwrap();
        assert_eq!((edit.state, edit.changed), ("pending", vec!["charter"]));
        assert_eq!(status.next_push_ms, Some(0));

        let saved = ConfigDocument {
            version: 4,
            ..document(4, "new charter", &[("vip", "VIP")])
        };
        let answered = admin.answered(Exchange::ConfigPut, &ok(&saved), 11, 0.0);
        assert_eq!(answered.config.unwrap().config.charter, "new charter");
        assert_eq!(admin.status().config_edit, None);
        assert_eq!(admin.status().config_version, Some(4));
        assert_eq!(admin.request(Exchange::ConfigPut, 12, false), None);
    }

    #[test]
    fn a_412_keeps_the_edit_fetches_theirs_and_reapply_merges_onto_it() {
        let team = document(3, "v3", &[("vip", "VIP"), ("bug", "Bug")]);
        let mut admin = connected(Role::Admin, &team);
        admin.edit_config(texts("my charter", Some(3))).unwrap();
        admin
            .edit_config(ConfigEdit::Tags(vec![
                tag("vip", "VIP client"),
                tag("bug", "Bug"),
            ]))
            .unwrap();
        admin.answered(
            Exchange::ConfigPut,
            &status(412, "the configuration changed since you fetched it"),
            10,
            0.0,
        );
        let edit = admin.status().config_edit.unwrap();
        assert_eq!(edit.state, "conflict");
        assert_eq!(edit.kept.charter, "my charter", "the admin's edit is kept");
        assert_eq!(
            admin.request(Exchange::ConfigPut, 11, false),
            None,
            "nothing sent over theirs"
        );
        // The newer configuration is fetched at once, even outside a pull.
        let get = admin.request(Exchange::Config, 11, false).unwrap();
        assert_eq!(get.if_none_match.as_deref(), Some("\"3\""));
        let theirs = document(4, "v3", &[("bug", "Bugs"), ("lead", "Lead")]);
        let change = admin
            .answered(Exchange::Config, &ok(&theirs), 12, 0.0)
            .config
            .unwrap();
        assert_eq!(change.config, theirs.config);
        assert_eq!(
            change.removed_tags,
            vec![TagId::try_from("vip".to_string()).unwrap()]
        );
        assert_eq!(admin.request(Exchange::Config, 13, false), None);
        // A new edit during the conflict joins the kept one; still nothing is sent.
        admin.edit_config(texts("my charter, again", None)).unwrap();
        assert_eq!(admin.request(Exchange::ConfigPut, 13, false), None);

        admin.edit_config(ConfigEdit::Reapply).unwrap();
        let put = admin.request(Exchange::ConfigPut, 14, false).unwrap();
        assert_eq!(put.if_match.as_deref(), Some("\"4\""));
        let sent: TeamConfig = serde_json::from_str(put.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent.charter, "my charter, again");
        assert_eq!(
            sent.tags,
            [
                tag("bug", "Bugs"),
                tag("lead", "Lead"),
                tag("vip", "VIP client")
            ],
            "their rename and addition stay, my rename wins over their removal"
        );
    }

    #[test]
    fn an_edit_from_an_older_version_is_a_conflict_and_discard_gives_theirs_back() {
        let team = document(5, "v5", &[("vip", "VIP")]);
        let mut admin = connected(Role::Admin, &team);
        admin.edit_config(texts("typed over v4", Some(4))).unwrap();
        assert_eq!(admin.status().config_edit.unwrap().state, "conflict");
        assert_eq!(admin.request(Exchange::ConfigPut, 10, false), None);
        admin
            .edit_config(ConfigEdit::Tags(vec![tag("vip", "VIP"), tag("new", "New")]))
            .unwrap();
        let back = admin.edit_config(ConfigEdit::Discard).unwrap().unwrap();
        assert_eq!(back.config, team.config);
        assert_eq!(
            back.removed_tags,
            vec![TagId::try_from("new".to_string()).unwrap()]
        );
        assert_eq!(admin.status().config_edit, None);
        assert_eq!(
            admin.edit_config(ConfigEdit::Reapply),
            Err(Refusal::NothingKept)
        );
    }

    #[test]
    fn refusals_keep_the_edit_with_the_reason_and_outages_retry_it() {
        let team = document(1, "v1", &[]);
        let mut admin = connected(Role::Admin, &team);
        admin.edit_config(texts("mine", Some(1))).unwrap();
        admin.answered(Exchange::ConfigPut, &status(0, "Failed to fetch"), 10, 0.0);
        assert_eq!(admin.status().config_edit.unwrap().state, "pending");
        assert_eq!(
            admin.request(Exchange::ConfigPut, 10, false),
            None,
            "backoff"
        );
        assert!(admin.request(Exchange::ConfigPut, 510, false).is_some());
        admin.answered(
            Exchange::ConfigPut,
            &status(422, "charter: at most 262144 bytes"),
            510,
            0.0,
        );
        let edit = admin.status().config_edit.unwrap();
        assert_eq!(edit.state, "refused");
        assert!(edit.message.unwrap().contains("262144"));
        assert_eq!(admin.request(Exchange::ConfigPut, 10_000, false), None);
        admin.edit_config(texts("shorter", Some(1))).unwrap();
        assert!(admin.request(Exchange::ConfigPut, 10_000, false).is_some());
        // The store says the token is no admin's: the page turns read-only, the edit stays.
        admin.answered(
            Exchange::ConfigPut,
            &status(403, "only a team admin"),
            10_001,
            0.0,
        );
        let status = admin.status();
        assert!(!status.can_edit_config);
        assert_eq!(status.me.unwrap().role, Role::Member);
        assert_eq!(status.config_edit.unwrap().state, "refused");
        assert!(
            admin.request(Exchange::Pull, 10_002, true).is_some(),
            "the sync itself is not paused"
        );
    }

    #[test]
    fn events_leave_the_queue_only_once_the_store_holds_them() {
        let mut c = client();
        let event = |rule: &str| Event {
            id: None,
            kind: crate::sync::wire::EventKind::Override,
            rule: Some(rule.into()),
            severity: None,
            network: "x".into(),
            at: 5,
        };
        for rule in ["a", "b", "c"] {
            c.record_event(event(rule));
        }
        let post = c.request(Exchange::Events, 0, false).unwrap();
        assert_eq!((post.method, post.path.as_str()), ("POST", "/v1/events"));
        let sent: crate::sync::wire::EventsRequest =
            serde_json::from_str(post.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent.client_id.unwrap().as_str(), "laptop");
        assert_eq!(sent.events.len(), 3);
        assert!(
            !c.answered(Exchange::Events, &status(0, "offline"), 0, 0.0)
                .again
        );
        assert_eq!(c.status().pending_events, 3, "kept after a failure");
        assert_eq!(c.request(Exchange::Events, 499, false), None, "backoff");
        assert_eq!(c.status().next_push_ms, Some(500));
        let ack = |last: Option<u64>| {
            ok(EventsResponse {
                accepted: 0,
                last_event_id: last,
            })
        };
        assert!(c.answered(Exchange::Events, &ack(Some(2)), 500, 0.0).again);
        assert_eq!(c.status().pending_events, 1);
        // An answer that acknowledges nothing is not taken for success.
        assert!(!c.answered(Exchange::Events, &ack(None), 600, 0.0).again);
        assert!(c.status().error.unwrap().contains("did not acknowledge"));
        assert!(
            !c.answered(Exchange::Events, &ack(Some(3)), 2_000, 0.0)
                .again
        );
        assert_eq!((c.status().pending_events, c.status().error), (0, None));
    }

    #[test]
    fn a_store_without_v1_me_leaves_the_role_unknown_and_pulls_going() {
        let mut c = client();
        c.answered(Exchange::Me, &status(404, "not found"), 0, 0.0);
        assert!(c.request(Exchange::Pull, 0, true).is_some());
        assert_eq!(c.may_edit_config(), Err(Refusal::Unknown));
        c.answered(Exchange::Me, &status(503, "down"), 0, 0.0);
        assert_eq!(
            c.request(Exchange::Pull, 0, true),
            None,
            "an outage is waited out"
        );
    }

    #[test]
    fn a_state_saved_before_roles_and_events_still_loads() {
        let mut saved = serde_json::to_value(client()).unwrap();
        for key in [
            "me",
            "draft",
            "draft_backoff",
            "events",
            "events_backoff",
            "config_stale",
        ] {
            saved.as_object_mut().unwrap().remove(key).unwrap();
        }
        let restored: SyncClient = serde_json::from_value(saved).unwrap();
        assert_eq!(restored, client());
    }
}

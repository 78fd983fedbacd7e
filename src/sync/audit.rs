//! Audit events on their way to the store ("sent anyway despite rule X"). The page queues
//! what it saw in the browser's storage; this turns each into the API's events — rule ids,
//! severity, network and time only: the draft never was in the page's event, and the
//! CM's written reason and the mode stay in the browser too — and numbers them, so the
//! store keeps each once however often a request is retried.

use super::ids::ClientId;
use super::ops::check_network;
use super::wire::{Event, EventKind, EventSeverity, EventsRequest};
use crate::inbox::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Events per request: well under the store's limit, so a batch is never refused whole
/// for its size.
pub const EVENTS_BATCH: usize = 200;

/// What the page's send guard queues (`src/web/guard.rs`). Other fields (the mode, the
/// CM's reason) are read past: they are not the team's to see.
#[derive(Deserialize)]
struct PageEvent {
    #[serde(rename = "type")]
    kind: EventKind,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    severity: Option<EventSeverity>,
    network: String,
    /// ISO 8601, as `Date.toISOString()` writes it.
    at: String,
}

/// A rule id as the store takes it; charters may name rules more freely, and those
/// overrides are sent without a rule rather than refused.
fn sendable_rule(rule: &str) -> bool {
    (1..=64).contains(&rule.len())
        && rule
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
}

/// The API events for one page event: one per distinct rule (each rule's count in the
/// report goes up once per decision), each with the held draft's highest severity.
pub fn from_page(event: serde_json::Value) -> Result<Vec<Event>, String> {
    let page: PageEvent = serde_json::from_value(event).map_err(|e| format!("audit event: {e}"))?;
    check_network(&page.network).map_err(|e| format!("audit event: {e}"))?;
    let at = Timestamp::parse(&page.at)
        .map_err(|e| format!("audit event time {:?}: {}", page.at, e.reason))?
        .0;
    if at < 0 {
        return Err(format!("audit event time {:?} is before 1970", page.at));
    }
    let mut rules: Vec<Option<String>> = Vec::new();
    for rule in &page.rules {
        let rule = sendable_rule(rule).then(|| rule.clone());
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    if rules.is_empty() {
        rules.push(None);
    }
    Ok(rules
        .into_iter()
        .map(|rule| Event {
            id: None,
            kind: page.kind,
            rule,
            severity: page.severity,
            network: page.network.clone(),
            at,
        })
        .collect())
}

/// The events not yet acknowledged by the store, numbered 1, 2, 3… in the order queued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQueue {
    /// The id the next queued event gets (0 in a fresh queue means 1).
    next_id: u64,
    pending: Vec<Event>,
}

impl EventQueue {
    pub fn push(&mut self, mut event: Event) {
        let id = self.next_id.max(1);
        event.id = Some(id);
        self.next_id = id + 1;
        self.pending.push(event);
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The oldest `max` events as a request from `client`.
    pub fn request(&self, client: &ClientId, max: usize) -> EventsRequest {
        EventsRequest {
            client_id: Some(client.clone()),
            events: self.pending.iter().take(max.max(1)).cloned().collect(),
        }
    }

    /// The store holds every id up to `last`: those leave the queue.
    pub fn acknowledge(&mut self, last: u64) {
        self.pending.retain(|e| e.id.is_some_and(|id| id > last));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page_event(rules: &[&str]) -> serde_json::Value {
        json!({"type": "override", "rules": rules, "severity": "block", "network": "x",
            "mode": "intern", "reason": "the client asked for it by phone",
            "at": "2025-03-01T10:00:00.000Z"})
    }

    #[test]
    fn one_event_per_distinct_rule_and_no_words_of_the_cm() {
        let events = from_page(page_event(&["pii", "competitors", "pii", "règle perso"])).unwrap();
        let rules: Vec<Option<&str>> = events.iter().map(|e| e.rule.as_deref()).collect();
        assert_eq!(rules, [Some("pii"), Some("competitors"), None]);
        assert!(events
            .iter()
            .all(|e| e.severity == Some(EventSeverity::Block)
                && e.kind == EventKind::Override
                && e.at == 1_740_823_200_000));
        let sent = serde_json::to_string(&events).unwrap();
        assert!(
            !sent.contains("phone") && !sent.contains("intern"),
            "{sent}"
        );
        assert_eq!(from_page(page_event(&[])).unwrap()[0].rule, None);
    }

    #[test]
    fn unreadable_events_are_named_not_sent() {
        let mut bad = page_event(&["pii"]);
        bad["network"] = json!("X.com");
        assert!(from_page(bad).unwrap_err().contains("network"));
        bad = page_event(&["pii"]);
        bad["at"] = json!("yesterday");
        assert!(from_page(bad).unwrap_err().contains("yesterday"));
        assert!(from_page(json!({"type": "typo"})).is_err());
    }

    #[test]
    fn ids_increase_and_leave_the_queue_once_acknowledged() {
        let client = ClientId::try_from("laptop".to_string()).unwrap();
        let mut queue = EventQueue::default();
        for event in from_page(page_event(&["a", "b", "c"])).unwrap() {
            queue.push(event);
        }
        let first = queue.request(&client, 2);
        let ids: Vec<Option<u64>> = first.events.iter().map(|e| e.id).collect();
        assert_eq!(ids, [Some(1), Some(2)]);
        queue.acknowledge(2);
        assert_eq!(queue.len(), 1);
        queue.acknowledge(2);
        assert_eq!(queue.request(&client, 10).events[0].id, Some(3));
        queue.acknowledge(3);
        assert!(queue.is_empty());
        queue.push(from_page(page_event(&["d"])).unwrap().remove(0));
        assert_eq!(
            queue.request(&client, 10).events[0].id,
            Some(4),
            "ids are never reused"
        );
    }
}

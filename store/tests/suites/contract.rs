//! The API contract, run unchanged on every backend.

use crate::common::{now_ms, Api, Backend, Team};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tact::sync::wire::MAX_TAGS_PER_ITEM;
use tact::sync::{Change, ClientId, ItemId, Replica, State, Status, TagId};

fn tag(name: &str) -> Change {
    Change::Tag {
        tag: TagId::try_from(name.to_string()).unwrap(),
        present: true,
    }
}

fn item(id: &str) -> ItemId {
    ItemId::try_from(id.to_string()).unwrap()
}

fn capture_json(n: u32, at: u64) -> Value {
    json!({
        "network": "x", "permalink": format!("https://x.com/u/status/{n}"),
        "author": { "handle": "@u", "name": "U" }, "text": "Où est ma commande ?",
        "posted_at": null, "captured_at": at, "captured_by": "Camille"
    })
}

pub async fn run(backend: &Backend) {
    let team = Team::new(
        backend,
        "contract",
        &["--cors-origin", "chrome-extension://abcdefgh"],
    );
    health_and_openapi(&team).await;
    who_am_i(&team).await;
    push_pull_and_retries(&team).await;
    config_versions(&team).await;
    events_and_report(&team).await;
    json_errors_and_cors(&team).await;
    // Last: its pushes would change the report figures checked above.
    a_failing_push_fails_alone(&team).await;
}

async fn health_and_openapi(team: &Team) {
    let (status, body) = team.member.json(Method::GET, "/healthz", None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));
    let (status, doc) = team
        .member
        .json(Method::GET, "/v1/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/v1/push",
        "/v1/pull",
        "/v1/me",
        "/v1/config",
        "/v1/events",
        "/v1/report",
        "/healthz",
    ] {
        assert!(doc["paths"][path].is_object(), "openapi lacks {path}");
    }
    assert!(doc["components"]["schemas"]["Mutation"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["Role"]["enum"],
        json!(["admin", "member"])
    );
}

/// Each token learns its own team, name and role, and nothing of another's.
async fn who_am_i(team: &Team) {
    let (status, me) = team.admin.json(Method::GET, "/v1/me", None).await;
    assert_eq!(
        (status, me),
        (
            StatusCode::OK,
            json!({"team": "alpha", "member": "admin", "role": "admin"})
        )
    );
    let (status, me) = team.member.json(Method::GET, "/v1/me", None).await;
    assert_eq!(
        (status, me),
        (
            StatusCode::OK,
            json!({"team": "alpha", "member": "Camille", "role": "member"})
        )
    );
    let other = team.token(&["team", "create", "beta"]);
    let (_, me) = other.json(Method::GET, "/v1/me", None).await;
    assert_eq!(me["team"], "beta");
    let (status, body) = Api::new(&team.store.base, "tact_nope")
        .json(Method::GET, "/v1/me", None)
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthorized"))
    );
}

async fn push_pull_and_retries(team: &Team) {
    let mut replica = Replica::new(ClientId::try_from("laptop-1".to_string()).unwrap());
    let now = now_ms();
    replica.mutate(item("x:1"), tag("plainte"), now);
    replica.mutate(
        item("x:1"),
        Change::Status {
            status: Status::Done,
        },
        now,
    );
    replica.mutate(
        item("x:2"),
        Change::Note {
            note: "rappeler".into(),
        },
        now,
    );
    let request = replica.push_request(100);
    let first = team.member.push(&request).await.unwrap();
    assert_eq!(first.last_mutation_id, 3);
    // A retry of the same push changes nothing and gets the same answer.
    assert_eq!(
        team.member.push(&request).await.unwrap().last_mutation_id,
        3
    );
    let writes = team.admin.pull_all().await;
    assert_eq!(writes.len(), 3, "{writes:?}");
    assert_eq!(
        report_mutations(&team.admin).await,
        3,
        "a retried push must not be logged twice"
    );

    // A push whose first id leaves a gap is not applied; the answer says where to resume.
    let mut gap = replica.push_request(100);
    replica.mutate(item("x:3"), tag("vip"), now);
    replica.mutate(item("x:3"), tag("urgent"), now);
    gap.mutations = replica.push_request(100).mutations[4..].to_vec();
    assert_eq!(gap.mutations[0].id, 5);
    assert_eq!(team.member.push(&gap).await.unwrap().last_mutation_id, 3);
    replica.acknowledge(3);
    assert_eq!(
        team.member
            .push(&replica.push_request(100))
            .await
            .unwrap()
            .last_mutation_id,
        5
    );

    // Pages: limit 2 walks the 5 writes in version order.
    let page = team.member.pull(0, 2).await.unwrap();
    assert!(page.more);
    assert_eq!(page.changes.len(), 2);
    let rest = team.member.pull(page.cursor, 1000).await.unwrap();
    assert!(!rest.more);
    assert_eq!(rest.changes.len(), 3);
    let empty = team.member.pull(rest.cursor, 10).await.unwrap();
    assert_eq!((empty.changes.len(), empty.cursor), (0, rest.cursor));

    // Another device converges to the same items.
    let mut other = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
    other.apply_pull(team.admin.pull(0, 1000).await.unwrap());
    let seen: Vec<_> = other.state().items().collect();
    let mine: Vec<_> = replica.state().items().collect();
    assert_eq!(seen, mine);

    // A capture from JSON, as the extension sends it.
    let body = json!({"client_id": "phone", "mutations": [{"id": 1, "hlc": {"wall": now, "counter": 0},
        "item": "x:9", "change": {"field": "capture", "capture": capture_json(9, now)}}]});
    let (status, out) = team
        .member
        .json(Method::POST, "/v1/push", Some(&body))
        .await;
    assert_eq!(
        (status, out),
        (StatusCode::OK, json!({"last_mutation_id": 1}))
    );
}

/// Concurrent pushes share a group commit; one refused by the store (an item over the tag
/// limit, found only against stored state) must not take its neighbours down with it.
async fn a_failing_push_fails_alone(team: &Team) {
    let now = now_ms();
    let member = team.token(&[
        "token",
        "create",
        "--team",
        "alpha",
        "--role",
        "member",
        "--name",
        "Dominique",
    ]);
    let mut filler = Replica::new(ClientId::try_from("filler".to_string()).unwrap());
    for n in 0..MAX_TAGS_PER_ITEM {
        filler.mutate(item("x:full"), tag(&format!("t{n}")), now);
    }
    let filled = member.push(&filler.push_request(1000)).await.unwrap();
    assert_eq!(filled.last_mutation_id, MAX_TAGS_PER_ITEM as u64);
    for round in 0..5 {
        let mut pushes = Vec::new();
        for c in 0..8 {
            let mut replica = Replica::new(ClientId::try_from(format!("r{round}c{c}")).unwrap());
            let change = if c == 0 {
                tag("one-too-many")
            } else {
                Change::Note {
                    note: format!("round {round}"),
                }
            };
            replica.mutate(item(&format!("x:g{c}")), change.clone(), now);
            if c == 0 {
                replica.mutate(item("x:full"), change, now);
            }
            let api = member.clone();
            pushes.push(tokio::spawn(async move {
                api.push(&replica.push_request(10)).await
            }));
        }
        for (c, push) in pushes.into_iter().enumerate() {
            let answer = push.await.unwrap();
            if c == 0 {
                let error = answer.unwrap_err();
                assert!(error.contains("422"), "round {round}: {error}");
            } else {
                assert_eq!(
                    answer.unwrap().last_mutation_id,
                    1,
                    "round {round} client {c}"
                );
            }
        }
    }
    let mut state = State::default();
    for write in team.admin.pull_all().await {
        state.merge(write);
    }
    let full = state.item(&item("x:full")).unwrap();
    assert_eq!(
        full.tags.len(),
        MAX_TAGS_PER_ITEM,
        "the refused tag must not be stored"
    );
    assert!(
        state.item(&item("x:g0")).is_none(),
        "a refused push is refused whole"
    );
    assert_eq!(state.item(&item("x:g7")).unwrap().note, "round 4");
}

/// Mutations logged in the default report period (the last 30 days, today included).
pub async fn report_mutations(api: &Api) -> u64 {
    let (status, report) = api.json(Method::GET, "/v1/report", None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mutations"].as_u64().unwrap())
        .sum()
}

async fn config_versions(team: &Team) {
    let (status, headers, body) = team
        .member
        .send(Method::GET, "/v1/config", None, &[])
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["etag"], "\"0\"");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["version"], 0);

    let config = json!({"charter": "[charter]\nname = \"Café Lumière\"\n", "templates": "",
        "tags": [{"id": "plainte", "label": "Plainte", "color": "#d64545"}, {"id": "vip", "label": "VIP"}]});
    let bytes = serde_json::to_vec(&config).unwrap();
    let (status, _, _) = team
        .admin
        .send(Method::PUT, "/v1/config", Some(bytes.clone()), &[])
        .await
        .unwrap();
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    let (status, headers, _) = team
        .admin
        .send(
            Method::PUT,
            "/v1/config",
            Some(bytes.clone()),
            &[("if-match", "\"0\"")],
        )
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["etag"], "\"1\"");
    // A second admin still holding version 0 is told, not silently overwritten.
    let (status, _, body) = team
        .admin
        .send(
            Method::PUT,
            "/v1/config",
            Some(bytes),
            &[("if-match", "\"0\"")],
        )
        .await
        .unwrap();
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["error"]["code"], "version_mismatch");

    let (status, _, body) = team
        .member
        .send(Method::GET, "/v1/config", None, &[])
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["config"], config);
    let (status, _, body) = team
        .member
        .send(
            Method::GET,
            "/v1/config",
            None,
            &[("if-none-match", "\"1\"")],
        )
        .await
        .unwrap();
    assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0));
}

async fn events_and_report(team: &Team) {
    let now = now_ms();
    let events = json!({"events": [
        {"kind": "override", "rule": "competitors", "severity": "warn", "network": "x", "at": now},
        {"kind": "override", "rule": "competitors", "severity": "warn", "network": "x", "at": now},
        {"kind": "override", "rule": "refund-promise", "severity": "block", "network": "facebook", "at": now},
        {"kind": "held", "rule": "refund-promise", "network": "facebook", "at": now},
    ]});
    let (status, body) = team
        .member
        .json(Method::POST, "/v1/events", Some(&events))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"accepted": 4, "last_event_id": null})
        )
    );
    // Numbered events, as the extension sends them: a retry (its answer lost) and an
    // overlapping later request store each id once; the answer says what is held.
    let numbered = |ids: &[u64]| {
        let events: Vec<Value> = ids
            .iter()
            .map(|id| {
                json!({"id": id, "kind": "override", "rule": "competitors",
                "severity": "warn", "network": "x", "at": now})
            })
            .collect();
        json!({"client_id": "laptop-1", "events": events})
    };
    for (ids, accepted, last) in [(&[1u64, 2][..], 2, 2), (&[1, 2], 0, 2), (&[2, 3], 1, 3)] {
        let (status, body) = team
            .member
            .json(Method::POST, "/v1/events", Some(&numbered(ids)))
            .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::OK,
                json!({"accepted": accepted, "last_event_id": last})
            ),
            "events {ids:?}"
        );
    }
    // The same client id in another team is another client.
    let other = team.token(&["team", "create", "gamma"]);
    let (_, body) = other
        .json(Method::POST, "/v1/events", Some(&numbered(&[1])))
        .await;
    assert_eq!(body, json!({"accepted": 1, "last_event_id": 1}));
    let (status, report) = team.admin.json(Method::GET, "/v1/report", None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["overrides_per_rule"],
        json!([{"rule": "competitors", "count": 5}, {"rule": "refund-promise", "count": 1}])
    );
    // x:9 was captured (today) with no tag and no status: one open item, no tag rows.
    assert_eq!(report["status"], json!({"open": 1, "done": 0}));
    let camille = report["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member"] == "Camille")
        .unwrap();
    assert_eq!(camille["overrides"], 6);
    assert_eq!(camille["captures"], 1);
    assert_eq!(camille["mutations"], 6);

    let (status, body) = team
        .admin
        .json(Method::GET, "/v1/report?from=2024-02-30", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "from");
}

async fn json_errors_and_cors(team: &Team) {
    let (status, body) = team.member.json(Method::GET, "/v1/nothing", None).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::NOT_FOUND, &json!("not_found"))
    );
    let (status, body) = team.member.json(Method::DELETE, "/v1/push", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");

    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(Method::OPTIONS, format!("{}/v1/push", team.store.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let allowed = preflight("chrome-extension://abcdefgh").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "chrome-extension://abcdefgh"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let dashboard = http
        .get(format!("{}/", team.store.base))
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert!(dashboard.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
}

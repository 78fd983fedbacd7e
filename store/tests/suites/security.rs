//! Hostile and mistaken requests: each gets a clear 4xx with a JSON error, nothing is
//! stored, nothing of another team leaks.

use crate::common::{now_ms, Api, Backend, Team};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn mutation(id: u64, item: &str, change: Value) -> Value {
    json!({"id": id, "hlc": {"wall": now_ms(), "counter": 0}, "item": item, "change": change})
}

fn push_body(client: &str, mutations: Vec<Value>) -> Value {
    json!({"client_id": client, "mutations": mutations})
}

/// Asserts a JSON error with this status and code; returns its `field`.
async fn expect_error(
    api: &Api,
    method: Method,
    path: &str,
    body: Option<Vec<u8>>,
    headers: &[(&str, &str)],
    status: StatusCode,
    code: &str,
) -> Value {
    let (got, _, out) = api
        .send(method, path, body, headers)
        .await
        .expect("request");
    let err: Value = serde_json::from_slice(&out)
        .unwrap_or_else(|_| panic!("{path}: not JSON: {}", String::from_utf8_lossy(&out)));
    assert_eq!(got, status, "{path}: {err}");
    assert_eq!(err["error"]["code"], code, "{path}: {err}");
    assert!(err["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    err["error"]["field"].clone()
}

async fn total_writes(api: &Api) -> usize {
    api.pull_all().await.len()
}

pub async fn run(backend: &Backend) {
    let team = Team::new(backend, "security", &[]);
    let other = team.token(&["team", "create", "beta"]);
    wrong_team(&team, &other).await;
    revoked_token(&team).await;
    member_cannot_write_config(&team).await;
    malformed_and_oversized(&team).await;
    sql_ish_strings(&team).await;
    ten_thousand_tags(&team).await;
    rate_limit(backend).await;
}

async fn wrong_team(team: &Team, other: &Api) {
    let secret = push_body(
        "a1",
        vec![mutation(
            1,
            "x:42",
            json!({"field": "note", "note": "alpha only"}),
        )],
    );
    let (status, _) = team
        .member
        .json(Method::POST, "/v1/push", Some(&secret))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Beta sees none of alpha's writes, and writing the same item id and client id touches
    // only beta's copy.
    assert_eq!(total_writes(other).await, 0);
    let clash = push_body(
        "a1",
        vec![mutation(
            1,
            "x:42",
            json!({"field": "note", "note": "beta"}),
        )],
    );
    let (status, body) = other.json(Method::POST, "/v1/push", Some(&clash)).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"last_mutation_id": 1}))
    );
    let alpha = team.member.pull_all().await;
    assert_eq!(alpha.len(), 1);
    assert_eq!(
        alpha[0].change,
        tact::sync::Change::Note {
            note: "alpha only".into()
        }
    );
    let beta = other.pull_all().await;
    assert_eq!(
        beta[0].change,
        tact::sync::Change::Note {
            note: "beta".into()
        }
    );
    let (_, report) = other.json(Method::GET, "/v1/report", None).await;
    let names: Vec<&str> = report["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["member"].as_str())
        .collect();
    assert_eq!(names, ["admin"], "beta's report shows only beta's members");
    // A made-up or missing token reads nothing.
    let stranger = Api::new(
        &team.store.base,
        "tact_0000000000000000000000000000000000000000000000000000000000000000",
    );
    expect_error(
        &stranger,
        Method::GET,
        "/v1/pull",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let anonymous = Api::new(&team.store.base, "");
    expect_error(
        &anonymous,
        Method::GET,
        "/v1/config",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn revoked_token(team: &Team) {
    let intern = team.token(&[
        "token", "create", "--team", "alpha", "--role", "member", "--name", "Intern",
    ]);
    assert_eq!(intern.pull(0, 10).await.unwrap().changes.len(), 1);
    crate::common::admin(
        &team.store.db_url,
        &["token", "revoke", "--team", "alpha", "--name", "Intern"],
    );
    let before = total_writes(&team.admin).await;
    let body = serde_json::to_vec(&push_body(
        "intern",
        vec![mutation(
            1,
            "x:7",
            json!({"field": "status", "status": "done"}),
        )],
    ))
    .unwrap();
    expect_error(
        &intern,
        Method::POST,
        "/v1/push",
        Some(body),
        &[],
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_error(
        &intern,
        Method::GET,
        "/v1/pull",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(total_writes(&team.admin).await, before);
}

async fn member_cannot_write_config(team: &Team) {
    let config =
        serde_json::to_vec(&json!({"charter": "hacked", "templates": "", "tags": []})).unwrap();
    expect_error(
        &team.member,
        Method::PUT,
        "/v1/config",
        Some(config),
        &[("if-match", "\"0\"")],
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let (_, doc) = team.member.json(Method::GET, "/v1/config", None).await;
    assert_eq!(doc["version"], 0);
    assert_eq!(doc["config"]["charter"], "");
}

async fn malformed_and_oversized(team: &Team) {
    let before = total_writes(&team.admin).await;
    let api = &team.member;
    let push = |b: &str| Some(b.as_bytes().to_vec());
    expect_error(
        api,
        Method::POST,
        "/v1/push",
        push("{\"client_id\": \"c\", \"mutations\": [}"),
        &[],
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    expect_error(
        api,
        Method::POST,
        "/v1/push",
        push("{\"client_id\":\"c\",\"mutations\":[]} trailing"),
        &[],
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let unknown = serde_json::to_string(&push_body(
        "c",
        vec![mutation(
            1,
            "x:1",
            json!({"field": "note", "note": "n", "draft": "secret"}),
        )],
    ))
    .unwrap();
    let field = expect_error(
        api,
        Method::POST,
        "/v1/push",
        push(&unknown),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(
        field, "mutations[0].change",
        "the error names where the unknown field is"
    );
    let top = "{\"client_id\":\"c\",\"mutations\":[],\"admin\":true}";
    expect_error(
        api,
        Method::POST,
        "/v1/push",
        push(top),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    let bad_client = serde_json::to_string(&push_body("a b", vec![])).unwrap();
    let field = expect_error(
        api,
        Method::POST,
        "/v1/push",
        push(&bad_client),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(field, "client_id");
    let (status, _, _) = api
        .send(
            Method::POST,
            "/v1/push",
            None,
            &[("content-type", "text/plain")],
        )
        .await
        .unwrap();
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge_note = "n".repeat(2 * 1024 * 1024);
    let big = serde_json::to_vec(&push_body(
        "c",
        vec![mutation(
            1,
            "x:1",
            json!({"field": "note", "note": huge_note}),
        )],
    ))
    .unwrap();
    expect_error(
        api,
        Method::POST,
        "/v1/push",
        Some(big),
        &[],
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
    )
    .await;
    let long_note = serde_json::to_vec(&push_body(
        "c",
        vec![mutation(
            1,
            "x:1",
            json!({"field": "note", "note": "n".repeat(5000)}),
        )],
    ))
    .unwrap();
    let field = expect_error(
        api,
        Method::POST,
        "/v1/push",
        Some(long_note),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(field, "mutations[0].change.note");
    expect_error(
        api,
        Method::GET,
        "/v1/pull?cursor=-1",
        None,
        &[],
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    expect_error(
        api,
        Method::GET,
        "/v1/pull?limit=100000",
        None,
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    let events = serde_json::to_vec(&json!({"events": [{"kind": "override", "rule": "r", "network": "x", "at": 1, "text": "draft"}]})).unwrap();
    expect_error(
        api,
        Method::POST,
        "/v1/events",
        Some(events),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    let event = |id: u64| json!({"id": id, "kind": "override", "network": "x", "at": 1});
    for (body, field) in [
        (json!({"events": [event(1)]}), "client_id"),
        (
            json!({"client_id": "c", "events": [event(0)]}),
            "events[0].id",
        ),
        (
            json!({"client_id": "c", "events": [event(2), event(1)]}),
            "events[1].id",
        ),
        (
            json!({"client_id": "c", "events": [event(1u64 << 63)]}),
            "events[0].id",
        ),
    ] {
        let (status, answer) = api.json(Method::POST, "/v1/events", Some(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{body}");
    }
    assert_eq!(total_writes(&team.admin).await, before, "nothing stored");
}

async fn sql_ish_strings(team: &Team) {
    let nasty = [
        "'; DROP TABLE registers; --",
        "x' OR '1'='1",
        "tag:%",
        "\"; DELETE FROM tokens; --",
    ];
    let mut mutations = Vec::new();
    for (i, text) in nasty.iter().enumerate() {
        let id = format!("x:{}", text.replace(' ', "_"));
        mutations.push(mutation(
            i as u64 * 2 + 1,
            &id,
            json!({"field": "note", "note": text}),
        ));
        mutations.push(mutation(
            i as u64 * 2 + 2,
            &id,
            json!({"field": "tag", "tag": text, "present": true}),
        ));
    }
    let (status, body) = team
        .member
        .json(Method::POST, "/v1/push", Some(&push_body("sql", mutations)))
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"last_mutation_id": 8}))
    );
    let writes = team.admin.pull_all().await;
    for text in nasty {
        assert!(
            writes.iter().any(|w| w.change
                == tact::sync::Change::Note {
                    note: text.to_string()
                }),
            "{text} stored verbatim"
        );
    }
    // Tables and tokens are intact.
    let (status, _) = team
        .admin
        .json(Method::GET, "/v1/report?from=2024-01-01'%20OR%201=1", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = team.member.json(Method::GET, "/v1/config", None).await;
    assert_eq!(status, StatusCode::OK);
}

async fn ten_thousand_tags(team: &Team) {
    let before = total_writes(&team.admin).await;
    let tags = |from: u64, n: u64| -> Vec<Value> {
        (from..from + n)
            .map(|i| {
                mutation(
                    i,
                    "x:tagged",
                    json!({"field": "tag", "tag": format!("t{i}"), "present": true}),
                )
            })
            .collect()
    };
    // All in one push: too many mutations.
    let body = serde_json::to_vec(&push_body("tagger", tags(1, 10_000))).unwrap();
    let (status, _, out) = team
        .member
        .send(Method::POST, "/v1/push", Some(body), &[])
        .await
        .unwrap();
    assert!(
        status == StatusCode::PAYLOAD_TOO_LARGE,
        "{status} {}",
        String::from_utf8_lossy(&out)
    );
    // 500 per push: the first push already exceeds the per-item limit.
    let field = expect_error(
        &team.member,
        Method::POST,
        "/v1/push",
        Some(serde_json::to_vec(&push_body("tagger", tags(1, 500))).unwrap()),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(field, "mutations[64].change.tag");
    // 60 at a time: the second push crosses the limit in the store and is rolled back.
    let (status, _) = team
        .member
        .json(
            Method::POST,
            "/v1/push",
            Some(&push_body("tagger", tags(1, 60))),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let field = expect_error(
        &team.member,
        Method::POST,
        "/v1/push",
        Some(serde_json::to_vec(&push_body("tagger", tags(61, 60))).unwrap()),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(field, "mutations");
    assert_eq!(
        total_writes(&team.admin).await,
        before + 60,
        "the refused push left nothing"
    );
}

async fn rate_limit(backend: &Backend) {
    let team = Team::new(backend, "ratelimit", &["--rate-limit", "1", "--burst", "3"]);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let (status, headers, _) = team
            .member
            .send(Method::GET, "/v1/pull", None, &[])
            .await
            .unwrap();
        statuses.push((status, headers.get("retry-after").is_some()));
    }
    assert_eq!(&statuses[..3], &[(StatusCode::OK, false); 3]);
    assert_eq!(statuses[4], (StatusCode::TOO_MANY_REQUESTS, true));
    // Another member's budget is untouched.
    let (status, _) = team.admin.json(Method::GET, "/v1/pull", None).await;
    assert_eq!(status, StatusCode::OK);
}

//! The HTTP service: state, authentication, the router with its limits, CORS and JSON
//! fallbacks, and the OpenAPI document generated from the handlers and wire types.

use crate::api;
use crate::commit::Pushes;
use crate::dashboard;
use crate::db::Db;
use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::tokens::{authenticate, Caller, Refusal};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Largest request body (bytes): a push of 500 ordinary mutations fits; a client with
/// bigger captures pushes fewer per request.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How far ahead of the store's clock a mutation's stamp may be: a client whose clock runs
/// further ahead would otherwise win every last-writer-wins conflict for as long.
pub const MAX_CLOCK_AHEAD_MS: i64 = 10 * 60 * 1000;

pub struct AppState {
    pub db: Db,
    pub pushes: Pushes,
    pub limiter: RateLimiter,
}

pub type Shared = Arc<AppState>;

pub struct Settings {
    pub cors_origins: Vec<String>,
    pub rate_per_second: u32,
    pub burst: u32,
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Caller, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("send the team token as `Authorization: Bearer <token>`")
            })?;
        let caller = match authenticate(&state.db, token).await? {
            Ok(caller) => caller,
            Err(Refusal::Unknown) => {
                return Err(ApiError::unauthorized(
                    "this token is not valid for this store",
                ))
            }
            Err(Refusal::Revoked) => {
                return Err(ApiError::unauthorized(
                    "this token was revoked: ask your team admin for a new one",
                ))
            }
        };
        state
            .limiter
            .check(caller.token_id)
            .map_err(|wait| ApiError {
                retry_after: Some(wait),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many requests with this token: retry in {wait} s"),
                )
            })?;
        Ok(caller)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "tact-store", description = "Team store and sync API of Tact."),
    paths(
        api::healthz,
        api::push,
        api::pull,
        api::me,
        api::get_config,
        api::put_config,
        api::post_events,
        api::report
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method: see /v1/openapi.json",
    )
}

/// Marks API answers as private and uncacheable (they carry team data).
async fn no_store(response: Response) -> Response {
    let mut response = response;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub fn router(state: Shared, settings: &Settings) -> Result<Router, String> {
    let api = Router::new()
        .route("/healthz", get(api::healthz))
        .route("/v1/openapi.json", get(openapi_json))
        .route("/v1/push", axum::routing::post(api::push))
        .route("/v1/pull", get(api::pull))
        .route("/v1/me", get(api::me))
        .route("/v1/config", get(api::get_config).put(api::put_config))
        .route("/v1/events", axum::routing::post(api::post_events))
        .route("/v1/report", get(api::report))
        .layer(axum::middleware::map_response(no_store));
    let mut app = api
        .merge(dashboard::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    if !settings.cors_origins.is_empty() {
        app = app.layer(cors(&settings.cors_origins)?);
    }
    Ok(app)
}

/// CORS for the configured extension origins only (exact match); nobody else's page may
/// call the API from a browser.
fn cors(origins: &[String]) -> Result<CorsLayer, String> {
    let origins = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o.trim_end_matches('/'))
                .map_err(|_| format!("--cors-origin {o:?} is not a valid origin"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600)))
}

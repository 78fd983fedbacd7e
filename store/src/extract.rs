//! Request extractors that turn every malformed input into a JSON `ApiError` naming the
//! field: axum's own extractors answer in plain text, which clients cannot parse.

use crate::error::ApiError;
use crate::server::MAX_BODY_BYTES;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

/// How much of an oversized body is read and thrown away before answering 413: enough
/// that an honest client that sent too much reads the JSON error instead of a reset
/// connection, bounded so that a hostile one cannot keep the server busy.
const DRAIN_LIMIT: usize = 16 * MAX_BODY_BYTES;

/// A JSON body, checked for content type, size (the router's body limit) and shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = read_limited(req.into_body()).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads at most `MAX_BODY_BYTES`; past that, drains (up to `DRAIN_LIMIT`) and refuses.
async fn read_limited(mut body: Body) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                format!("the body could not be read: {e}"),
            )
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen > DRAIN_LIMIT {
            break;
        }
        if seen <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is larger than {MAX_BODY_BYTES} bytes: send fewer mutations or events per request"),
        ));
    }
    Ok(bytes)
}

/// Parses JSON, reporting syntax errors with line and column and type errors with the path
/// of the field (`mutations[3].change.tag`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_data() {
            let field = if path == "." { None } else { Some(path) };
            ApiError {
                field,
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                    inner.to_string(),
                )
            }
        } else {
            malformed(&inner)
        }
    })?;
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn malformed(err: &serde_json::Error) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "malformed_json",
        format!("the body is not valid JSON: {err}"),
    )
}

/// Query parameters with JSON errors.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|rej| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", rej.body_text()))
    }
}

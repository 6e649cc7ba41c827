//! The only place where protobuf types meet the engine's: requests to [`RawPage`]s, [`Score`]s to
//! responses, and the single `From<Error> for Status`.

use std::time::{Duration, UNIX_EPOCH};

use tonic::{Code, Status};

use crate::model::{Score, Verdict};
use crate::read::RawPage;
use crate::service::pb;
use crate::service::LoadedModel;
use crate::signals::Explain;
use crate::Error;

/// Longest accepted `id`, in bytes.
pub const MAX_ID_BYTES: usize = 1024;
/// Longest accepted `url`, in bytes.
pub const MAX_URL_BYTES: usize = 8192;
/// Longest accepted `content_type`, in bytes.
pub const MAX_CONTENT_TYPE_BYTES: usize = 1024;

/// The name hint that makes the reader treat a `text` request as plain text.
const TEXT_NAME_HINT: &str = "request.txt";

/// A validated request, owning its bytes (it moves to a worker thread).
#[derive(Debug)]
pub struct PageInput {
    /// The caller's id.
    pub id: String,
    url: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
    is_text: bool,
    /// Whether to collect evidence.
    pub explain: Explain,
}

/// A request-validation failure: the field at fault and what is wrong with it.
fn bad(field: &str, msg: impl Into<String>) -> Status {
    let msg = msg.into();
    let mut status = Status::invalid_argument(format!("{field}: {msg}"));
    if let Ok(v) = field.parse() {
        status.metadata_mut().insert("pagescore-field", v);
    }
    status
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl PageInput {
    /// Validates a request. Fails with INVALID_ARGUMENT naming the field.
    pub fn from_request(req: pb::ScoreRequest) -> Result<Self, Status> {
        if req.id.len() > MAX_ID_BYTES {
            return Err(bad("id", format!("longer than {MAX_ID_BYTES} bytes")));
        }
        if req.url.len() > MAX_URL_BYTES {
            return Err(bad("url", format!("longer than {MAX_URL_BYTES} bytes")));
        }
        if req.content_type.len() > MAX_CONTENT_TYPE_BYTES {
            return Err(bad(
                "content_type",
                format!("longer than {MAX_CONTENT_TYPE_BYTES} bytes"),
            ));
        }
        if !req.body.is_empty() && !req.text.is_empty() {
            return Err(bad("text", "set either body or text, not both"));
        }
        let is_text = !req.text.is_empty();
        let bytes = if is_text {
            req.text.into_bytes()
        } else {
            req.body
        };
        Ok(PageInput {
            id: req.id,
            url: non_empty(req.url),
            content_type: non_empty(req.content_type),
            bytes,
            is_text,
            explain: if req.include_evidence {
                Explain::Detailed
            } else {
                Explain::Skip
            },
        })
    }

    /// The page as the engine takes it.
    pub fn raw(&self) -> RawPage<'_> {
        RawPage {
            bytes: &self.bytes,
            url: self.url.as_deref(),
            content_type: if self.is_text {
                Some("text/plain; charset=utf-8")
            } else {
                self.content_type.as_deref()
            },
            name_hint: self.is_text.then_some(TEXT_NAME_HINT),
        }
    }

    /// Page bytes received (body or text).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the page is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The field that carried the page (`body` or `text`), for error reports.
    pub fn field(&self) -> &'static str {
        if self.is_text {
            "text"
        } else {
            "body"
        }
    }
}

/// The wire verdict.
pub fn verdict(v: Verdict) -> pb::Verdict {
    match v {
        Verdict::Ham => pb::Verdict::Ham,
        Verdict::Suspect => pb::Verdict::Suspect,
        Verdict::Spam => pb::Verdict::Spam,
    }
}

/// A score as a response.
pub fn score_response(id: String, score: Score, elapsed: Duration) -> pb::ScoreResponse {
    let families = score
        .families()
        .into_iter()
        .map(|f| pb::FamilyContribution {
            name: f.name.to_string(),
            contribution: f.contribution,
        })
        .collect();
    pb::ScoreResponse {
        id,
        spam_probability: score.spam_probability,
        verdict: verdict(score.verdict) as i32,
        signals: score
            .signals
            .into_iter()
            .map(|s| pb::Signal {
                name: s.name.to_string(),
                value: s.value,
                contribution: s.contribution,
                evidence: s.evidence,
            })
            .collect(),
        model_version: score.model_version,
        truncated: score.truncated,
        server_time_us: micros(elapsed),
        error: None,
        families,
    }
}

/// A failed page as a stream response (the stream goes on).
pub fn error_response(id: String, status: &Status, elapsed: Duration) -> pb::ScoreResponse {
    let field = status
        .metadata()
        .get("pagescore-field")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    pb::ScoreResponse {
        id,
        server_time_us: micros(elapsed),
        error: Some(pb::PageError {
            code: status.code() as i32,
            message: status.message().to_string(),
            field,
        }),
        ..Default::default()
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// The model in service as `GetModelInfo` describes it.
pub fn model_info(model: &LoadedModel) -> pb::ModelInfo {
    let info = &model.info;
    pb::ModelInfo {
        model_version: info.version.clone(),
        schema_hash: info.schema_hash.clone(),
        feature_names: info.feature_names.clone(),
        suspect_threshold: info.suspect_threshold,
        spam_threshold: info.spam_threshold,
        training_metrics: info.metrics.iter().cloned().collect(),
        loaded_at_unix_ms: model
            .loaded_at
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0),
        source: model.source.to_string(),
    }
}

/// The engine's errors as gRPC statuses: the caller's input is INVALID_ARGUMENT (naming the
/// field `body`), everything else is the server's fault (INTERNAL).
impl From<Error> for Status {
    fn from(err: Error) -> Self {
        match err {
            err @ Error::Input(_) => bad("body", err.to_string()),
            other => {
                tracing::error!(error = %other, "internal error while scoring");
                Status::internal(other.to_string())
            }
        }
    }
}

/// A status code's name as used in metric labels (`OK`, `INVALID_ARGUMENT`, ...).
pub fn code_label(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_text_together_is_invalid() {
        let req = pb::ScoreRequest {
            body: b"<p>x</p>".to_vec(),
            text: "x".into(),
            ..Default::default()
        };
        let err = PageInput::from_request(req).unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        assert!(err.message().contains("either body or text"));
    }

    #[test]
    fn text_requests_read_as_plain_text() {
        let req = pb::ScoreRequest {
            text: "Title\n\nBody".into(),
            content_type: "text/html".into(),
            ..Default::default()
        };
        let input = PageInput::from_request(req).unwrap();
        let raw = input.raw();
        assert_eq!(raw.name_hint, Some(TEXT_NAME_HINT));
        assert_eq!(raw.content_type, Some("text/plain; charset=utf-8"));
    }

    #[test]
    fn input_errors_are_invalid_argument_naming_the_field() {
        let status = Status::from(Error::Input("corrupt gzip".into()));
        assert_eq!(status.code(), Code::InvalidArgument);
        let resp = error_response("a".into(), &status, Duration::ZERO);
        let e = resp.error.unwrap();
        assert_eq!(e.field, "body");
        assert_eq!(e.code, Code::InvalidArgument as i32);
        assert!(e.message.contains("corrupt gzip"));
    }
}

//! The `PageScore` handlers: validate, shed or admit, score on the worker pool under the
//! request's deadline, convert.

use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request, Response, Status, Streaming};

use crate::read::RawPage;
use crate::service::convert::{self, code_label, PageInput};
use crate::service::metrics::Metrics;
use crate::service::pb::{self, page_score_server::PageScore};
use crate::service::SharedModel;

/// Called on the worker thread right before a page is scored. For fault injection in tests
/// (e.g. a slow page); `None` in production.
pub type ScoreHook = Arc<dyn Fn(&RawPage<'_>) + Send + Sync>;

/// Everything the handlers share.
pub(crate) struct State {
    pub model: SharedModel,
    pub permits: Arc<Semaphore>,
    pub max_concurrency: usize,
    pub pool: rayon::ThreadPool,
    pub metrics: Metrics,
    pub max_request_time: Duration,
    pub stream_window: usize,
    pub hook: Option<ScoreHook>,
    /// Turns true when the server starts shutting down: streams stop reading new pages.
    pub shutting_down: watch::Receiver<bool>,
}

/// Raises its flag when dropped.
struct AbandonOnDrop(Arc<AtomicBool>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Records a call in the metrics when it ends; a call dropped before it ended (the client
/// cancelled or its deadline passed first) is recorded as CANCELLED.
struct CallRecord<'a> {
    state: &'a State,
    method: &'static str,
    start: Instant,
    code: Option<Code>,
}

impl<'a> CallRecord<'a> {
    fn new(state: &'a State, method: &'static str) -> Self {
        CallRecord {
            state,
            method,
            start: Instant::now(),
            code: None,
        }
    }
}

impl Drop for CallRecord<'_> {
    fn drop(&mut self) {
        let code = self.code.unwrap_or(Code::Cancelled);
        let elapsed = self.start.elapsed();
        self.state.record(self.method, code, elapsed);
        tracing::debug!(
            method = self.method,
            code = code_label(code),
            elapsed_us = elapsed.as_micros() as u64,
            "call"
        );
    }
}

/// The service implementation handed to tonic.
#[derive(Clone)]
pub(crate) struct PageScoreService {
    pub state: Arc<State>,
}

const SCORE: &str = "Score";
const SCORE_STREAM: &str = "ScoreStream";
const MODEL_INFO: &str = "GetModelInfo";

/// The deadline of a call: the client's `grpc-timeout`, capped by `--max-request-time`.
///
/// The client's own timer (and tonic's server-side one, which answers CANCELLED) started a
/// moment before this handler ran, so this deadline is set a little earlier (a tenth of the
/// timeout, at most 10 ms): the server gives up and answers DEADLINE_EXCEEDED while the client
/// is still listening.
fn deadline_of<T>(req: &Request<T>, start: Instant, max: Duration) -> Instant {
    let client = req
        .metadata()
        .get("grpc-timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_grpc_timeout)
        .map(|d| d.saturating_sub((d / 10).min(Duration::from_millis(10))));
    start + client.map_or(max, |d| d.min(max))
}

/// Parses a `grpc-timeout` header value: up to 8 digits and a unit (H, M, S, m, u, n).
pub(crate) fn parse_grpc_timeout(v: &str) -> Option<Duration> {
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (digits, unit) = v.split_at(v.len() - 1);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.checked_mul(3600)?),
        "M" => Duration::from_secs(n.checked_mul(60)?),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

impl State {
    fn shed(&self, method: &'static str) -> Status {
        self.metrics.shed.with_label_values(&[method]).inc();
        Status::resource_exhausted(format!(
            "server busy: {} pages already in flight (--max-concurrency); retry with backoff",
            self.max_concurrency
        ))
    }

    /// Admits a page (or sheds it) without waiting.
    fn admit(&self, method: &'static str) -> Result<OwnedSemaphorePermit, Status> {
        Arc::clone(&self.permits)
            .try_acquire_owned()
            .map_err(|_| self.shed(method))
    }

    /// Scores one admitted page on the worker pool, giving up at `deadline`.
    async fn score(
        &self,
        input: PageInput,
        permit: OwnedSemaphorePermit,
        deadline: Instant,
    ) -> Result<pb::ScoreResponse, Status> {
        let start = Instant::now();
        self.metrics.bytes_in.inc_by(input.len() as u64);
        let model = self.model.load_full();
        let hook = self.hook.clone();
        // Set when this future ends for any reason, including being dropped because the client
        // cancelled: a page nobody waits for is not scored.
        let abandoned = AbandonOnDrop(Arc::new(AtomicBool::new(false)));
        let gave_up = Arc::clone(&abandoned.0);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let in_flight = self.metrics.in_flight.clone();
        in_flight.inc();
        self.pool.spawn(move || {
            // The permit is held until the work really stops, so the concurrency limit counts
            // pages whose caller gave up but whose scoring is still running.
            let permit = permit;
            let expired = || gave_up.load(Ordering::Relaxed) || Instant::now() >= deadline;
            // Checked before the work and between the stages we control, so an abandoned page
            // stops as soon as it can; a panic (a bug) fails this page only.
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                if expired() {
                    return None;
                }
                let raw = input.raw();
                if let Some(hook) = &hook {
                    hook(&raw);
                }
                if expired() {
                    return None;
                }
                Some(model.scorer.score(&raw, input.explain))
            }))
            .unwrap_or_else(|_| {
                tracing::error!("scoring a page panicked");
                Some(Err(crate::Error::Internal(
                    "scoring this page panicked (a bug)".into(),
                )))
            });
            in_flight.dec();
            // Free the slot before answering, so a client that sends its next page as soon as
            // it has the answer finds the slot free.
            drop(permit);
            let _ = tx.send(result);
        });
        match tokio::time::timeout_at(deadline.into(), rx).await {
            Ok(Ok(Some(Ok(score)))) => {
                self.metrics
                    .pages
                    .with_label_values(&[score.verdict.as_str()])
                    .inc();
                Ok(convert::score_response(
                    String::new(),
                    score,
                    start.elapsed(),
                ))
            }
            Ok(Ok(Some(Err(err)))) => Err(Status::from(err)),
            Ok(Ok(None)) | Err(_) => Err(Status::deadline_exceeded(format!(
                "deadline exceeded after {} ms; scoring of this page was stopped",
                start.elapsed().as_millis()
            ))),
            Ok(Err(_)) => Err(Status::internal("scoring worker went away")),
        }
    }

    fn record(&self, method: &'static str, code: Code, elapsed: Duration) {
        self.metrics
            .requests
            .with_label_values(&[method, code_label(code)])
            .inc();
        self.metrics
            .latency
            .with_label_values(&[method])
            .observe(elapsed.as_secs_f64());
    }

    /// Validates, admits and scores one request; the response carries `id`.
    async fn score_request(
        &self,
        method: &'static str,
        req: pb::ScoreRequest,
        deadline: Instant,
    ) -> Result<pb::ScoreResponse, Status> {
        let input = PageInput::from_request(req)?;
        let permit = self.admit(method)?;
        let id = input.id.clone();
        let mut resp = self.score(input, permit, deadline).await?;
        resp.id = id;
        Ok(resp)
    }
}

type ResponseStream =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::ScoreResponse, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl PageScore for PageScoreService {
    async fn score(
        &self,
        request: Request<pb::ScoreRequest>,
    ) -> Result<Response<pb::ScoreResponse>, Status> {
        let mut call = CallRecord::new(&self.state, SCORE);
        let deadline = deadline_of(&request, call.start, self.state.max_request_time);
        let result = self
            .state
            .score_request(SCORE, request.into_inner(), deadline)
            .await;
        call.code = Some(result.as_ref().map_or_else(Status::code, |_| Code::Ok));
        result.map(Response::new)
    }

    type ScoreStreamStream = ResponseStream;

    async fn score_stream(
        &self,
        request: Request<Streaming<pb::ScoreRequest>>,
    ) -> Result<Response<Self::ScoreStreamStream>, Status> {
        let mut inbound = request.into_inner();
        let state = Arc::clone(&self.state);
        let window = Arc::new(Semaphore::new(state.stream_window));
        let (tx, rx) = mpsc::channel(state.stream_window);
        let mut shutting_down = state.shutting_down.clone();
        state.metrics.streams.inc();
        tokio::spawn(async move {
            loop {
                // At most `stream_window` pages of this stream are in flight; past that we stop
                // reading, and HTTP/2 flow control pushes back on the client.
                let Ok(slot) = Arc::clone(&window).acquire_owned().await else {
                    break;
                };
                let next = tokio::select! {
                    biased;
                    _ = shutting_down.wait_for(|s| *s) => None,
                    // The client cancelled (its response side is gone): stop reading. Pages it
                    // sent before cancelling may still sit in the transport's buffer; reading
                    // them would take permits (shedding other clients' pages) for answers
                    // nobody reads.
                    () = tx.closed() => break,
                    next = inbound.message() => Some(next),
                };
                let Some(next) = next else {
                    // Shutting down: finish what is in flight, then tell the client to resend
                    // the rest.
                    drop(slot);
                    let _ = Arc::clone(&window)
                        .acquire_many_owned(state.stream_window as u32)
                        .await;
                    let _ = tx
                        .send(Err(Status::unavailable(
                            "server shutting down: pages without a response were not scored; resend them to another server",
                        )))
                        .await;
                    break;
                };
                match next {
                    Ok(Some(req)) => {
                        let state = Arc::clone(&state);
                        let tx = tx.clone();
                        tokio::spawn(async move {
                            let start = Instant::now();
                            let id = req.id.clone();
                            let deadline = start + state.max_request_time;
                            // If the client goes away, the page is dropped (and not scored).
                            let result = tokio::select! {
                                r = state.score_request(SCORE_STREAM, req, deadline) => r,
                                () = tx.closed() => {
                                    state.record(SCORE_STREAM, Code::Cancelled, start.elapsed());
                                    return;
                                }
                            };
                            let resp = match result {
                                Ok(resp) => {
                                    state.record(SCORE_STREAM, Code::Ok, start.elapsed());
                                    resp
                                }
                                Err(status) => {
                                    state.record(SCORE_STREAM, status.code(), start.elapsed());
                                    convert::error_response(id, &status, start.elapsed())
                                }
                            };
                            // A send error means the client went away; nothing to do.
                            let _ = tx.send(Ok(resp)).await;
                            drop(slot);
                        });
                    }
                    Ok(None) => break,
                    Err(status) => {
                        let status = crate::service::server::rewrite_oversize(status);
                        tracing::debug!(code = ?status.code(), message = status.message(), "stream ended by a bad message");
                        let _ = tx.send(Err(status)).await;
                        break;
                    }
                }
            }
            state.metrics.streams.dec();
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn get_model_info(
        &self,
        _request: Request<pb::GetModelInfoRequest>,
    ) -> Result<Response<pb::ModelInfo>, Status> {
        let start = Instant::now();
        let info = convert::model_info(&self.state.model.load());
        self.state.record(MODEL_INFO, Code::Ok, start.elapsed());
        Ok(Response::new(info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_header_parses() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("5u"), Some(Duration::from_micros(5)));
        assert_eq!(parse_grpc_timeout("m"), None);
        assert_eq!(parse_grpc_timeout("123456789m"), None);
        assert_eq!(parse_grpc_timeout("10x"), None);
    }
}

//! Plain-HTTP/1.1 keep-alive connections to one loopback emulator, straight on hyper.
//!
//! Emulators speak plain HTTP on loopback, where the client's own cost per request is visible:
//! against an instant-reply server reqwest's stack (redirect and retry layers, the URL parsed again
//! on every response, a header map cloned per request, hyper-util's pool) ran 2.4 times slower than
//! hyper's own connection loop (docs/performance.md). HTTPS, for real AWS, stays on reqwest.
//!
//! Each connection is a hyper `http1` connection whose task tokio runs; idle ones wait in a stack.
//! A request that could not be written because its connection had just closed (an emulator's
//! keep-alive timeout racing the request) is sent again on a fresh connection, as hyper-util's pool
//! does: nothing of it reached the server.

use std::sync::Mutex;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, CONNECTION, HOST, USER_AGENT};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What the transport returns: status, headers and the whole body.
pub(crate) type Answer = (http::StatusCode, http::HeaderMap, Vec<u8>);

/// Why a plain exchange failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PlainError {
    #[error("could not connect: {0}")]
    Connect(#[source] std::io::Error),
    #[error("{0}")]
    Http(#[source] hyper::Error),
    #[error("reading the body: {0}")]
    Body(#[source] hyper::Error),
    #[error("response body larger than {0} bytes")]
    TooLarge(usize),
}

/// Keep-alive connections to one host and port.
#[derive(Debug)]
pub(crate) struct Plain {
    /// The `Host` header: `host:port`, the port left out when it is the scheme's default.
    authority: String,
    /// Where to connect (an IPv6 address without its brackets).
    host: String,
    port: u16,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

/// Connections kept idle at most; more are closed after their answer.
const MAX_IDLE: usize = 64;

const DEFAULT_USER_AGENT: &str = concat!("cognito-drift/", env!("CARGO_PKG_VERSION"));

impl Plain {
    pub(crate) fn new(authority: String, host: String, port: u16) -> Self {
        Plain {
            authority,
            host,
            port,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Sends `req` (its URI is the path only) and reads the answer, refusing a body past `max_body`.
    pub(crate) async fn send(
        &self,
        req: http::Request<Vec<u8>>,
        max_body: usize,
    ) -> Result<Answer, PlainError> {
        let mut req = req.map(|body| Full::new(Bytes::from(body)));
        self.default_headers(req.headers_mut());
        let mut fresh = false;
        loop {
            let idle = if fresh {
                None
            } else {
                self.idle_connection().await
            };
            let mut sender = match idle {
                Some(sender) => sender,
                None => {
                    fresh = true;
                    self.connect().await?
                }
            };
            match sender.try_send_request(req).await {
                Ok(resp) => return self.read(sender, resp, max_body).await,
                // Never written: the connection closed first. Once more, on a new connection.
                Err(mut err) => match err.take_message() {
                    Some(unsent) if !fresh => {
                        tracing::debug!(error = %err.error(), "idle connection closed; sending again");
                        req = unsent;
                        fresh = true;
                    }
                    _ => return Err(PlainError::Http(err.into_error())),
                },
            }
        }
    }

    /// The headers reqwest adds when the request has none of its own (raw steps may set them).
    fn default_headers(&self, headers: &mut http::HeaderMap) {
        if !headers.contains_key(HOST) {
            if let Ok(host) = HeaderValue::from_str(&self.authority) {
                headers.insert(HOST, host);
            }
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT));
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
    }

    /// An idle connection that can take a request now, if one is left open.
    async fn idle_connection(&self) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let mut sender = self.lock().pop()?;
            if sender.is_closed() {
                continue;
            }
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, PlainError> {
        let stream = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(PlainError::Connect)?;
        stream.set_nodelay(true).map_err(PlainError::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(PlainError::Http)?;
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended");
            }
        });
        Ok(sender)
    }

    /// The whole body; the connection goes back to the idle stack once it is read, unless the
    /// server said it closes it.
    async fn read(
        &self,
        sender: SendRequest<Full<Bytes>>,
        resp: http::Response<hyper::body::Incoming>,
        max_body: usize,
    ) -> Result<Answer, PlainError> {
        let (parts, mut body) = resp.into_parts();
        let announced = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|len| len > max_body as u64) {
            return Err(PlainError::TooLarge(max_body));
        }
        let mut bytes = Vec::with_capacity(announced.map_or(0, |len| len as usize));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(PlainError::Body)?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > max_body {
                    return Err(PlainError::TooLarge(max_body));
                }
                bytes.extend_from_slice(&data);
            }
        }
        let closes = parts
            .headers
            .get_all(CONNECTION)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        if !closes && !sender.is_closed() {
            let mut idle = self.lock();
            if idle.len() < MAX_IDLE {
                idle.push(sender);
            }
        }
        Ok((parts.status, parts.headers, bytes))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SendRequest<Full<Bytes>>>> {
        // A panic while holding the lock leaves the stack whole: use it.
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "plain_tests.rs"]
mod tests;

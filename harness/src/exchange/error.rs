//! Why an exchange produced no answer at all (as opposed to an error answer, which is a response).

use std::time::Duration;

use super::plain::PlainError;
use super::sign::SignError;

/// A transport-level failure. Never carries the request body: bodies hold tokens and passwords.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("invalid endpoint `{url}`: {reason}")]
    InvalidEndpoint { url: String, reason: String },
    #[error(
        "refusing to send to non-loopback host `{host}` (only 127.0.0.0/8, ::1 and localhost \
         unless the target allows remote endpoints)"
    )]
    RefusedNonLoopback { host: String },
    #[error("refused before sending: {reason}")]
    Refused { reason: String },
    #[error("invalid request header `{name}`")]
    InvalidHeader { name: String },
    #[error("failed to sign the request")]
    Sign(#[source] SignError),
    #[error("connection refused by `{url}`")]
    ConnectRefused { url: String },
    #[error("no complete answer from `{url}` within {timeout:?} (--timeout)")]
    Timeout { url: String, timeout: Duration },
    #[error("connection to `{url}` failed: {detail}")]
    Io {
        url: String,
        detail: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("response body larger than {limit} bytes (--max-body)")]
    BodyTooLarge { limit: usize },
    #[error("failed to build the http client")]
    ClientBuild(#[source] reqwest::Error),
}

impl ExchangeError {
    /// Classifies a reqwest failure by walking its source chain for the underlying I/O error.
    pub(crate) fn from_transport(url: &str, timeout: Duration, err: reqwest::Error) -> Self {
        if err.is_timeout() {
            return ExchangeError::Timeout {
                url: url.to_owned(),
                timeout,
            };
        }
        let (connect, body) = (err.is_connect(), err.is_body());
        Self::from_chain(url, Box::new(err), connect, body)
    }

    /// Classifies a failure of the plain-HTTP transport the same way.
    pub(crate) fn from_plain(url: &str, err: PlainError) -> Self {
        match err {
            PlainError::TooLarge(limit) => ExchangeError::BodyTooLarge { limit },
            PlainError::Connect(io) => Self::from_chain(url, Box::new(io), true, false),
            PlainError::Http(err) => Self::from_chain(url, Box::new(err), false, false),
            PlainError::Body(err) => Self::from_chain(url, Box::new(err), false, true),
        }
    }

    fn from_chain(
        url: &str,
        err: Box<dyn std::error::Error + Send + Sync>,
        connect: bool,
        body: bool,
    ) -> Self {
        let url = url.to_owned();
        let io_kind = io_error_kind(err.as_ref());
        if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
            return ExchangeError::ConnectRefused { url };
        }
        let detail = match io_kind {
            Some(std::io::ErrorKind::ConnectionReset) => "connection reset".to_owned(),
            Some(std::io::ErrorKind::ConnectionAborted) => "connection aborted".to_owned(),
            Some(std::io::ErrorKind::UnexpectedEof) => "connection closed early".to_owned(),
            Some(kind) => kind.to_string().to_lowercase(),
            None if connect => "could not connect".to_owned(),
            None if body => "broken response body".to_owned(),
            None => innermost_message(err.as_ref()),
        };
        ExchangeError::Io {
            url,
            detail,
            source: err,
        }
    }
}

fn io_error_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        current = e.source();
    }
    None
}

/// The deepest cause's text, e.g. hyper's "connection closed before message completed".
fn innermost_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

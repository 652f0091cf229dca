use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;

/// How the test server ends each answer.
#[derive(Clone, Copy)]
enum After {
    KeepAlive,
    /// `Connection: close`, then the socket is closed.
    SayClose,
    /// The socket is closed after the answer without a word (an idle timeout, early).
    Drop,
}

/// A loopback server answering `{}` to every request; returns its port and a count of connections.
async fn server(after: After, reply: &'static [u8]) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(stream, after, reply));
        }
    });
    (port, accepted)
}

async fn answer(mut stream: TcpStream, after: After, reply: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        // The test requests have small heads and a 2-byte body.
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let total = end + 4 + 2;
            if buf.len() < total {
                break;
            }
            buf.drain(..total);
            let head = match after {
                After::SayClose => "HTTP/1.1 200 OK\r\nconnection: close\r\n",
                _ => "HTTP/1.1 200 OK\r\n",
            };
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(reply).await;
            if !matches!(after, After::KeepAlive) {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

const SMALL: &[u8] = b"content-length: 2\r\n\r\n{}";

fn request() -> http::Request<Vec<u8>> {
    let mut req = http::Request::new(b"{}".to_vec());
    *req.method_mut() = http::Method::POST;
    *req.uri_mut() = http::Uri::from_static("/");
    req
}

fn plain(port: u16) -> Plain {
    Plain::new(format!("127.0.0.1:{port}"), "127.0.0.1".into(), port)
}

#[tokio::test]
async fn sequential_requests_share_one_connection() {
    let (port, accepted) = server(After::KeepAlive, SMALL).await;
    let plain = plain(port);
    for _ in 0..3 {
        let (status, _, body) = plain.send(request(), 1024).await.unwrap();
        assert_eq!((status.as_u16(), body.as_slice()), (200, b"{}".as_slice()));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_connection_the_server_closes_is_not_used_again() {
    let (port, accepted) = server(After::SayClose, SMALL).await;
    let plain = plain(port);
    for _ in 0..3 {
        plain.send(request(), 1024).await.unwrap();
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_idle_connection_closed_without_a_word_is_replaced() {
    let (port, accepted) = server(After::Drop, SMALL).await;
    let plain = plain(port);
    plain.send(request(), 1024).await.unwrap();
    // Time for the connection's task to see the close while the connection is idle.
    tokio::time::sleep(Duration::from_millis(100)).await;
    plain.send(request(), 1024).await.unwrap();
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn bodies_past_the_limit_are_refused_announced_or_streamed() {
    let announced: &[u8] = b"content-length: 10\r\n\r\n0123456789";
    let streamed: &[u8] =
        b"transfer-encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n";
    for reply in [announced, streamed] {
        let (port, _) = server(After::KeepAlive, reply).await;
        let err = plain(port).send(request(), 8).await.unwrap_err();
        assert!(matches!(err, PlainError::TooLarge(8)), "{err}");
        let (_, _, body) = plain(port).send(request(), 10).await.unwrap();
        assert_eq!(body, b"0123456789");
    }
}

#[tokio::test]
async fn default_headers_yield_to_the_request_own() {
    let plain = plain(9);
    let mut headers = http::HeaderMap::new();
    headers.insert(HOST, HeaderValue::from_static("example.test"));
    plain.default_headers(&mut headers);
    assert_eq!(headers[HOST], "example.test");
    assert_eq!(headers[ACCEPT], "*/*");
    assert!(headers[USER_AGENT]
        .to_str()
        .unwrap()
        .starts_with("cognito-drift/"));
    let mut bare = http::HeaderMap::new();
    plain.default_headers(&mut bare);
    assert_eq!(bare[HOST], "127.0.0.1:9");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = plain(port).send(request(), 8).await.unwrap_err();
    match err {
        PlainError::Connect(io) => assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused),
        other => panic!("{other}"),
    }
}

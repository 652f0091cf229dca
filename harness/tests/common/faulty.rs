//! A loopback HTTP server that misbehaves in one chosen way, to prove the harness reports a target
//! fault (and neither hangs nor panics) whatever the target does.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One way for a target to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misbehaviour {
    /// Sends the status line and part of the body, then resets the connection (RST).
    ResetMidResponse,
    /// Accepts the connection and reads the request, then says nothing.
    Silent,
    /// Sends a well-formed answer at one byte per second.
    Drip,
    /// 500 with an HTML page, as a crashed proxy or web server would.
    Html500,
    /// 200 with a plain-text body under the JSON content type.
    NotJson200,
    /// 200 declaring (and streaming) a 100 MB body.
    Huge,
    /// 200 streaming a 100 MB body chunked, with no length announced up front.
    HugeChunked,
    /// 200 whose body is not valid UTF-8.
    InvalidUtf8,
    /// 200 with a JSON body under `text/html`.
    WrongContentType,
}

pub const HUNDRED_MB: usize = 100 * 1024 * 1024;

/// A free loopback port with nothing listening on it: connections are refused.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Starts a server that answers every request with `m`; returns its URL.
pub async fn start(m: Misbehaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut reader = BufReader::new(sock);
                while read_request(&mut reader).await.is_some() {
                    if misbehave(reader.get_mut(), m).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// A parsed request: lower-case header names and the body.
#[derive(Debug, Clone)]
pub struct Request {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The operation from `X-Amz-Target` (`Service.Operation` → `Operation`).
    pub fn operation(&self) -> String {
        self.header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_owned()
    }
}

/// Reads one HTTP/1.1 request with a `Content-Length` body; `None` at end of stream.
pub async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Request { headers, body })
}

/// Writes a complete answer.
pub async fn respond(
    sock: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await?;
    sock.flush().await
}

/// Answers on `sock` the way `m` says. `Err` once the connection is no longer usable.
pub async fn misbehave(sock: &mut TcpStream, m: Misbehaviour) -> std::io::Result<()> {
    let json = |ct: &str| vec![("content-type".to_owned(), ct.to_owned())];
    match m {
        Misbehaviour::ResetMidResponse => {
            sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 1000\r\n\r\n{\"UserPool\": {\"Id\":")
                .await?;
            sock.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            sock.set_zero_linger()?;
            Err(std::io::Error::other("reset"))
        }
        Misbehaviour::Silent => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Err(std::io::Error::other("silent"))
        }
        Misbehaviour::Drip => {
            let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 2\r\n\r\n{}";
            for b in answer {
                sock.write_all(&[*b]).await?;
                sock.flush().await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(())
        }
        Misbehaviour::Html500 => {
            respond(
                sock,
                500,
                &json("text/html; charset=utf-8"),
                b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>",
            )
            .await
        }
        Misbehaviour::NotJson200 => {
            respond(sock, 200, &json("application/x-amz-json-1.1"), b"OK, done").await
        }
        Misbehaviour::Huge | Misbehaviour::HugeChunked => {
            let chunked = m == Misbehaviour::HugeChunked;
            let head = if chunked {
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
            } else {
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {HUNDRED_MB}\r\n\r\n")
            };
            sock.write_all(head.as_bytes()).await?;
            let block = vec![b' '; 64 * 1024];
            for _ in 0..HUNDRED_MB / block.len() {
                if chunked {
                    sock.write_all(format!("{:x}\r\n", block.len()).as_bytes())
                        .await?;
                    sock.write_all(&block).await?;
                    sock.write_all(b"\r\n").await?;
                } else {
                    sock.write_all(&block).await?;
                }
            }
            if chunked {
                sock.write_all(b"0\r\n\r\n").await?;
            }
            sock.flush().await
        }
        Misbehaviour::InvalidUtf8 => {
            respond(
                sock,
                200,
                &json("application/x-amz-json-1.1"),
                b"{\"UserPool\": {\"Id\": \"\xff\xfe\xc3\x28\"}}",
            )
            .await
        }
        Misbehaviour::WrongContentType => {
            respond(sock, 200, &json("text/html"), br#"{"UserPool": {}}"#).await
        }
    }
}

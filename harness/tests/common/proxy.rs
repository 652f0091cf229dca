//! A loopback HTTP proxy in front of a real moto that changes one behaviour, to prove drift is caught.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One behaviour change: given the operation and moto's answer, what the proxy answers instead.
/// `None` as the answer means "forward unchanged".
pub type Mutation = fn(op: &str, status: u16, body: &Value) -> Option<(u16, Value)>;

/// Answers this operation itself, without forwarding (e.g. a GlobalSignOut that revokes nothing).
/// Status [`HANG_UP`] closes the connection without an answer instead, as a crashing server would.
pub type ShortCircuit = fn(op: &str) -> Option<(u16, Value)>;

/// The status a [`ShortCircuit`] returns to close the connection without answering.
pub const HANG_UP: u16 = 0;

pub struct Proxy {
    pub url: String,
}

pub async fn start(upstream: String, mutate: Mutation, short: ShortCircuit) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let client = Arc::new(reqwest::Client::new());
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let (client, upstream) = (client.clone(), upstream.clone());
            tokio::spawn(async move {
                let _ = serve(sock, &client, &upstream, mutate, short).await;
            });
        }
    });
    Proxy { url }
}

async fn serve(
    sock: TcpStream,
    client: &reqwest::Client,
    upstream: &str,
    mutate: Mutation,
    short: ShortCircuit,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(sock);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let (k, v) = (k.trim().to_owned(), v.trim().to_owned());
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.parse().unwrap_or(0);
                }
                headers.push((k, v));
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let op = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
            .and_then(|(_, v)| v.rsplit('.').next())
            .unwrap_or("")
            .to_owned();
        let short = short(&op);
        if short.as_ref().is_some_and(|(s, _)| *s == HANG_UP) {
            return Ok(());
        }
        let (status, resp_headers, out) = match short {
            Some((s, v)) => (
                s,
                vec![(
                    "content-type".to_owned(),
                    "application/x-amz-json-1.1".to_owned(),
                )],
                v.to_string().into_bytes(),
            ),
            None => {
                let mut req = client.post(upstream).body(body);
                for (k, v) in &headers {
                    if !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length")
                    {
                        req = req.header(k, v);
                    }
                }
                let resp = req.send().await.map_err(std::io::Error::other)?;
                let status = resp.status().as_u16();
                let hop_by_hop = ["content-length", "transfer-encoding", "connection"];
                let kept: Vec<(String, String)> = resp
                    .headers()
                    .iter()
                    .filter(|(k, _)| !hop_by_hop.contains(&k.as_str()))
                    .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                    .collect();
                let bytes = resp.bytes().await.map_err(std::io::Error::other)?.to_vec();
                let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
                match parsed.and_then(|v| mutate(&op, status, &v)) {
                    Some((s, v)) => {
                        // A changed error type is changed in the header too, as a server would send it.
                        let kept = kept
                            .into_iter()
                            .map(|(k, val)| {
                                match (k.as_str(), v.get("__type").and_then(Value::as_str)) {
                                    ("x-amzn-errortype", Some(t)) => (k, t.to_owned()),
                                    _ => (k, val),
                                }
                            })
                            .collect();
                        (s, kept, v.to_string().into_bytes())
                    }
                    None => (status, kept, bytes),
                }
            }
        };
        let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", out.len());
        for (k, v) in &resp_headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let sock = reader.get_mut();
        sock.write_all(head.as_bytes()).await?;
        sock.write_all(&out).await?;
        sock.flush().await?;
    }
}

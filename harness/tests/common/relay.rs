//! A loopback proxy in front of the shared moto with programmable rules: misbehave for some requests,
//! rewrite some answers, and record every byte that crossed the wire (for the secrets test).
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};

use crate::faulty::{misbehave, read_request, respond, Misbehaviour, Request};

/// Decides, from the operation and request body, whether to misbehave instead of forwarding.
pub type FaultRule = Box<dyn Fn(&str, &[u8]) -> Option<Misbehaviour> + Send + Sync>;
/// Rewrites moto's JSON answer in place (operation, status, body); returns whether it changed it.
pub type Rewrite = Box<dyn Fn(&str, u16, &mut Value) -> bool + Send + Sync>;

/// One forwarded exchange as it crossed the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub operation: String,
    pub request: Vec<u8>,
    pub status: u16,
    pub response: Vec<u8>,
}

#[derive(Default)]
pub struct Rules {
    pub fault: Option<FaultRule>,
    pub rewrite: Option<Rewrite>,
}

pub struct Relay {
    pub url: String,
    pub log: Arc<Mutex<Vec<Exchange>>>,
}

pub async fn start(upstream: String, rules: Rules) -> Relay {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::new((rules, log.clone(), reqwest::Client::new(), upstream));
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let shared = shared.clone();
            tokio::spawn(async move {
                let (rules, log, client, upstream) = &*shared;
                let _ = serve(sock, rules, log, client, upstream).await;
            });
        }
    });
    Relay { url, log }
}

async fn serve(
    sock: TcpStream,
    rules: &Rules,
    log: &Mutex<Vec<Exchange>>,
    client: &reqwest::Client,
    upstream: &str,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(sock);
    while let Some(req) = read_request(&mut reader).await {
        let op = req.operation();
        if let Some(m) = rules.fault.as_ref().and_then(|f| f(&op, &req.body)) {
            return misbehave(reader.get_mut(), m).await;
        }
        let (status, headers, body) = forward(client, upstream, &req).await?;
        let body = match (serde_json::from_slice::<Value>(&body), &rules.rewrite) {
            (Ok(mut v), Some(rewrite)) if !body.is_empty() => {
                if rewrite(&op, status, &mut v) {
                    v.to_string().into_bytes()
                } else {
                    body
                }
            }
            _ => body,
        };
        log.lock().unwrap().push(Exchange {
            operation: op,
            request: req.body.clone(),
            status,
            response: body.clone(),
        });
        respond(reader.get_mut(), status, &headers, &body).await?;
    }
    Ok(())
}

async fn forward(
    client: &reqwest::Client,
    upstream: &str,
    req: &Request,
) -> std::io::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
    let mut out = client.post(upstream).body(req.body.clone());
    for (k, v) in &req.headers {
        if k != "host" && k != "content-length" {
            out = out.header(k, v);
        }
    }
    let resp = out.send().await.map_err(std::io::Error::other)?;
    let status = resp.status().as_u16();
    let hop_by_hop = ["content-length", "transfer-encoding", "connection"];
    let headers = resp
        .headers()
        .iter()
        .filter(|(k, _)| !hop_by_hop.contains(&k.as_str()))
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = resp.bytes().await.map_err(std::io::Error::other)?.to_vec();
    Ok((status, headers, body))
}

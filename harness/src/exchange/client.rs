//! Sends [`WireRequest`]s to one AWS JSON 1.1 endpoint over pooled connections: plain HTTP (the
//! emulators, on loopback) straight on hyper (`plain`), HTTPS (real AWS) through reqwest and rustls.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use http::{HeaderName, HeaderValue};
use reqwest::Url;

use super::error::ExchangeError;
use super::layer::Layer;
use super::plain::Plain;
use super::sign::{sign, SERVICE};
use super::wire::{WireRequest, WireResponse, CONTENT_TYPE};

const TARGET_HEADER: &str = "x-amz-target";

/// Where requests go and who signs them.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
    pub region: String,
    pub credentials: Credentials,
    /// Permits hosts other than loopback; only a deliberately configured real-AWS target sets it.
    pub allow_remote: bool,
}

/// One reusable HTTP client bound to one endpoint.
#[derive(Debug)]
pub struct Client {
    /// HTTPS endpoints; plain-HTTP ones use `plain`.
    http: reqwest::Client,
    endpoint: Endpoint,
    /// The endpoint, parsed once: `url` for reqwest, `uri` for the request that is signed.
    url: Url,
    uri: http::Uri,
    timeout: Duration,
    max_body: usize,
    /// Guard, pacing and retries for real services; emulators get none.
    layer: Option<Arc<Layer>>,
    /// Plain-HTTP endpoints (emulators) are sent straight on hyper; HTTPS goes through `http`.
    plain: Option<Plain>,
}

impl Client {
    /// Validates the endpoint (refusing non-loopback hosts unless allowed) and builds the pooled client.
    pub fn new(
        endpoint: Endpoint,
        timeout: Duration,
        max_body: usize,
    ) -> Result<Client, ExchangeError> {
        let url = check_endpoint(&endpoint.url, endpoint.allow_remote)?;
        let uri = url.as_str().parse().map_err(|e: http::uri::InvalidUri| {
            ExchangeError::InvalidEndpoint {
                url: endpoint.url.clone(),
                reason: e.to_string(),
            }
        })?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .user_agent(concat!("cognito-drift/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ExchangeError::ClientBuild)?;
        let plain = (url.scheme() == "http").then(|| {
            let host = url.host_str().unwrap_or("localhost");
            let bare = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned();
            Plain::new(
                authority(&url),
                bare,
                url.port_or_known_default().unwrap_or(80),
            )
        });
        Ok(Client {
            http,
            endpoint,
            url,
            uri,
            timeout,
            max_body,
            layer: None,
            plain,
        })
    }

    /// Wraps every later send in `layer` (admission guard, pacing, retries).
    pub fn with_layer(mut self, layer: Arc<Layer>) -> Client {
        self.layer = Some(layer);
        self
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends `req` as a POST to the endpoint and reads the whole answer, whatever its status.
    pub async fn send(&self, req: &WireRequest) -> Result<WireResponse, ExchangeError> {
        self.send_as(req, SERVICE).await
    }

    /// Like [`Client::send`], signing for another service's signing name (`sts` for the account check).
    pub async fn send_as(
        &self,
        req: &WireRequest,
        service: &str,
    ) -> Result<WireResponse, ExchangeError> {
        let Some(layer) = &self.layer else {
            return self.send_once(req, service).await;
        };
        let req = layer
            .admit(req)
            .map_err(|reason| ExchangeError::Refused { reason })?;
        let mut attempt = 1;
        loop {
            layer.pace(&req).await;
            let resp = self.send_once(&req, service).await?;
            match layer.retry_after(attempt, &resp) {
                Some(delay) => {
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                }
                None => {
                    layer.observe(&req, &resp);
                    return Ok(resp);
                }
            }
        }
    }

    async fn send_once(
        &self,
        req: &WireRequest,
        service: &str,
    ) -> Result<WireResponse, ExchangeError> {
        let request = self.build(req, service, SystemTime::now())?;
        let started = Instant::now();
        let operation = req
            .target
            .as_deref()
            .map_or("-", |t| t.rsplit('.').next().unwrap_or(t));
        let answer = match &self.plain {
            Some(plain) => self.send_plain(plain, request).await,
            None => self.send_reqwest(request).await,
        };
        let (status, headers, body) = answer.inspect_err(|err| {
            tracing::debug!(operation, elapsed_ms = elapsed_ms(started), error = %err, "request failed");
        })?;
        tracing::debug!(
            operation,
            status,
            bytes = body.len(),
            elapsed_ms = elapsed_ms(started),
            "request"
        );
        Ok(WireResponse {
            status,
            headers,
            body,
            elapsed: started.elapsed(),
        })
    }

    /// Over the plain-HTTP connections, within the timeout (connecting included).
    async fn send_plain(
        &self,
        plain: &Plain,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<Answer, ExchangeError> {
        // Signed on the absolute URI; sent in origin form, as reqwest sends it.
        if let Some(path) = self.uri.path_and_query() {
            *request.uri_mut() = http::Uri::from(path.clone());
        }
        let sent = tokio::time::timeout(self.timeout, plain.send(request, self.max_body)).await;
        let (status, headers, body) = sent
            .map_err(|_| ExchangeError::Timeout {
                url: self.url.as_str().to_owned(),
                timeout: self.timeout,
            })?
            .map_err(|err| ExchangeError::from_plain(self.url.as_str(), err))?;
        Ok((status.as_u16(), header_pairs(&headers), body))
    }

    async fn send_reqwest(&self, request: http::Request<Vec<u8>>) -> Result<Answer, ExchangeError> {
        let mut resp = self
            .http
            .execute(self.to_reqwest(request))
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        let headers = header_pairs(resp.headers());
        let body = self.read_body(&mut resp).await?;
        Ok((status, headers, body))
    }

    /// The whole body, refused as soon as it would pass `max_body` (announced or streamed).
    async fn read_body(&self, resp: &mut reqwest::Response) -> Result<Vec<u8>, ExchangeError> {
        let too_large = || ExchangeError::BodyTooLarge {
            limit: self.max_body,
        };
        if resp
            .content_length()
            .is_some_and(|len| len > self.max_body as u64)
        {
            return Err(too_large());
        }
        let announced = resp.content_length().map_or(0, |len| len as usize);
        let mut body = Vec::with_capacity(announced);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(e))? {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The final request: protocol defaults, overridden by the request's own headers, then signed.
    fn build(
        &self,
        req: &WireRequest,
        service: &str,
        now: SystemTime,
    ) -> Result<http::Request<Vec<u8>>, ExchangeError> {
        let overridden = |default: &str| {
            req.headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case(default))
        };
        let mut http_req = http::Request::new(req.body.clone());
        *http_req.method_mut() = http::Method::POST;
        *http_req.uri_mut() = self.uri.clone();
        // The protocol defaults need no parsing: their names and the content type are constants.
        let out = http_req.headers_mut();
        if !overridden("content-type") {
            out.append(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(CONTENT_TYPE),
            );
        }
        if let Some(target) = req.target.as_deref().filter(|_| !overridden(TARGET_HEADER)) {
            let value =
                HeaderValue::from_str(target).map_err(|_| ExchangeError::InvalidHeader {
                    name: TARGET_HEADER.to_owned(),
                })?;
            out.append(HeaderName::from_static(TARGET_HEADER), value);
        }
        for (name, value) in &req.headers {
            let invalid = || ExchangeError::InvalidHeader {
                name: name.to_owned(),
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            out.append(name, value);
        }
        if req.sign {
            sign(
                &mut http_req,
                &self.endpoint.credentials,
                &self.endpoint.region,
                service,
                now,
            )
            .map_err(ExchangeError::Sign)?;
        }
        Ok(http_req)
    }

    /// The signed request as reqwest's, on the parsed endpoint: `reqwest::Request::try_from` would print
    /// the URI and parse it again on every request.
    fn to_reqwest(&self, req: http::Request<Vec<u8>>) -> reqwest::Request {
        let (parts, body) = req.into_parts();
        let mut request = reqwest::Request::new(parts.method, self.url.clone());
        *request.headers_mut() = parts.headers;
        *request.version_mut() = parts.version;
        *request.body_mut() = Some(body.into());
        *request.timeout_mut() = Some(self.timeout);
        request
    }

    fn transport_error(&self, err: reqwest::Error) -> ExchangeError {
        ExchangeError::from_transport(self.url.as_str(), self.timeout, err)
    }
}

/// Status, headers (names lower case, values as text) and body of an answer.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                // Header names are lower case in `http` already.
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The URL's `host:port` as a `Host` header gives it: without the port when it is the default.
fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or("localhost");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Parses the endpoint URL and applies the loopback guard before anything can connect.
fn check_endpoint(raw: &str, allow_remote: bool) -> Result<Url, ExchangeError> {
    let invalid = |reason: &str| ExchangeError::InvalidEndpoint {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    let host = url.host_str().ok_or_else(|| invalid("no host"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    };
    if !loopback && !allow_remote {
        return Err(ExchangeError::RefusedNonLoopback {
            host: host.to_string(),
        });
    }
    Ok(url)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "client_tests.rs"]
mod tests;

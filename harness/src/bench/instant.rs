//! A loopback HTTP/1.1 server that answers every request with `200 {}` at once: with no target work
//! in the way, wrk's rate and the harness's rate against it are each client's own ceiling.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const REPLY: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 2\r\n\r\n{}";
/// Requests with larger heads are dropped: the bench sends small ones.
const MAX_HEAD: usize = 64 * 1024;

/// A running instant server; dropping it stops accepting connections.
#[derive(Debug)]
pub struct InstantServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for InstantServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Listens on `addr` (use port 0 for a free one) and serves until dropped.
pub async fn serve_instant(addr: SocketAddr) -> std::io::Result<InstantServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(connection(stream));
        }
    });
    Ok(InstantServer { addr, task })
}

/// Answers each request on a keep-alive connection as soon as its body has arrived.
async fn connection(mut stream: TcpStream) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        while let Some(len) = complete_request(&buf) {
            if stream.write_all(REPLY).await.is_err() {
                return;
            }
            buf.drain(..len);
        }
        if buf.len() > MAX_HEAD {
            return;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The length of the first complete request (head and `content-length` body) in `buf`, if any.
fn complete_request(buf: &[u8]) -> Option<usize> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let body_len = buf[..head_end]
        .split(|&b| b == b'\n')
        .find_map(|line| {
            let line = std::str::from_utf8(line).ok()?;
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let total = head_end + body_len;
    (buf.len() >= total).then_some(total)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_complete_once_its_body_is_in() {
        let req = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(complete_request(req), Some(req.len()));
        assert_eq!(complete_request(&req[..req.len() - 1]), None);
        assert_eq!(complete_request(b"POST / HTTP/1.1\r\nHost: x\r\n"), None);
        let bare = b"GET / HTTP/1.1\r\n\r\nnext";
        assert_eq!(complete_request(bare), Some(bare.len() - 4));
    }

    #[tokio::test]
    async fn answers_each_keep_alive_request() {
        let server = serve_instant("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let req = b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}";
        let mut got = Vec::new();
        for _ in 0..2 {
            s.write_all(req).await.unwrap();
            let mut buf = vec![0u8; REPLY.len()];
            s.read_exact(&mut buf).await.unwrap();
            got.push(buf);
        }
        assert!(got.iter().all(|r| r == REPLY));
    }
}

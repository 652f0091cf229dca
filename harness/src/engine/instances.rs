//! Several processes of one target: each scenario runs wholly on one of them, the least loaded when
//! it starts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::exchange::Client;

/// The target's instances and how many scenarios each is running now.
#[derive(Debug)]
pub(crate) struct Instances {
    clients: Vec<Arc<Client>>,
    running: Vec<AtomicUsize>,
}

/// A scenario's hold on one instance; dropping it (also when the scenario's task panics) frees it.
#[derive(Debug)]
pub(crate) struct Lease {
    instances: Arc<Instances>,
    pub(crate) index: usize,
}

impl Instances {
    pub(crate) fn new(clients: &[Arc<Client>]) -> Self {
        Instances {
            clients: clients.to_vec(),
            running: clients.iter().map(|_| AtomicUsize::new(0)).collect(),
        }
    }

    /// The instance running the fewest scenarios (the first of those on a tie); `None` without any.
    pub(crate) fn lease(self: &Arc<Self>) -> Option<Lease> {
        let index =
            (0..self.clients.len()).min_by_key(|&i| self.running[i].load(Ordering::SeqCst))?;
        self.running[index].fetch_add(1, Ordering::SeqCst);
        Some(Lease {
            instances: self.clone(),
            index,
        })
    }
}

impl Lease {
    pub(crate) fn client(&self) -> &Client {
        &self.instances.clients[self.index]
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.instances.running[self.index].fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn client() -> Arc<Client> {
        let endpoint = crate::exchange::Endpoint {
            url: "http://127.0.0.1:9".into(),
            region: "us-east-1".into(),
            credentials: aws_credential_types::Credentials::new("A", "B", None, None, "t"),
            allow_remote: false,
        };
        Arc::new(Client::new(endpoint, Duration::from_secs(1), 1024).unwrap())
    }

    #[test]
    fn leases_go_to_the_least_loaded_instance() {
        let pool = Arc::new(Instances::new(&[client(), client()]));
        let a = pool.lease().unwrap();
        let b = pool.lease().unwrap();
        assert_eq!((a.index, b.index), (0, 1));
        drop(a);
        let c = pool.lease().unwrap();
        assert_eq!(c.index, 0, "the freed instance is the least loaded");
        let d = pool.lease().unwrap();
        assert_eq!(d.index, 0, "a tie goes to the first");
        assert!(Arc::new(Instances::new(&[])).lease().is_none());
    }
}

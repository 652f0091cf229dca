//! A scenario's share of the run's concurrency (`--jobs`), given back while the scenario only waits
//! on the clock (for a fresh TOTP time step), so the wait overlaps other scenarios' work.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One of the run's `jobs` places, held by a running scenario.
#[derive(Debug)]
pub struct Slot {
    semaphore: Arc<Semaphore>,
    permit: Option<OwnedSemaphorePermit>,
}

impl Slot {
    /// Waits for a free place among `semaphore`'s.
    pub async fn take(semaphore: Arc<Semaphore>) -> Slot {
        let permit = semaphore.clone().acquire_owned().await.ok();
        Slot { semaphore, permit }
    }

    /// Lets another scenario run while this one sleeps.
    pub(crate) fn give_back(&mut self) {
        self.permit = None;
    }

    /// Takes a place again after [`Slot::give_back`] (at once when it was never given back).
    pub(crate) async fn take_again(&mut self) {
        if self.permit.is_none() {
            self.permit = self.semaphore.clone().acquire_owned().await.ok();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_given_back_frees_its_place_until_taken_again() {
        let sem = Arc::new(Semaphore::new(1));
        let mut slot = Slot::take(sem.clone()).await;
        assert_eq!(sem.available_permits(), 0);
        slot.give_back();
        assert_eq!(sem.available_permits(), 1);
        slot.take_again().await;
        assert_eq!(sem.available_permits(), 0);
        drop(slot);
        assert_eq!(sem.available_permits(), 1);
    }
}

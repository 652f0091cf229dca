//! Every key a scenario file may hold, as the loader checks them: the lists live next to the code that
//! reads each block, and this module gathers them, so the fuzz dictionary is built from the format
//! itself and cannot drift from it.

use super::{expect, fixtures, load, steps};

/// The key lists of every block: the top level, the fixtures (pool, its MFA and e-mail settings,
/// client, users), a step, a raw request and an expectation. Keys repeat between blocks.
pub(crate) const KEY_LISTS: &[&[&str]] = &[
    load::TOP_KEYS,
    fixtures::FIXTURE_KEYS,
    fixtures::POOL_KEYS,
    fixtures::EMAIL_SENDING_KEYS,
    fixtures::SMS_KEYS,
    fixtures::EMAIL_KEYS,
    fixtures::CLIENT_KEYS,
    fixtures::USER_KEYS,
    steps::STEP_KEYS,
    steps::RAW_KEYS,
    expect::EXPECT_KEYS,
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A new block's key list is declared like the others (`const …_KEYS: &[&str]`); one left out
    /// of [`KEY_LISTS`] fails here, not silently in the fuzz dictionary.
    #[test]
    fn every_key_list_of_the_loader_is_gathered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scenario");
        let declaration = ["_KEYS", ": &[&str] = &["].concat();
        let declared: usize = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .map(|text| text.lines().filter(|l| l.contains(&declaration)).count())
            .sum();
        assert_eq!(declared, KEY_LISTS.len());
        assert!(KEY_LISTS.iter().all(|list| !list.is_empty()));
    }
}

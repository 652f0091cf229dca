//! `--shard k/n`: split a suite over `n` machines by a stable hash of each scenario's name, so a
//! scenario stays in its shard when others are added, removed or renamed.

use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`, as written on the command line: `2/3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("expected `k/n` (such as `1/3`), got `{0}`")]
    Syntax(String),
    #[error("shard count must be at least 1")]
    ZeroCount,
    #[error("shard index {index} is outside 1..={count}")]
    OutOfRange { index: u32, count: u32 },
}

impl Shard {
    /// Whether the scenario named `name` belongs to this shard: `fnv1a64(name) mod n == k - 1`.
    pub fn contains(&self, name: &str) -> bool {
        fnv1a64(name.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(s.to_owned());
        let (k, n) = s.split_once('/').ok_or_else(syntax)?;
        let index: u32 = k.trim().parse().map_err(|_| syntax())?;
        let count: u32 = n.trim().parse().map_err(|_| syntax())?;
        if count == 0 {
            return Err(ShardError::ZeroCount);
        }
        if index == 0 || index > count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a, 64 bits: fixed by its specification, unlike `std`'s hasher, so shard assignment never
/// changes with the Rust version or the platform.
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!("1/1".parse::<Shard>().unwrap().to_string(), "1/1");
    }

    #[test]
    fn rejects_bad_shards() {
        assert_eq!(
            "3".parse::<Shard>(),
            Err(ShardError::Syntax("3".to_owned()))
        );
        assert_eq!(
            "a/b".parse::<Shard>(),
            Err(ShardError::Syntax("a/b".to_owned()))
        );
        assert_eq!("1/0".parse::<Shard>(), Err(ShardError::ZeroCount));
        assert_eq!(
            "0/2".parse::<Shard>(),
            Err(ShardError::OutOfRange { index: 0, count: 2 })
        );
        assert_eq!(
            "3/2".parse::<Shard>().unwrap_err().to_string(),
            "shard index 3 is outside 1..=2"
        );
    }

    /// The published FNV-1a test vectors: the assignment is part of the documented interface.
    #[test]
    fn hash_is_fnv1a_64() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn every_name_lands_in_exactly_one_shard() {
        let names: Vec<String> = (0..200).map(|i| format!("scenario-{i}")).collect();
        for count in 1..=6 {
            let mut sizes = vec![0; count as usize];
            for name in &names {
                let owners: Vec<u32> = (1..=count)
                    .filter(|&index| Shard { index, count }.contains(name))
                    .collect();
                assert_eq!(owners.len(), 1, "{name} in {owners:?} of {count}");
                sizes[owners[0] as usize - 1] += 1;
            }
            assert!(sizes.iter().all(|&s| s > 0), "{count}: {sizes:?}");
        }
    }
}

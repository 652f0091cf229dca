//! A seeded, deterministic byte stream for `arbitrary::Unstructured`: one seed and iteration, one payload.

/// How many bytes each iteration's `Unstructured` draws from; enough for several nested choices.
pub const BYTES_PER_ITERATION: usize = 4096;

/// The bytes that drive iteration `iteration` of a run seeded with `seed` (SplitMix64).
pub fn iteration_bytes(seed: u64, iteration: u64) -> Vec<u8> {
    let mut state = seed ^ iteration.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let mut out = Vec::with_capacity(BYTES_PER_ITERATION);
    while out.len() < BYTES_PER_ITERATION {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_iteration_give_the_same_bytes() {
        assert_eq!(iteration_bytes(7, 3), iteration_bytes(7, 3));
        assert_ne!(iteration_bytes(7, 3), iteration_bytes(7, 4));
        assert_ne!(iteration_bytes(7, 3), iteration_bytes(8, 3));
        assert_eq!(iteration_bytes(0, 0).len(), BYTES_PER_ITERATION);
    }
}

//! Infallible draws from `arbitrary::Unstructured`: an exhausted source yields the smallest choice, so a
//! generator always finishes and stays deterministic for a given byte stream.

use arbitrary::Unstructured;

/// Choices made from a byte source.
#[derive(Debug)]
pub(crate) struct Draw<'a, 'b> {
    u: &'a mut Unstructured<'b>,
}

impl<'a, 'b> Draw<'a, 'b> {
    pub fn new(u: &'a mut Unstructured<'b>) -> Self {
        Draw { u }
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo` or the source is exhausted).
    pub(crate) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        self.u.int_in_range(lo..=hi).unwrap_or(lo)
    }

    /// An index below `len` (0 for an empty range).
    pub fn index(&mut self, len: usize) -> usize {
        if len <= 1 {
            return 0;
        }
        self.u.choose_index(len).unwrap_or(0)
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: u32, den: u32) -> bool {
        if num == 0 || den == 0 {
            return false;
        }
        let roll = self.int(0, i64::from(den) - 1);
        roll >= i64::from(den) - i64::from(num)
    }

    pub(crate) fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            return None;
        }
        let i = self.index(items.len());
        items.get(i).cloned()
    }

    pub fn byte(&mut self) -> u8 {
        u8::try_from(self.int(0, 255)).unwrap_or(0)
    }

    /// Letters and digits, `len` of them.
    pub(crate) fn alnum(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..len)
            .map(|_| char::from(ALPHABET[self.index(ALPHABET.len())]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhausted_source_gives_the_smallest_choice() {
        let mut u = Unstructured::new(&[]);
        let mut d = Draw::new(&mut u);
        assert_eq!(d.int(3, 9), 3);
        assert_eq!(d.index(5), 0);
        assert!(!d.chance(1, 2));
        assert_eq!(d.pick(&["a", "b"]), Some("a"));
        assert_eq!(d.pick::<u8>(&[]), None);
        assert_eq!(d.alnum(2), "aa");
    }

    #[test]
    fn draws_stay_in_range() {
        let data: Vec<u8> = (0..=255).collect();
        let mut u = Unstructured::new(&data);
        let mut d = Draw::new(&mut u);
        for _ in 0..50 {
            let n = d.int(-2, 2);
            assert!((-2..=2).contains(&n));
            assert!(d.index(3) < 3);
        }
    }
}

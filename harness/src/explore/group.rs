//! Grouping findings by signature (pure): every finding of a run with the same signature is one
//! entry, with a count, the targets that showed it, the variants (action input and model state) it
//! was seen in, and one representative sequence — the first, cut after the finding's action — which
//! is the one that gets shrunk. The entry's scenario name is a hash of the signature alone.

use std::collections::{BTreeSet, HashMap};

use super::action::Sequence;
use super::judge::{Finding, Signature};

/// One deduplicated finding.
#[derive(Debug, Clone)]
pub struct Entry {
    pub signature: Signature,
    /// Sequences that showed it.
    pub count: usize,
    /// Index of the first sequence that showed it (with the seed, it replays).
    pub first_sequence: u64,
    /// The representative: the first sequence that showed it, cut after the finding's action.
    pub example: Sequence,
    /// The first occurrence's action with its input class, model state and detail.
    pub label: String,
    pub predicate: String,
    pub detail: String,
    /// Every target that showed it, in any sequence.
    pub targets: BTreeSet<String>,
    /// The distinct `action input | model state` it was seen in.
    pub variants: BTreeSet<String>,
    /// Covered already: a ledger entry of a target that showed it, or a kept scenario, has its name.
    pub known: bool,
    pub shrunk: Option<Sequence>,
    pub shrink_replays: usize,
    /// `Some(false)`: the shrunk sequence did not replay, reported as flaky and not written.
    pub confirmed: Option<bool>,
}

impl Entry {
    /// The scenario name a written finding gets, stable for its signature.
    pub fn scenario_name(&self) -> String {
        scenario_name(&self.signature)
    }
}

/// `explore-<operation>-<kind>-<hash of the signature key>`, stable for a signature.
pub fn scenario_name(sig: &Signature) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in sig.key().bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let op = sig.action.split('(').next().unwrap_or_default();
    format!(
        "explore-{}-{}-{hash:08x}",
        crate::fuzz::kebab(op),
        sig.kind.as_str()
    )
}

/// What is covered already: the scenario names each target's divergence ledger lists, and the
/// names of the scenarios kept under `scenarios/found/` (a divergence with no documented answer has
/// a kept scenario but no ledger entry).
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub ledgers: HashMap<String, Vec<String>>,
    pub kept: BTreeSet<String>,
}

impl Known {
    fn covers<'a>(&self, name: &str, mut targets: impl Iterator<Item = &'a String>) -> bool {
        self.kept.contains(name)
            || targets.any(|t| {
                self.ledgers
                    .get(t)
                    .is_some_and(|names| names.iter().any(|n| n == name))
            })
    }
}

/// The entries of a run, in the order their signatures were first seen.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    pub entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Groups {
    /// Adds the findings of sequence `index` (`seq` as it ran). A signature shown twice in one
    /// sequence (two targets departing alike) counts once.
    pub fn add(&mut self, index: u64, seq: &Sequence, findings: &[Finding], known: &Known) {
        let mut seen = BTreeSet::new();
        for f in findings {
            let key = f.signature.key();
            let variant = format!("{} | {}", f.label, f.predicate);
            let at = match self.index.get(&key) {
                Some(&at) => at,
                None => {
                    let mut example = seq.clone();
                    example.actions.truncate(f.action + 1);
                    self.index.insert(key.clone(), self.entries.len());
                    self.entries.push(Entry {
                        signature: f.signature.clone(),
                        count: 0,
                        first_sequence: index,
                        example,
                        label: f.label.clone(),
                        predicate: f.predicate.clone(),
                        detail: f.detail.clone(),
                        targets: BTreeSet::new(),
                        variants: BTreeSet::new(),
                        known: false,
                        shrunk: None,
                        shrink_replays: 0,
                        confirmed: None,
                    });
                    self.entries.len() - 1
                }
            };
            let e = &mut self.entries[at];
            if seen.insert(key) {
                e.count += 1;
            }
            e.targets.extend(f.targets.iter().cloned());
            e.variants.insert(variant);
            e.known = known.covers(&e.scenario_name(), e.targets.iter());
        }
    }
}

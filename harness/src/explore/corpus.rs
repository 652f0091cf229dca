//! Coverage guidance: a sequence that reaches a combination of model state and predicted outcome not
//! seen before is kept and mutated further. Coverage is computed from the model alone, so which
//! sequences are kept, and so every later sequence, depends on the seed only, never on the targets.

use std::collections::BTreeSet;
use std::path::Path;

use super::action::Sequence;
use super::judge::action_label;
use super::model::{self, Prediction};

/// The kept sequences and the coverage they reached.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub entries: Vec<Sequence>,
    seen: BTreeSet<String>,
}

/// The file inside `--corpus DIR`.
pub const FILE: &str = "explore-corpus.json";

fn predicted_class(p: &[Prediction]) -> String {
    if p.is_empty() {
        return "unknown".to_owned();
    }
    p.iter()
        .map(|x| format!("{}:{:?}", x.fact.id, x.expects))
        .collect::<Vec<_>>()
        .join(";")
}

/// The coverage keys of a sequence: per action, its label, the state it met and what was predicted.
pub fn coverage(seq: &Sequence) -> Vec<String> {
    let (kept, predicted) = model::plan(seq);
    kept.actions
        .iter()
        .zip(&predicted)
        .map(|(a, p)| {
            format!(
                "{} | {} | {} | {}",
                action_label(a),
                p.predicate,
                predicted_class(&p.main),
                predicted_class(&p.answer)
            )
        })
        .collect()
}

impl Corpus {
    /// Adds `seq` when it reaches new coverage; says whether it did.
    pub fn offer(&mut self, seq: &Sequence) -> bool {
        let mut new = false;
        for key in coverage(seq) {
            new |= self.seen.insert(key);
        }
        if new {
            self.entries.push(seq.clone());
        }
        new
    }

    /// Coverage points reached so far.
    pub fn points(&self) -> usize {
        self.seen.len()
    }

    /// Reads `DIR/explore-corpus.json` (an absent file is an empty corpus).
    pub fn load(dir: &Path) -> std::io::Result<Corpus> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Corpus::default()),
            Err(e) => return Err(e),
        };
        let entries: Vec<Sequence> = serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let mut c = Corpus::default();
        for s in &entries {
            c.offer(s);
        }
        Ok(c)
    }

    /// Writes the corpus to `DIR/explore-corpus.json`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_string_pretty(&self.entries).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(FILE), text)
    }
}

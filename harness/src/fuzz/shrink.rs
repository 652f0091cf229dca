//! Minimising a failing payload: propose smaller payloads, keep any that still fails the same way.
//!
//! The shrinker is a state machine (`next` / `report`) rather than a loop over a closure so that the live
//! fuzzer can test each candidate with an async request; [`shrink`] is the loop for a synchronous oracle.

use super::doc::{Body, Doc, Payload};
use super::tree;

/// Greedy minimisation: every accepted candidate is strictly shorter, so it always ends.
#[derive(Debug, Clone)]
pub struct Shrinker {
    best: Payload,
    queue: Vec<Payload>,
    budget: usize,
    tried: usize,
    in_flight: Option<Payload>,
}

impl Shrinker {
    /// `budget` bounds the candidates tested (each is one request in a live run).
    pub fn new(failing: Payload, budget: usize) -> Self {
        let queue = candidates(&failing);
        Shrinker {
            best: failing,
            queue,
            budget,
            tried: 0,
            in_flight: None,
        }
    }

    /// The next candidate to test, or `None` when done or out of budget.
    pub fn next_candidate(&mut self) -> Option<&Payload> {
        if self.tried >= self.budget {
            return None;
        }
        let candidate = self.queue.pop()?;
        self.tried += 1;
        self.in_flight = Some(candidate);
        self.in_flight.as_ref()
    }

    /// Whether the last candidate failed the same way; if it did it becomes the best so far.
    pub fn report(&mut self, same_failure: bool) {
        if let Some(candidate) = self.in_flight.take() {
            if same_failure {
                self.queue = candidates(&candidate);
                self.best = candidate;
            }
        }
    }

    /// Candidates tested so far.
    pub fn tried(&self) -> usize {
        self.tried
    }

    #[cfg(test)]
    pub(crate) fn best(&self) -> &Payload {
        &self.best
    }

    pub fn finish(self) -> Payload {
        self.best
    }
}

/// Minimises `failing` with a synchronous oracle (`true`: still the same failure).
pub fn shrink(
    failing: Payload,
    budget: usize,
    mut same_failure: impl FnMut(&Payload) -> bool,
) -> Payload {
    let mut s = Shrinker::new(failing, budget);
    while let Some(candidate) = s.next_candidate() {
        let verdict = same_failure(candidate);
        s.report(verdict);
    }
    s.finish()
}

/// Strictly shorter variants of `p`, ordered so that `pop` yields the most promising (largest cut) first.
fn candidates(p: &Payload) -> Vec<Payload> {
    let len = p.len();
    let bodies = match &p.body {
        Body::Json(doc) => json_candidates(doc),
        Body::Raw(bytes) => raw_candidates(bytes),
    };
    let mut out: Vec<Payload> = bodies
        .into_iter()
        .map(|body| Payload {
            operation: p.operation.clone(),
            kind: p.kind,
            body,
        })
        .filter(|c| c.len() < len)
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(len - c.len()));
    out.reverse();
    out
}

fn json_candidates(doc: &Doc) -> Vec<Body> {
    let mut out = Vec::new();
    for path in tree::paths(doc) {
        if !path.is_empty() {
            let mut smaller = doc.clone();
            if tree::remove(&mut smaller, &path) {
                out.push(Body::Json(smaller));
            }
        }
        let Some(node) = tree::get(doc, &path) else {
            continue;
        };
        for simpler in simpler_values(node) {
            let mut smaller = doc.clone();
            if let Some(slot) = tree::get_mut(&mut smaller, &path) {
                *slot = simpler;
                out.push(Body::Json(smaller));
            }
        }
    }
    out
}

/// Shorter values of the same JSON type (strings and lists halved, numbers zeroed).
fn simpler_values(node: &Doc) -> Vec<Doc> {
    match node {
        Doc::Str(s) if !s.is_empty() => {
            let chars: Vec<char> = s.chars().collect();
            let mut out = vec![Doc::Str(chars[..chars.len() / 2].iter().collect())];
            if chars.len() > 1 {
                out.push(Doc::Str(chars[1..].iter().collect()));
                out.push(Doc::Str(chars[..chars.len() - 1].iter().collect()));
            }
            out
        }
        Doc::Int(i) if *i != 0 => vec![Doc::Int(0)],
        Doc::Float(_) | Doc::Verbatim(_) => vec![Doc::Int(0)],
        Doc::List(items) if items.len() > 1 => vec![Doc::List(items[..items.len() / 2].to_vec())],
        Doc::Object(members) if members.len() > 1 => {
            vec![Doc::Object(members[..members.len() / 2].to_vec())]
        }
        _ => Vec::new(),
    }
}

/// Chunk deletions, large chunks first (delta debugging's complement step).
fn raw_candidates(bytes: &[u8]) -> Vec<Body> {
    let mut out = Vec::new();
    let mut chunk = bytes.len();
    while chunk >= 1 {
        let mut start = 0;
        while start < bytes.len() {
            let end = (start + chunk).min(bytes.len());
            let mut smaller = bytes[..start].to_vec();
            smaller.extend_from_slice(&bytes[end..]);
            out.push(Body::Raw(smaller));
            start += chunk;
        }
        if out.len() > 512 {
            break;
        }
        chunk /= 2;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fuzz::doc::Var;
    use crate::fuzz::generate::MutationKind;

    fn json(doc: Doc) -> Payload {
        Payload {
            operation: "SetUserMFAPreference".into(),
            kind: MutationKind::UnknownMember,
            body: Body::Json(doc),
        }
    }

    #[test]
    fn keeps_only_what_the_failure_needs() {
        let failing = json(Doc::Object(vec![
            ("AccessToken".into(), Doc::Var(Var::AccessToken)),
            (
                "SMSMfaSettings".into(),
                Doc::Object(vec![
                    ("Enabled".into(), Doc::Bool(true)),
                    ("PreferredMfa".into(), Doc::Bool(false)),
                ]),
            ),
            ("Extra".into(), Doc::Str("a long useless value".into())),
        ]));
        // A fake oracle: the failure is "a member named Extra is present".
        let oracle = |p: &Payload| {
            String::from_utf8(p.template())
                .unwrap()
                .contains("\"Extra\"")
        };
        assert!(oracle(&failing));
        let min = shrink(failing, 500, oracle);
        assert_eq!(
            String::from_utf8(min.template()).unwrap(),
            "{\"Extra\":\"\"}"
        );
        assert_eq!(min.kind, MutationKind::UnknownMember);
    }

    #[test]
    fn raw_bodies_shrink_to_the_needed_bytes() {
        let failing = Payload {
            operation: "SetUserMFAPreference".into(),
            kind: MutationKind::RawBody,
            body: Body::Raw(b"{\"AccessToken\":\"x\",\xff\"Enabled\":true}".to_vec()),
        };
        let oracle = |p: &Payload| p.template().contains(&0xff);
        let min = shrink(failing, 1_000, oracle);
        assert_eq!(min.template(), b"\xff");
    }

    #[test]
    fn budget_bounds_the_work_and_a_passing_candidate_is_dropped() {
        let failing = json(Doc::List((0..50).map(Doc::Int).collect()));
        let mut calls = 0;
        let min = shrink(failing.clone(), 10, |_| {
            calls += 1;
            false
        });
        assert_eq!(calls, 10);
        assert_eq!(min, failing);
    }

    #[test]
    fn state_machine_reports_progress() {
        let mut s = Shrinker::new(json(Doc::Str("abcdef".into())), 100);
        let first = s.next_candidate().cloned().unwrap();
        assert!(first.len() < s.best().len());
        s.report(true);
        assert_eq!(s.best(), &first);
        assert_eq!(s.tried(), 1);
    }
}

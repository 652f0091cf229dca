//! The exploration loop: draw sequences (fresh or mutated from the corpus), run each on every target
//! in lockstep (several sequences in flight), judge, deduplicate findings by signature, then shrink
//! and confirm each new one. Results are taken in sequence order, so one seed gives the same
//! sequences and, on the same targets, the same findings.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::action::Sequence;
use super::corpus::Corpus;
use super::generate::{self, Shape};
use super::group::{scenario_name, Entry, Groups, Known};
use super::judge::{self, Kind};
use super::lockstep::{prepare, run_on, Outcome, Prepared, Target};
use super::render::Header;
use super::shrink::{self, reproduces};
use crate::fuzz::iteration_bytes;

/// How much to explore.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    Sequences(u64),
    Duration(Duration),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    pub budget: Budget,
    pub shape: Shape,
    /// Sequences in flight at once (each runs on every target).
    pub jobs: usize,
    /// Replays spent shrinking each new finding.
    pub shrink_budget: usize,
    /// No new finding starts shrinking after this long (the rest are reported unshrunk, unwritten).
    pub shrink_time: Option<Duration>,
}

/// Per target: what it ran and where it stopped.
#[derive(Debug, Clone, Default)]
pub struct TargetStats {
    pub steps: usize,
    /// Every request: fixture calls, steps and the pool's deletion.
    pub requests: usize,
    /// Time spent inside the target's runs (fixtures, steps, teardown).
    pub busy: Duration,
    pub sequences: usize,
    /// Operation or feature refused → sequences it ended.
    pub unsupported: BTreeMap<String, usize>,
    /// `(sequence index, steps answered before the fault, message)`.
    pub faults: Vec<(u64, usize, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub sequences: u64,
    pub targets: BTreeMap<String, TargetStats>,
    pub entries: Vec<Entry>,
    pub corpus_size: usize,
    pub coverage_points: usize,
    pub elapsed: Duration,
    pub shrink_elapsed: Duration,
    pub interrupted: bool,
    pub render_errors: Vec<String>,
}

impl Summary {
    pub fn new_findings(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.known)
    }
}

/// What progress reports carry.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub sequences: u64,
    pub steps: usize,
    pub findings: usize,
    pub elapsed: Duration,
    /// While shrinking: `(done, of)`.
    pub shrinking: Option<(usize, usize)>,
}

/// Sequence `index`: fresh, or a mutation of a corpus entry (both from the seed only).
pub fn sequence_at(corpus: &Corpus, seed: u64, index: u64, shape: Shape) -> Sequence {
    let roll = iteration_bytes(seed ^ 0x636f_7270, index)[0];
    if !corpus.entries.is_empty() && roll.is_multiple_of(2) {
        let pick =
            usize::from(iteration_bytes(seed ^ 0x7069_636b, index)[1]) % corpus.entries.len();
        generate::mutate(&corpus.entries[pick], seed, index, shape)
    } else {
        generate::fresh(seed, index, shape)
    }
}

fn budget_left(b: Budget, started: Instant, next: u64) -> bool {
    match b {
        Budget::Sequences(n) => next < n,
        Budget::Duration(d) => started.elapsed() < d,
    }
}

/// Explores until the budget is spent or `stop` is set; then shrinks and confirms each new finding
/// (skipped when stopped).
pub async fn explore(
    targets: &[Target],
    known: &Known,
    corpus: &mut Corpus,
    opts: &Options,
    stop: &Arc<AtomicBool>,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Summary {
    let started = Instant::now();
    let mut summary = Summary::default();
    for t in targets {
        summary
            .targets
            .insert(t.name.clone(), TargetStats::default());
    }
    let mut groups = Groups::default();
    let mut inflight: JoinSet<(u64, Prepared, Outcome)> = JoinSet::new();
    let mut done: BTreeMap<u64, (Prepared, Outcome)> = BTreeMap::new();
    let mut skipped: BTreeSet<u64> = BTreeSet::new();
    let (mut next, mut taken, mut steps) = (0u64, 0u64, 0usize);
    let targets_owned: Arc<Vec<Target>> = Arc::new(targets.to_vec());
    loop {
        while !stop.load(Ordering::Relaxed)
            && inflight.len() < opts.jobs.max(1)
            && budget_left(opts.budget, started, next)
        {
            let seq = sequence_at(corpus, opts.seed, next, opts.shape);
            corpus.offer(&seq);
            let header = Header {
                name: format!("explore-{next}"),
                ..Header::default()
            };
            match prepare(&seq, &header) {
                Ok(p) => {
                    let t = targets_owned.clone();
                    let i = next;
                    inflight.spawn(async move {
                        let o = run_on(&p, &t).await;
                        (i, p, o)
                    });
                }
                Err(e) => {
                    summary.render_errors.push(e.to_string());
                    skipped.insert(next);
                }
            }
            next += 1;
        }
        let Some(joined) = inflight.join_next().await else {
            break;
        };
        if let Ok((i, p, o)) = joined {
            done.insert(i, (p, o));
        }
        // Take results in sequence order (a sequence that failed to render leaves a gap).
        loop {
            if skipped.remove(&taken) {
                taken += 1;
                continue;
            }
            let Some((p, o)) = done.remove(&taken) else {
                break;
            };
            steps += o.steps();
            absorb(&mut summary, &mut groups, known, taken, &p, &o);
            taken += 1;
        }
        on_progress(&Progress {
            sequences: taken,
            steps,
            findings: groups.entries.len(),
            elapsed: started.elapsed(),
            shrinking: None,
        });
    }
    summary.sequences = taken;
    summary.entries = groups.entries;
    summary.elapsed = started.elapsed();
    summary.corpus_size = corpus.entries.len();
    summary.coverage_points = corpus.points();
    summary.interrupted = stop.load(Ordering::Relaxed);
    if !summary.interrupted {
        let shrink_started = Instant::now();
        shrink_all(&mut summary, targets, opts, stop, on_progress).await;
        summary.shrink_elapsed = shrink_started.elapsed();
    }
    summary
}

fn absorb(
    summary: &mut Summary,
    groups: &mut Groups,
    known: &Known,
    i: u64,
    p: &Prepared,
    o: &Outcome,
) {
    let setup = crate::plan::Plan::new(&p.scenario, "count", "us-east-1", "count")
        .calls
        .len();
    for (name, e) in &o.executions {
        let stats = summary.targets.entry(name.clone()).or_default();
        stats.sequences += 1;
        let sent = e.steps.iter().filter(|s| s.not_sent.is_none()).count();
        stats.steps += sent;
        let setup_done = e
            .fault
            .as_ref()
            .is_none_or(|f| !f.during.starts_with("setup"));
        stats.requests += sent + 1 + if setup_done { setup } else { 0 };
        stats.busy += e.elapsed;
        if let Some(what) = judge::unsupported(e) {
            *stats.unsupported.entry(what.to_owned()).or_default() += 1;
        }
        if let Some(msg) = judge::fault(e) {
            stats.faults.push((i, e.steps.len(), msg.to_owned()));
        }
    }
    groups.add(i, &p.sequence, &o.findings, known);
}

/// Shrinks and confirms every new finding, `jobs` findings at a time (each replays `jobs` candidates
/// at a time: most of a replay is waiting, on the target or on the next TOTP time step).
async fn shrink_all(
    summary: &mut Summary,
    targets: &[Target],
    opts: &Options,
    stop: &Arc<AtomicBool>,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) {
    // Contract findings first, then divergences, then unconfirmed ones: the order they matter in.
    let mut todo: Vec<usize> = (0..summary.entries.len())
        .filter(|&i| !summary.entries[i].known)
        .collect();
    todo.sort_by_key(|&i| summary.entries[i].signature.kind);
    let mut pending = todo.iter().copied();
    let mut set: JoinSet<(usize, Sequence, usize, bool)> = JoinSet::new();
    let mut done = 0;
    let started = Instant::now();
    let in_time = || opts.shrink_time.is_none_or(|t| started.elapsed() < t);
    loop {
        while set.len() < opts.jobs.max(1) && !stop.load(Ordering::Relaxed) && in_time() {
            let Some(i) = pending.next() else { break };
            let entry = &summary.entries[i];
            let sig = entry.signature.clone();
            let example = entry.example.clone();
            let involved: Vec<Target> = targets
                .iter()
                .filter(|t| entry.targets.contains(&t.name))
                .cloned()
                .collect();
            let (budget, batch, stop) = (opts.shrink_budget, opts.jobs, stop.clone());
            set.spawn(async move {
                let s = shrink::shrink(&example, &sig, &involved, budget, batch, &stop).await;
                // Confirm on every target the finding involves, twice: one that does not replay is flaky.
                let name = scenario_name(&sig);
                let mut confirmed = true;
                for _ in 0..2 {
                    confirmed &= reproduces(&s.sequence, &sig, &involved, &name).await;
                }
                (i, s.sequence, s.replays + 2, confirmed)
            });
        }
        on_progress(&Progress {
            sequences: summary.sequences,
            steps: summary.targets.values().map(|t| t.steps).sum(),
            findings: summary.entries.len(),
            elapsed: summary.elapsed,
            shrinking: Some((done, todo.len())),
        });
        let Some(joined) = set.join_next().await else {
            break;
        };
        done += 1;
        if let Ok((i, seq, replays, confirmed)) = joined {
            let e = &mut summary.entries[i];
            e.shrunk = Some(seq);
            e.shrink_replays = replays;
            e.confirmed = Some(confirmed);
        }
    }
    if stop.load(Ordering::Relaxed) {
        summary.interrupted = true;
    }
}

/// Whether a finding is one that `write` turns into a scenario.
pub fn writable(e: &Entry) -> bool {
    !e.known && e.confirmed == Some(true) && e.signature.kind != Kind::Unconfirmed
}

//! Live fuzzing: model-generated payloads sent to a running target with a valid fixture session, each
//! answer classed and judged by the oracles; every new failure is shrunk to its smallest payload.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::doc::{Payload, Var};
use super::fixture::{signed, Fixture};
use super::generate::{Generator, MutationKind, UnknownOperation};
use super::oracle::{self, Failure, Judged, Violation};
use super::outcome::OutcomeClass;
use super::shrink::Shrinker;
use super::source::iteration_bytes;
use crate::exchange::wire::WireRequest;
use crate::exchange::Client;
use crate::model::{Model, Operation};
use crate::observation::Normaliser;

/// When a session stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Iterations(u64),
    Duration(Duration),
}

#[derive(Debug, Clone)]
pub struct LiveOptions {
    pub operation: String,
    pub seed: u64,
    pub budget: Budget,
    /// Requests per second to each target; `None` sends as fast as the target answers.
    pub rate: Option<NonZeroU32>,
    /// Answers slower than this break the response-time oracle.
    pub latency_bound: Duration,
    /// Requests spent shrinking each new failure.
    pub shrink_budget: usize,
}

/// One target under test: where to send, and its live fixture.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub client: &'a Client,
    pub fixture: &'a Fixture,
}

/// How often a class was reached, first by which payload.
#[derive(Debug, Clone)]
pub struct ClassStats {
    pub count: u64,
    pub first_iteration: u64,
    /// The first payload that reached the class: the kept corpus.
    pub example: Payload,
    pub violations: Vec<Violation>,
}

/// A failure, shrunk.
#[derive(Debug, Clone)]
pub struct Found {
    pub failure: Failure,
    pub class: OutcomeClass,
    pub iteration: u64,
    pub original_len: usize,
    pub payload: Payload,
    pub shrink_requests: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub iterations: u64,
    /// Every request sent to the primary target (shrinking included).
    pub requests: u64,
    pub elapsed: Duration,
    pub classes: BTreeMap<OutcomeClass, ClassStats>,
    pub kinds: BTreeMap<MutationKind, u64>,
    pub found: Vec<Found>,
}

/// What the caller may show after each iteration.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub iteration: u64,
    pub started: Instant,
    pub classes: usize,
    pub found: usize,
    pub class: &'a OutcomeClass,
    /// The class was reached for the first time.
    pub new_class: bool,
}

/// One answer, classed and judged.
struct Probe {
    class: OutcomeClass,
    violations: Vec<Violation>,
}

struct Session<'a> {
    model: &'a Model,
    operation: &'a Operation,
    primary: Side<'a>,
    against: Option<Side<'a>>,
    limiter: Option<DefaultDirectRateLimiter>,
    norm: Normaliser,
    opts: &'a LiveOptions,
    requests: u64,
}

/// Runs a session; deterministic in the payloads it sends for a given seed.
pub async fn fuzz(
    model: &Model,
    primary: Side<'_>,
    against: Option<Side<'_>>,
    opts: &LiveOptions,
    on_progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Summary, UnknownOperation> {
    let generator = Generator::new(model, &opts.operation)?;
    let operation = model
        .operation(&opts.operation)
        .ok_or_else(|| UnknownOperation {
            operation: opts.operation.clone(),
            suggestion: None,
        })?;
    let mut norm = primary.fixture.normaliser();
    if let Some(other) = &against {
        norm.secret(
            "access-token:alice-against",
            &other.fixture.value(Var::AccessToken),
        );
    }
    let mut session = Session {
        model,
        operation,
        primary,
        against,
        limiter: opts
            .rate
            .map(|r| RateLimiter::direct(Quota::per_second(r).allow_burst(NonZeroU32::MIN))),
        norm,
        opts,
        requests: 0,
    };
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut failures_seen: BTreeSet<Failure> = BTreeSet::new();
    let mut iteration = 0;
    while !done(opts.budget, iteration, started) {
        let bytes = iteration_bytes(opts.seed, iteration);
        let payload = generator.generate(&mut Unstructured::new(&bytes));
        *summary.kinds.entry(payload.kind).or_default() += 1;
        let probe = session.probe(&payload).await;
        let new_class = !summary.classes.contains_key(&probe.class);
        let stats = summary
            .classes
            .entry(probe.class.clone())
            .or_insert_with(|| ClassStats {
                count: 0,
                first_iteration: iteration,
                example: payload.clone(),
                violations: probe.violations.clone(),
            });
        stats.count += 1;
        if let Some(failure) = Failure::new(probe.violations.clone(), &probe.class) {
            if failures_seen.insert(failure.clone()) {
                let (small, shrink_requests) = session.shrink(&payload, &failure).await;
                summary.found.push(Found {
                    failure,
                    class: probe.class.clone(),
                    iteration,
                    original_len: payload.len(),
                    payload: small,
                    shrink_requests,
                });
            }
        }
        on_progress(&Progress {
            iteration,
            started,
            classes: summary.classes.len(),
            found: summary.found.len(),
            class: &probe.class,
            new_class,
        });
        iteration += 1;
    }
    summary.iterations = iteration;
    summary.requests = session.requests;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn done(budget: Budget, iteration: u64, started: Instant) -> bool {
    match budget {
        Budget::Iterations(n) => iteration >= n,
        Budget::Duration(d) => started.elapsed() >= d,
    }
}

impl Session<'_> {
    async fn probe(&mut self, payload: &Payload) -> Probe {
        let (class, mut violations) = self.send(self.primary, payload).await;
        if let Some(other) = self.against {
            let (theirs, _) = self.send(other, payload).await;
            violations.extend(oracle::compare(&class, &theirs));
        }
        Probe { class, violations }
    }

    async fn send(&mut self, side: Side<'_>, payload: &Payload) -> (OutcomeClass, Vec<Violation>) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        if std::ptr::eq(side.client, self.primary.client) {
            self.requests += 1;
        }
        probe(
            self.model,
            self.operation,
            side,
            payload,
            self.opts.latency_bound,
            &mut self.norm,
        )
        .await
    }

    /// The smallest payload found that fails the same way, and the requests it took.
    async fn shrink(&mut self, failing: &Payload, failure: &Failure) -> (Payload, usize) {
        let mut shrinker = Shrinker::new(failing.clone(), self.opts.shrink_budget);
        while let Some(candidate) = shrinker.next_candidate().cloned() {
            let probe = self.probe(&candidate).await;
            let same = Failure::new(probe.violations, &probe.class).as_ref() == Some(failure);
            shrinker.report(same);
        }
        let tried = shrinker.tried();
        (shrinker.finish(), tried)
    }
}

/// Sends one payload to one target with its fixture values filled in, and judges the answer.
/// `norm` must know the fixture's secrets: the class it returns is what gets printed.
pub async fn probe(
    model: &Model,
    operation: &Operation,
    side: Side<'_>,
    payload: &Payload,
    latency_bound: Duration,
    norm: &mut Normaliser,
) -> (OutcomeClass, Vec<Violation>) {
    let req = WireRequest {
        target: Some(model.target_header(&payload.operation)),
        headers: Vec::new(),
        body: payload.render(|v| side.fixture.value(v)),
        sign: signed(&payload.operation),
    };
    let (class, interpreted, elapsed) = match side.client.send(&req).await {
        Ok(resp) => {
            let (class, interpreted) = OutcomeClass::of_response(&resp, norm, &payload.echoes());
            (class, Some(interpreted), resp.elapsed)
        }
        Err(e) => (
            OutcomeClass::no_answer(&e.to_string(), norm),
            None,
            Duration::ZERO,
        ),
    };
    let violations = oracle::check(&Judged {
        operation,
        class: &class,
        interpreted: interpreted.as_ref(),
        elapsed,
        bound: latency_bound,
    });
    (class, violations)
}

//! SetUserMFAPreference on a live emulator: each input drives the model-based generator, the payload is
//! sent with a real fixture session, and any oracle violation is a crash libFuzzer keeps.
//!
//! The endpoint comes from `COGNITO_DRIFT_FUZZ_ENDPOINT` (loopback only, e.g. `http://127.0.0.1:5000`);
//! the fixture (pool, client, signed-in user) is created once per process.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Unstructured;
use cognito_drift::exchange::{Client, Endpoint};
use cognito_drift::fuzz::{probe, Fixture, Generator, Side};
use cognito_drift::model;
use cognito_drift::observation::Normaliser;
use cognito_drift::run::ExecContext;
use libfuzzer_sys::fuzz_target;

const OPERATION: &str = "SetUserMFAPreference";

struct Live {
    runtime: tokio::runtime::Runtime,
    client: Client,
    fixture: Fixture,
    norm: std::sync::Mutex<Normaliser>,
}

fn loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or("");
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let Ok(url) = std::env::var("COGNITO_DRIFT_FUZZ_ENDPOINT") else {
            eprintln!("set COGNITO_DRIFT_FUZZ_ENDPOINT to a loopback emulator URL, e.g. http://127.0.0.1:5000");
            std::process::exit(2);
        };
        if !loopback(&url) {
            eprintln!("refusing COGNITO_DRIFT_FUZZ_ENDPOINT={url}: only loopback endpoints are fuzzed");
            std::process::exit(2);
        }
        let endpoint = Endpoint {
            url,
            region: "us-east-1".into(),
            credentials: aws_credential_types::Credentials::new(
                "AKIDCOGNITODRIFT0000",
                "cognito-drift-emulator-secret",
                None,
                None,
                "cognito-drift-fuzz",
            ),
            allow_remote: false,
        };
        let client = Client::new(endpoint, Duration::from_secs(10), 4 * 1024 * 1024)
            .unwrap_or_else(|e| panic!("invalid endpoint: {e}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("no async runtime: {e}"));
        let ctx = ExecContext {
            run_id: format!("fuzz{}", std::process::id()),
            region: "us-east-1".into(),
            secret: format!("{:x}", std::process::id() as u64 * 0x9E37_79B9),
            pools: None,
        };
        let fixture = runtime
            .block_on(Fixture::create(&client, &ctx))
            .unwrap_or_else(|e| panic!("{e}"));
        let norm = std::sync::Mutex::new(fixture.normaliser());
        Live {
            runtime,
            client,
            fixture,
            norm,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let live = live();
    let model = model::cognito();
    let Some(operation) = model.operation(OPERATION) else {
        return;
    };
    let Ok(generator) = Generator::new(model, OPERATION) else {
        return;
    };
    let payload = generator.generate(&mut Unstructured::new(data));
    let side = Side {
        client: &live.client,
        fixture: &live.fixture,
    };
    let mut norm = live.norm.lock().unwrap_or_else(|p| p.into_inner());
    let (class, violations) = live.runtime.block_on(probe(
        model,
        operation,
        side,
        &payload,
        Duration::from_secs(5),
        &mut norm,
    ));
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
        panic!(
            "{}: {class} for a {} payload of {} bytes",
            list.join("; "),
            payload.kind.as_str(),
            payload.len()
        );
    }
});

# cognito-drift: the menu. `just` lists the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

# cargo-fuzz flags of `just fuzz` and `just bench`'s fuzz part. No comparison tracing: measured, the
# pure-core targets run 1.7-1.9x the executions a second and cover as much in a minute from the
# committed corpus (docs/performance.md). `COGNITO_DRIFT_FUZZ_FLAGS= just fuzz scenario_load 600`
# traces them again.
fuzz_flags := env_var_or_default("COGNITO_DRIFT_FUZZ_FLAGS", "--no-trace-compares")

# The crates that get libFuzzer's coverage counters in those builds: ours and the YAML parser that
# turns the loader's input into events. Every other crate (regex, serde_json, hyper...) is built
# without them, as the standard library always is: measured, the pure-core targets run 1.3-1.6x the
# executions a second and cover as much of our code (docs/performance.md, "Instrumented crates").
# `COGNITO_DRIFT_FUZZ_INSTRUMENT=all just fuzz diff` instruments every crate, as plain cargo-fuzz does.
fuzz_instrument := env_var_or_default("COGNITO_DRIFT_FUZZ_INSTRUMENT", "cognito_drift,serde_saphyr,granit_parser")

# List the recipes.
default:
    @just --list

# Run the scenario suite against the managed moto (the main job).
suite *ARGS:
    cargo run --release -p cognito-drift -- run {{ARGS}}

# Run every test: unit tests and the scenario suite against a managed moto.
test *ARGS:
    cargo test --workspace {{ARGS}}

# Validate the scenario files without sending anything.
check:
    cargo run -p cognito-drift -- check scenarios

# Record pending snapshots (.snap.new) for review.
record *ARGS:
    cargo run -p cognito-drift -- record {{ARGS}}

# Review pending snapshots with insta's reviewer (installs cargo-insta when missing).
review:
    command -v cargo-insta >/dev/null || cargo install cargo-insta --locked
    cargo insta review

# Format check and clippy with warnings as errors.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Fuzz one cargo-fuzz target on stable for SECS seconds (installs cargo-fuzz when missing): `just fuzz normalize 60`.
# WORKERS > 1 runs that many fuzzer processes sharing the corpus, one per core at most (libFuzzer's
# -jobs/-workers; each worker's output goes to fuzz-N.log, shown when it ends): `just fuzz normalize 600 2`.
fuzz TARGET SECS="60" WORKERS="1":
    @{{just_executable()}} cargo-fuzz run {{TARGET}} -- -max_total_time={{SECS}} \
        {{ if WORKERS == "1" { "" } else { "-jobs=" + WORKERS + " -workers=" + WORKERS } }}

# Any cargo-fuzz command built as `just fuzz` builds: `just cargo-fuzz cmin normalize`, `just cargo-fuzz run diff -- -jobs=2`.
cargo-fuzz CMD *ARGS:
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
    RUSTC_WRAPPER="{{justfile_directory()}}/fuzz/instrument-only" \
    RUSTFLAGS="${RUSTFLAGS:-} --cfg=cognito_drift_instrument=\"{{fuzz_instrument}}\"" \
    cargo fuzz {{CMD}} --sanitizer none {{fuzz_flags}} {{ARGS}}

# Fuzz a live target with model-generated payloads: `just fuzz-live --duration 2m --seed 7`.
fuzz-live *ARGS:
    cargo run --release -p cognito-drift -- fuzz {{ARGS}}

# Explore random MFA sequences on all three managed targets in lockstep, five minutes by default:
# `just explore --seed 7`, `just explore --duration 1m --no-write`.
explore *ARGS:
    cargo run --release -p cognito-drift -- explore --targets moto,cognito-local,ministack --duration 5m {{ARGS}}

# boto3 and PyYAML come from bench/requirements.lock into target/bench-venv (hash-checked); wrk
# from the system (`apt-get install wrk`), for the rates and ceiling parts.
# Measure the harness against wrk (request rate) and boto3 (suite wall time) on one target instance;
# writes the target's table into docs/performance.md. TARGET: moto, cognito-local or ministack.
bench TARGET="moto" *ARGS:
    cargo build --release -p cognito-drift
    test -x target/bench-venv/bin/python || python3 -m venv target/bench-venv
    target/bench-venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r bench/requirements.lock
    COGNITO_DRIFT_FUZZ_FLAGS="{{fuzz_flags}}" COGNITO_DRIFT_FUZZ_INSTRUMENT="{{fuzz_instrument}}" target/bench-venv/bin/python bench/run.py --target {{TARGET}} --write docs/performance.md {{ARGS}}

# Lint this repository's workflows, action.yml and the workflows `init` writes with actionlint
# (on PATH: `python3 -m pip install --require-hashes --no-deps -r tools/ci-tools.lock`).
lint-workflows:
    #!/usr/bin/env bash
    set -euo pipefail
    actionlint -version | head -n 1
    # nightly.yml uses the action as `./`, so actionlint checks its inputs against action.yml.
    actionlint
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    cargo run -q -p cognito-drift -- init "$dir" --action ./ --targets moto,cognito-local,ministack >/dev/null
    cp action.yml "$dir/"
    git -C "$dir" init -q
    (cd "$dir" && actionlint)
    echo "actionlint: clean (.github/workflows, action.yml inputs, the workflows init writes)"

# Install as a team does (`cargo install --locked --path harness` into a temporary root; a release
# build, minutes) and run that binary from an empty folder: --version, init, record --accept, run.
# CI sets COGNITO_DRIFT_INSTALL_PROFILE=dev: the same install with `--debug` into the target folder
# `cargo test` already built (a dev build reusing it, not a release build from scratch); it does not
# prove the release profile.
install-check:
    cargo test -p cognito-drift --test install -- --ignored

# What CI runs.
ci:
    bash .ci/run

# Regenerate harness/model/cognito-idp.json from botocore (downloads botocore when not installed).
model:
    #!/usr/bin/env bash
    set -euo pipefail
    if python3 -c 'import botocore' 2>/dev/null; then
        python3 tools/gen_model.py harness/model/cognito-idp.json
    else
        tmp=$(mktemp -d)
        python3 -m pip download --quiet --no-deps --dest "$tmp" botocore
        (cd "$tmp" && python3 -m zipfile -e botocore-*.whl unpacked)
        python3 tools/gen_model.py harness/model/cognito-idp.json --botocore-dir "$tmp/unpacked/botocore"
        rm -rf "$tmp"
    fi

# Regenerate the managed targets' hash-pinned install locks from a clean resolve (needs the registries).
lock-targets:
    bash tools/lock_targets.sh

# Call every operation of the model on the three managed emulators and rewrite docs/support.md and .json.
support *ARGS:
    cargo run --release -p cognito-drift -- support --output-dir docs {{ARGS}}

# Regenerate docs/coverage.md from scenarios/, snapshots/ and docs/unreachable.yaml (no network).
coverage:
    cargo run -q -p cognito-drift -- coverage --output docs/coverage.md

# Every scenario on every target, as a conformance matrix in target/cognito-drift/matrix/.
matrix *ARGS:
    cargo run --release -p cognito-drift -- matrix {{ARGS}}

# Run the whole suite 10 times against fresh managed motos and print each run's verdict counts.
soak RUNS="10":
    #!/usr/bin/env bash
    set -uo pipefail
    cargo build -q -p cognito-drift
    bin="${CARGO_TARGET_DIR:-target}/debug/cognito-drift"
    for i in $(seq 1 {{RUNS}}); do
        summary=$(CI=true NO_COLOR=1 "$bin" run --format terminal 2>/dev/null | tail -n 1)
        echo "run $i (exit ${PIPESTATUS[0]}): $summary"
    done

# cognito-drift: the menu. `just` lists the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

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

# Measure the harness against wrk (request rate) and boto3 (suite wall time) on one target instance;
# writes the target's table into docs/performance.md. TARGET: moto or cognito-local.
bench TARGET="moto" *ARGS:
    cargo build --release -p cognito-drift
    python3 bench/run.py --target {{TARGET}} --write docs/performance.md {{ARGS}}

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

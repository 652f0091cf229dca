#!/usr/bin/env python3
"""`just bench`: request rates of wrk and of the harness, and suite wall time of the harness and of
plain boto3, all against ONE target instance on this machine, each the median of --reps runs.

Measurements (wrk and the harness alternate within each repetition, so drift hits both alike):
  rates  GetUser and SetUserMFAPreference with a valid access token at concurrency 1 and 8:
         `wrk -s bench/post.lua` vs `cognito-drift bench --endpoint URL`.
  ceiling the same GetUser request against the harness's instant-reply server
         (`cognito-drift bench --serve-instant`, a separate process answering `{}` at once).
  suite  `cognito-drift run --jobs J` (shared pools, the default; and `--isolate`, a pool per
         scenario as boto3 makes) vs bench/boto3_suite.py sequential and with J threads on the one
         target instance, and the harness on two managed instances of its own (start-up included;
         not with --endpoint), over the scenario files that never wait for a TOTP time step
         (see --full-suite).
  fuzz   exec/s of the pure core under libFuzzer: the `scenario_load` and `normalize` fuzz targets
         built by `cargo fuzz build --sanitizer none --no-trace-compares` (stable; the flags
         after `none` come from COGNITO_DRIFT_FUZZ_FLAGS, as in `just fuzz`) with coverage
         counters in the crates COGNITO_DRIFT_FUZZ_INSTRUMENT names (fuzz/instrument-only, as in
         `just fuzz`), each run --fuzz-secs seconds from a copy of its committed corpus (the
         corpus in the repository is left alone). Then, on a machine with several cores, one
         session per target with a worker per core sharing one corpus copy (`just fuzz TARGET
         SECS WORKERS`), whose rate is the sum of its workers'.

`--parts` picks some of them (`--parts fuzz`, `--parts rates,ceiling`); the target is started only
for rates and suite. With --write, rates/ceiling/suite replace the target's section of the file and
fuzz replaces the `core` section.

The access token for wrk reaches it through the environment (BENCH_BODY); it is never printed or
written. Only loopback addresses are used.
"""

import argparse
import json
import os
import pathlib
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARTS = ("rates", "ceiling", "suite", "fuzz")
FUZZ_TARGETS = ("scenario_load", "normalize")
# Issue 15's goals for the pure core under the fuzz harness.
FUZZ_GOALS = {"scenario_load": 10_000, "normalize": 50_000}
OPERATIONS = ("GetUser", "SetUserMFAPreference")
# The bodies cognito-drift bench sends (harness/src/bench/fixture.rs), so wrk sends the same bytes.
BODIES = {
    "GetUser": lambda token: {"AccessToken": token},
    "SetUserMFAPreference": lambda token: {
        "AccessToken": token, "SMSMfaSettings": {"Enabled": False, "PreferredMfa": False}},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(url + "/", data=b"{}", method="POST", headers={
                "content-type": "application/x-amz-json-1.1",
                "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools"})
            urllib.request.urlopen(req, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"target at {url} did not answer within {timeout} s")


def start_target(args):
    """Starts the target once for the whole run; returns (url, process or None, version).

    Managed targets (moto, cognito-local, ministack) are started by `cognito-drift serve`, so the
    bench uses the same pinned installs in the harness cache as the suite does."""
    if args.endpoint:
        return args.endpoint, None, "unknown (--endpoint)"
    log = open(tempfile.mktemp(prefix=f"bench-{args.target}-", suffix=".log"), "w")
    proc = subprocess.Popen([args.bin, "serve", "--target", args.target],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline().split()
    if len(line) != 3:
        sys.exit(f"`cognito-drift serve --target {args.target}` did not start (log: {log.name})")
    url, _, ver = line
    wait_ready(url)
    return url, proc, ver


def access_token(url):
    """A pool, client and confirmed user made with boto3; the token stays in this process."""
    import boto3
    c = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                     aws_access_key_id="AKIDCOGNITODRIFT0000",
                     aws_secret_access_key="cognito-drift-emulator-secret")
    pool = c.create_user_pool(PoolName="bench-wrk")["UserPool"]["Id"]
    client = c.create_user_pool_client(
        UserPoolId=pool, ClientName="bench-wrk",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    password = "Cd1!" + os.urandom(12).hex()
    c.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS",
                        TemporaryPassword="Cd1!" + os.urandom(12).hex())
    c.admin_set_user_password(UserPoolId=pool, Username="alice", Password=password, Permanent=True)
    auth = c.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "alice", "PASSWORD": password})
    return auth["AuthenticationResult"]["AccessToken"]


def wrk(url, operation, body, concurrency, duration):
    threads = min(concurrency, os.cpu_count() or 1)
    env = {**os.environ, "BENCH_BODY": json.dumps(body, separators=(",", ":")),
           "BENCH_OPERATION": operation}
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{duration}s",
         "-s", str(ROOT / "bench/post.lua"), url + "/"],
        env=env, capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        sys.exit(f"wrk {operation} c={concurrency}: failed requests "
                 f"({bad.group(0) if bad else ''} {errors.group(0) if errors else ''})")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def harness_rate(args, target, url, operation, concurrency):
    out = subprocess.run(
        [args.bin, "bench", "--target", target, "--endpoint", url, "--operation", operation,
         "--concurrency", str(concurrency), "--duration", str(args.duration), "--json"],
        capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"cognito-drift bench {operation} c={concurrency} failed:\n{out.stderr}")
    return json.loads(out.stdout)["result"]["rate"]


def timed(cmd, ok_codes, env=None):
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    if out.returncode not in ok_codes:
        sys.exit(f"{' '.join(map(str, cmd))} exited {out.returncode}:\n{out.stderr[-3000:]}")
    return wall


def suite_files(full):
    files = sorted((ROOT / "scenarios").rglob("*.yaml"))
    # A step that needs `<user>.totp_code` after the setup used one sleeps to the next 30 s step.
    return files if full else [f for f in files if ".totp_code}" not in f.read_text()]


def median(xs):
    return statistics.median(xs)


def spread(xs):
    return f"{min(xs):.0f}–{max(xs):.0f}" if min(xs) >= 100 else f"{min(xs):.2f}–{max(xs):.2f}"


def version_of(cmd, whole=False):
    """What `cmd` prints of its version: the first line (`cognito-drift --version` goes on with the
    model and the target locks), or all of it."""
    out = subprocess.run(cmd, capture_output=True, text=True)
    text = out.stdout.strip() or out.stderr.strip()
    return text if whole else (text.splitlines() or [""])[0]


def machine(args, target_version):
    """The machine and tool versions; the target's, wrk's and boto3's only when they were used."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    info = {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "rustc": version_of(["rustc", "--version"])}
    if target_version is not None:
        import boto3
        info.update({
            "target": f"{args.target} {target_version}",
            "harness": version_of([args.bin, "--version"]),
            "wrk": version_of(["wrk", "-v"]).splitlines()[0].split(" Copyright")[0],
            "python": platform.python_version(), "boto3": boto3.__version__,
        })
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="moto", help="moto or cognito-local (or any with --endpoint)")
    ap.add_argument("--endpoint", help="a target you run yourself (loopback)")
    ap.add_argument("--bin", default=str(pathlib.Path(os.environ.get(
        "CARGO_TARGET_DIR", ROOT / "target")) / "release/cognito-drift"))
    ap.add_argument("--parts", default=",".join(PARTS),
                    help=f"what to measure, comma-separated: any of {','.join(PARTS)} (default: all)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--duration", type=float, default=5, help="seconds per rate run")
    ap.add_argument("--jobs", type=int, default=4, help="scenarios at once, harness and boto3")
    ap.add_argument("--full-suite", action="store_true",
                    help="also time the scenarios that sleep to the next TOTP step")
    ap.add_argument("--fuzz-secs", type=int, default=60, help="seconds per fuzz target run")
    ap.add_argument("--fuzz-reps", type=int, default=1, help="runs per fuzz target")
    ap.add_argument("--write", type=pathlib.Path,
                    help="replace the measured sections of the file (the target's, and `core` for fuzz)")
    args = ap.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        ap.error(f"--parts: unknown part {', '.join(unknown) or '(none given)'}; "
                 f"choose from {','.join(PARTS)}")
    missing = needs(parts)
    if missing:
        sys.exit("bench: missing " + "; ".join(missing))
    if {"rates", "ceiling", "suite"} & set(parts):
        measure_target(args, parts)
    if "fuzz" in parts:
        measure_fuzz(args)


def needs(parts):
    """What the chosen parts need that this machine lacks, each with how to get it."""
    missing = []
    if {"rates", "ceiling"} & set(parts) and shutil.which("wrk") is None:
        missing.append("wrk for the rates and ceiling parts (`apt-get install wrk`)")
    if {"rates", "suite"} & set(parts):
        for module, package in (("boto3", "boto3"), ("yaml", "PyYAML")):
            try:
                __import__(module)
            except ImportError:
                missing.append(f"{package} for the boto3 baseline (`just bench` installs it from "
                               "bench/requirements.lock into target/bench-venv)")
    return missing


def measure_target(args, parts):
    """Rates, ceiling and suite: one table in the target's section."""
    load_before = os.getloadavg()
    needs_target = "rates" in parts or "suite" in parts
    url, proc, target_version = start_target(args) if needs_target else (None, None, "(not started)")
    rows, suite_rows, sweep = [], [], {}
    try:
        info = machine(args, target_version)
        if "rates" in parts:
            rates(args, url, rows)
        if "ceiling" in parts:
            ceiling(args, rows)
        if "suite" in parts:
            suite(args, url, suite_rows, sweep)
    finally:
        if proc:
            proc.terminate()
            proc.wait()
    load_after = os.getloadavg()
    md = render(args, info, parts, rows, suite_rows, sweep, load_before, load_after)
    print(md)
    if args.write:
        write_section(args.write, args.target, md)


def rates(args, url, rows):
    token = access_token(url)
    for op in OPERATIONS:
        for c in (1, 8):
            w, h = [], []
            for _ in range(args.reps):
                w.append(wrk(url, op, BODIES[op](token), c, int(args.duration)))
                h.append(harness_rate(args, args.target, url, op, c))
            rows.append((f"{op} on {args.target}", c, w, h))
            print(f"{rows[-1][0]} c={c}: wrk {median(w):.0f}/s, harness {median(h):.0f}/s",
                  file=sys.stderr)


def ceiling(args, rows):
    """The same GetUser request against the instant-reply server: each client's own limit."""
    iport = free_port()
    instant = subprocess.Popen([args.bin, "bench", "--serve-instant", f"127.0.0.1:{iport}"],
                               stderr=subprocess.DEVNULL)
    try:
        iurl = f"http://127.0.0.1:{iport}"
        wait_ready(iurl)
        for c in (1, 8):
            w, h = [], []
            for _ in range(args.reps):
                w.append(wrk(iurl, "GetUser", BODIES["GetUser"]("bench-stand-in-token"), c,
                             int(args.duration)))
                h.append(harness_rate(args, "instant", iurl, "GetUser", c))
            rows.append(("GetUser on the instant-reply server", c, w, h))
            print(f"instant c={c}: wrk {median(w):.0f}/s, harness {median(h):.0f}/s",
                  file=sys.stderr)
    finally:
        instant.terminate()
        instant.wait()


def suite(args, url, suite_rows, sweep):
    for full in ([False, True] if args.full_suite else [False]):
        files = [str(f) for f in suite_files(full)]
        # Without snapshots a scenario is `new` (1); a target's non-JSON answer is a fault (3).
        ok = (0,) if args.target == "moto" else (0, 1, 3)
        env = {**os.environ, "CI": "1"}  # never write pending snapshots
        harness_cmd = [args.bin, "run", "--target", args.target, "--endpoint", url,
                       "--jobs", str(args.jobs), *files]
        isolated_cmd = [*harness_cmd[:-len(files)], "--isolate", *files]
        # The harness's own managed target with two processes (started, readied and stopped by it,
        # so its start-up is in the time); boto3 has no such thing, it gets the one instance above.
        managed_cmd = [args.bin, "run", "--target", args.target, "--instances", "2",
                       "--jobs", str(args.jobs), *files]
        boto = [sys.executable, str(ROOT / "bench/boto3_suite.py"), "--endpoint", url]
        h, hi, hm, b1, bj = [], [], [], [], []
        for _ in range(args.reps):
            h.append(timed(harness_cmd, ok, env))
            hi.append(timed(isolated_cmd, ok, env))
            if args.endpoint is None:
                hm.append(timed(managed_cmd, ok, env))
            b1.append(timed([*boto, "--jobs", "1", *files], (0,)))
            bj.append(timed([*boto, "--jobs", str(args.jobs), *files], (0,)))
        suite_rows.append((len(files), full, h, hi, hm, b1, bj))
        if not full:
            for j in (1, 2, 4, 8):
                cmd = [*harness_cmd[:-len(files) - 2], "--jobs", str(j), *files]
                sweep[j] = [timed(cmd, ok, env) for _ in range(args.reps)]
        print(f"suite ({len(files)} files): harness {median(h):.2f} s shared, {median(hi):.2f} s "
              f"isolated{f', {median(hm):.2f} s on 2 instances' if hm else ''}; boto3 "
              f"{median(b1):.2f} s sequential, {median(bj):.2f} s with {args.jobs} threads",
              file=sys.stderr)


def fuzz_flags():
    """cargo-fuzz's build flags, as the justfile sets them (no comparison tracing by default)."""
    return os.environ.get("COGNITO_DRIFT_FUZZ_FLAGS", "--no-trace-compares").split()


# The crates `just fuzz` instruments (the justfile's default; `all` for every crate).
FUZZ_INSTRUMENT = "cognito_drift,serde_saphyr,granit_parser"


def fuzz_instrument():
    """The crates that get coverage counters, as the justfile passes them."""
    return os.environ.get("COGNITO_DRIFT_FUZZ_INSTRUMENT", FUZZ_INSTRUMENT)


def instrumented_crates():
    """The crate list in words, for the table's header."""
    crates = fuzz_instrument().split(",")
    return "every crate" if "all" in crates else ", ".join(f"`{c}`" for c in crates)


def fuzz_env():
    """The environment of `just cargo-fuzz`: fuzz/instrument-only as rustc wrapper, the crate list
    as its marker flag in RUSTFLAGS (so cargo rebuilds when the list changes)."""
    env = dict(os.environ)
    env["RUSTC_WRAPPER"] = str(ROOT / "fuzz/instrument-only")
    marker = f'--cfg=cognito_drift_instrument="{fuzz_instrument()}"'
    env["RUSTFLAGS"] = f"{env.get('RUSTFLAGS', '')} {marker}".strip()
    return env


def fuzz_build():
    """Builds the fuzz targets as `just fuzz` does; returns their folder and cargo-fuzz's version."""
    if shutil.which("cargo-fuzz") is None:
        sys.exit("the fuzz part needs cargo-fuzz: `cargo install cargo-fuzz --locked` "
                 "(or leave it out: --parts rates,ceiling,suite)")
    target_dir = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "fuzz/target"))
    for target in FUZZ_TARGETS:
        subprocess.run(["cargo", "fuzz", "build", "--sanitizer", "none", *fuzz_flags(),
                        "--target-dir", str(target_dir), target], cwd=ROOT, check=True,
                       env=fuzz_env())
    host = next(l.split(":", 1)[1].strip() for l in version_of(["rustc", "-vV"], whole=True).splitlines()
                if l.startswith("host:"))
    return target_dir / host / "release", version_of(["cargo", "fuzz", "--version"])


def keep_failure(tmp, target, out):
    """A failing run: keeps the input where `just fuzz` would have put it, before the temporary
    folder goes, and stops the bench with libFuzzer's report."""
    kept = ROOT / "fuzz/artifacts" / target
    found = [f for f in pathlib.Path(tmp).iterdir()
             if f.name.startswith(("crash-", "leak-", "timeout-", "oom-", "slow-unit-"))]
    for f in found:
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, kept / f.name)
    where = ", ".join(str(kept / f.name) for f in found) or "no input was written"
    sys.exit(f"fuzz target {target} failed (exit {out.returncode}); the input: {where}; "
             f"replay it with `just cargo-fuzz run {target} <file>`:\n{out.stderr[-3000:]}")


def final_stat(text, name):
    """One of libFuzzer's `-print_final_stats=1` lines."""
    return int(re.search(rf"stat::{name}:\s+(\d+)", text).group(1))


def fuzz_run(bins, target, secs):
    """One libFuzzer run of `secs` seconds from a copy of the committed corpus:
    (exec/s, executions, executions per CPU second of the fuzzer process)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-fuzz-{target}-") as tmp:
        corpus = pathlib.Path(tmp) / "corpus"
        shutil.copytree(ROOT / "fuzz/corpus" / target, corpus)
        cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
        cpu_before = cpu()
        out = subprocess.run(
            [str(bins / target), str(corpus), f"-max_total_time={secs}", "-print_final_stats=1",
             f"-artifact_prefix={tmp}/"],
            capture_output=True, text=True)
        cpu_secs = cpu() - cpu_before
        if out.returncode != 0:
            keep_failure(tmp, target, out)
    units = final_stat(out.stderr, "number_of_executed_units")
    return final_stat(out.stderr, "average_exec_per_sec"), units, units / max(cpu_secs, 1e-9)


def fuzz_session(bins, target, secs, workers):
    """One parallel libFuzzer session of `secs` seconds, as `just fuzz TARGET SECS WORKERS` runs it:
    `workers` processes (`-jobs=N -workers=N`) sharing a copy of the committed corpus, each picking
    up what the others add. Returns each worker's exec/s (their sum is the session's rate)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-fuzz-{target}-") as tmp:
        corpus = pathlib.Path(tmp) / "corpus"
        shutil.copytree(ROOT / "fuzz/corpus" / target, corpus)
        out = subprocess.run(
            [str(bins / target), str(corpus), f"-max_total_time={secs}", "-print_final_stats=1",
             f"-artifact_prefix={tmp}/", f"-jobs={workers}", f"-workers={workers}"],
            capture_output=True, text=True, cwd=tmp)
        if out.returncode != 0:
            keep_failure(tmp, target, out)
        logs = [(pathlib.Path(tmp) / f"fuzz-{k}.log").read_text(errors="replace")
                for k in range(workers)]
    return [final_stat(log, "average_exec_per_sec") for log in logs]


def measure_fuzz(args):
    """Fuzz exec/s of the pure core: one table in the `core` section."""
    bins, cargo_fuzz = fuzz_build()
    load_before = os.getloadavg()
    results, sessions = {}, {}
    workers = os.cpu_count() or 1
    for target in FUZZ_TARGETS:
        results[target] = [fuzz_run(bins, target, args.fuzz_secs) for _ in range(args.fuzz_reps)]
        print(f"fuzz {target}: {median([r[0] for r in results[target]]):.0f} exec/s",
              file=sys.stderr)
    if workers > 1:
        for target in FUZZ_TARGETS:
            sessions[target] = fuzz_session(bins, target, args.fuzz_secs, workers)
            print(f"fuzz {target}, {workers} workers: {sum(sessions[target]):.0f} exec/s in all",
                  file=sys.stderr)
    load_after = os.getloadavg()
    md = render_fuzz(args, machine(args, None), cargo_fuzz, results, sessions, load_before,
                     load_after)
    print(md)
    if args.write:
        write_section(args.write, "core", md)


def loads(before, after):
    la = lambda l: " ".join(f"{x:.2f}" for x in l)
    return f"Load average {la(before)} before, {la(after)} after."


def render_fuzz(args, info, cargo_fuzz, results, sessions, load_before, load_after):
    out = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}: {info['nproc']} CPUs ({info['cpu']}), "
        f"Linux {info['kernel']}; {info['rustc']}; {cargo_fuzz}, "
        f"`{' '.join(['--sanitizer', 'none', *fuzz_flags()])}`, coverage counters in "
        f"{instrumented_crates()}. "
        f"{loads(load_before, load_after)} {args.fuzz_reps} run(s) of {args.fuzz_secs} s per "
        f"target, each from a copy of its committed corpus; median (range in brackets). exec/s is "
        f"libFuzzer's own (wall clock); executions per CPU second divides by the fuzzer's user+system "
        f"time, which is less sensitive to other load on the machine.",
        "",
        "| fuzz target | exec/s | executions per CPU second | executions per run | goal (exec/s) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for target, runs in results.items():
        rates, units, per_cpu = ([r[i] for r in runs] for i in range(3))
        out.append(f"| `{target}` | {median(rates):.0f} ({spread(rates)}) | {median(per_cpu):.0f} "
                   f"({spread(per_cpu)}) | {median(units):.0f} | {FUZZ_GOALS[target]:,} |")
    if sessions:
        workers = len(next(iter(sessions.values())))
        out += [
            "",
            f"The goals are per fuzzer process, as the table above measures them. A fuzzing "
            f"session can also use every core: `just fuzz TARGET {args.fuzz_secs} {workers}` runs "
            f"{workers} processes that share one corpus. One such session of {args.fuzz_secs} s "
            f"per target, from a copy of the committed corpus, after the runs above:",
            "",
            f"| fuzz target | exec/s of each of the {workers} workers | exec/s of the session "
            f"(their sum) |",
            "| --- | ---: | ---: |",
        ]
        for target, rates in sessions.items():
            out.append(f"| `{target}` | {' / '.join(f'{r:.0f}' for r in rates)} | "
                       f"{sum(rates):.0f} |")
    return "\n".join(out)


def render(args, info, parts, rows, suite_rows, sweep, load_before, load_after):
    versions = (f"target {info['target']}; {info['harness']} ({info['rustc']}); {info['wrk']}; "
                f"Python {info['python']}, boto3 {info['boto3']}")
    measured = [p for p in parts if p != "fuzz"]
    out = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}: {info['nproc']} CPUs ({info['cpu']}), "
        f"Linux {info['kernel']}; {versions}. {loads(load_before, load_after)} Median of "
        f"{args.reps} runs (range in brackets), {args.duration:g} s per rate run."
        + ("" if set(measured) == {"rates", "ceiling", "suite"}
           else f" Parts measured: {', '.join(measured)}."),
    ]
    if rows:
        out += ["",
                "| request | concurrency | wrk req/s | harness req/s | harness / wrk |",
                "| --- | ---: | ---: | ---: | ---: |"]
    for name, c, w, h in rows:
        out.append(f"| {name} | {c} | {median(w):.0f} ({spread(w)}) | {median(h):.0f} ({spread(h)}) "
                   f"| {median(h) / median(w):.2f} |")
    if suite_rows:
        out += [
            "",
            "The boto3 script makes one pool per scenario, as a hand-written suite does; the harness "
            "shares a pool among the scenarios the model lets share (`--isolate`: one each, as boto3). "
            "Ratios are boto3 sequential / harness, on the one target instance both use, except the "
            "last column: the harness's own two managed instances, start-up included.",
            "",
            f"| suite | boto3 sequential | boto3, {args.jobs} threads | harness, --jobs {args.jobs} "
            "| harness --isolate | harness, 2 instances | boto3 seq. / harness | / harness --isolate "
            "| / harness, 2 instances |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    for n, full, h, hi, hm, b1, bj in suite_rows:
        what = f"{n} files" + (" (all, with TOTP waits)" if full else " (no TOTP wait)")
        cell = lambda xs: f"{median(xs):.2f} s ({spread(xs)})" if xs else "—"
        ratio = lambda xs: f"{median(b1) / median(xs):.2f}" if xs else "—"
        out.append(f"| {what} | {cell(b1)} | {cell(bj)} | {cell(h)} | {cell(hi)} | {cell(hm)} "
                   f"| {ratio(h)} | {ratio(hi)} | {ratio(hm)} |")
    if sweep:
        out += ["", "| harness suite, no TOTP wait | " + " | ".join(f"--jobs {j}" for j in sweep) + " |",
                "| --- |" + " ---: |" * len(sweep),
                "| wall time | " + " | ".join(f"{median(x):.2f} s ({spread(x)})" for x in sweep.values())
                + " |"]
    return "\n".join(out)


def write_section(path, target, md):
    begin, end = f"<!-- bench:{target}:begin -->", f"<!-- bench:{target}:end -->"
    text = path.read_text() if path.exists() else ""
    block = f"{begin}\n{md}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    path.write_text(text)


if __name__ == "__main__":
    main()

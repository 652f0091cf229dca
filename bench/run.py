#!/usr/bin/env python3
"""`just bench`: request rates of wrk and of the harness, and suite wall time of the harness and of
plain boto3, all against ONE target instance on this machine, each the median of --reps runs.

Measurements (wrk and the harness alternate within each repetition, so drift hits both alike):
  rates  GetUser and SetUserMFAPreference with a valid access token at concurrency 1 and 8:
         `wrk -s bench/post.lua` vs `cognito-drift bench --endpoint URL`.
  ceiling the same GetUser request against the harness's instant-reply server
         (`cognito-drift bench --serve-instant`, a separate process answering `{}` at once).
  suite  `cognito-drift run --jobs J` vs bench/boto3_suite.py sequential and with J threads, over the
         scenario files that never wait for a TOTP time step (see --full-suite).

The access token for wrk reaches it through the environment (BENCH_BODY); it is never printed or
written. Only loopback addresses are used.
"""

import argparse
import json
import os
import pathlib
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
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


def machine(args, target_version):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    ver = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip() or \
        subprocess.run(cmd, capture_output=True, text=True).stderr.strip()
    import boto3
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
        "target": f"{args.target} {target_version}",
        "harness": ver([args.bin, "--version"]),
        "rustc": ver(["rustc", "--version"]),
        "wrk": ver(["wrk", "-v"]).splitlines()[0].split(" Copyright")[0],
        "python": platform.python_version(), "boto3": boto3.__version__,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="moto", help="moto or cognito-local (or any with --endpoint)")
    ap.add_argument("--endpoint", help="a target you run yourself (loopback)")
    ap.add_argument("--bin", default=str(pathlib.Path(os.environ.get(
        "CARGO_TARGET_DIR", ROOT / "target")) / "release/cognito-drift"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--duration", type=float, default=5, help="seconds per rate run")
    ap.add_argument("--jobs", type=int, default=4, help="scenarios at once, harness and boto3")
    ap.add_argument("--full-suite", action="store_true",
                    help="also time the scenarios that sleep to the next TOTP step")
    ap.add_argument("--write", type=pathlib.Path, help="replace this target's section of the file")
    args = ap.parse_args()

    load_before = os.getloadavg()
    url, proc, target_version = start_target(args)
    rows, suite_rows, sweep = [], [], {}
    try:
        info = machine(args, target_version)
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
        for full in ([False, True] if args.full_suite else [False]):
            files = [str(f) for f in suite_files(full)]
            # Without snapshots a scenario is `new` (1); a target's non-JSON answer is a fault (3).
            ok = (0,) if args.target == "moto" else (0, 1, 3)
            env = {**os.environ, "CI": "1"}  # never write pending snapshots
            harness_cmd = [args.bin, "run", "--target", args.target, "--endpoint", url,
                           "--jobs", str(args.jobs), *files]
            boto = [sys.executable, str(ROOT / "bench/boto3_suite.py"), "--endpoint", url]
            h, b1, bj = [], [], []
            for _ in range(args.reps):
                h.append(timed(harness_cmd, ok, env))
                b1.append(timed([*boto, "--jobs", "1", *files], (0,)))
                bj.append(timed([*boto, "--jobs", str(args.jobs), *files], (0,)))
            suite_rows.append((len(files), full, h, b1, bj))
            if not full:
                for j in (1, 2, 4, 8):
                    cmd = [*harness_cmd[:-len(files) - 2], "--jobs", str(j), *files]
                    sweep[j] = [timed(cmd, ok, env) for _ in range(args.reps)]
            print(f"suite ({len(files)} files): harness {median(h):.2f} s, boto3 {median(b1):.2f} s "
                  f"sequential, {median(bj):.2f} s with {args.jobs} threads", file=sys.stderr)
    finally:
        if proc:
            proc.terminate()
            proc.wait()
    load_after = os.getloadavg()
    md = render(args, info, rows, suite_rows, sweep, load_before, load_after)
    print(md)
    if args.write:
        write_section(args.write, args.target, md)


def render(args, info, rows, suite_rows, sweep, load_before, load_after):
    la = lambda l: " ".join(f"{x:.2f}" for x in l)
    out = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}: {info['nproc']} CPUs ({info['cpu']}), "
        f"Linux {info['kernel']}; target {info['target']}; {info['harness']} ({info['rustc']}); "
        f"{info['wrk']}; Python {info['python']}, boto3 {info['boto3']}. Load average "
        f"{la(load_before)} before, {la(load_after)} after. Median of {args.reps} runs "
        f"(range in brackets), {args.duration:g} s per rate run.",
        "",
        "| request | concurrency | wrk req/s | harness req/s | harness / wrk |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, c, w, h in rows:
        out.append(f"| {name} | {c} | {median(w):.0f} ({spread(w)}) | {median(h):.0f} ({spread(h)}) "
                   f"| {median(h) / median(w):.2f} |")
    out += [
        "",
        f"| suite | harness, --jobs {args.jobs} | boto3 sequential | boto3, {args.jobs} threads "
        "| boto3 seq. / harness | boto3 threads / harness |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, full, h, b1, bj in suite_rows:
        what = f"{n} files" + (" (all, with TOTP waits)" if full else " (no TOTP wait)")
        out.append(f"| {what} | {median(h):.2f} s ({spread(h)}) | {median(b1):.2f} s ({spread(b1)}) "
                   f"| {median(bj):.2f} s ({spread(bj)}) | {median(b1) / median(h):.2f} "
                   f"| {median(bj) / median(h):.2f} |")
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

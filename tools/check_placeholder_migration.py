#!/usr/bin/env python3
"""Proves that re-recorded snapshots (`.snap.new`) differ from the recorded ones (`.snap`) only where the
normaliser v1 -> v2 migration says they may (docs/normalisation.md):

- the header: `recorded:` may change and `normaliser: 2` is added; nothing else;
- a v1 placeholder becomes its v2 form: `<kind:detail>` -> `<kind:detail~shape>` (same kind and detail),
  `<date>` -> `<date:FORMAT>` or the canonical epoch number, `<epoch>` -> the canonical epoch number or
  `<date:FORMAT>`; the text around placeholders is unchanged;
- the `x-amzn-errortype` header of an error moves whole into the step's `wire` member; a body error-type
  carrier (`__type`, `code`) becomes its normal form, and a JSON media type in `headers.content-type` becomes `application/x-amz-json-1.1`; each raw form
  that differs then appears in the step's `wire` member.

Usage: tools/check_placeholder_migration.py snapshots/moto [snapshots/cognito-local ...]
Prints every other difference and exits 1 if there is one.
"""

import json
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"<[a-z][a-z0-9-]*(?::[A-Za-z0-9_.@+:-]+)?(?:~[a-z0-9][a-z0-9_/.+-]*)?>")
CANONICAL = {1234567890, 1234567890000, 1234567890000000}
CARRIERS = {("body", "__type"), ("body", "code")}
JSON_TYPES = {"application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1"}
AMZ_JSON = "application/x-amz-json-1.1"


def split(text):
    head, rest = text.split("\n---\n", 1)
    return head, json.loads(rest)


def header_ok(old, new, problems, name):
    old_lines = [l for l in old.splitlines() if not l.strip().startswith("recorded:")]
    new_lines = [
        l for l in new.splitlines() if not l.strip().startswith(("recorded:", "normaliser:"))
    ]
    if old_lines != new_lines:
        problems.append(f"{name}: header differs beyond `recorded:` and `normaliser:`")
    if "  normaliser: 2" not in new.splitlines():
        problems.append(f"{name}: no `normaliser: 2` in the new header")


def sanitize(raw):
    name = raw.split(":", 1)[0]
    return name.rsplit("#", 1)[-1].strip()


def placeholder_ok(old, new):
    if old == new:
        return True
    inner_old, inner_new = old[1:-1], new[1:-1]
    if inner_old == "date":
        return inner_new.startswith("date:")
    if inner_old == "epoch":
        return inner_new.startswith("date")
    head, _, shape = inner_new.partition("~")
    return head == inner_old and shape != ""


def string_ok(old, new):
    if old == new:
        return True
    old_ps, new_ps = PLACEHOLDER.findall(old), PLACEHOLDER.findall(new)
    if PLACEHOLDER.split(old) != PLACEHOLDER.split(new) or len(old_ps) != len(new_ps):
        return False
    return all(placeholder_ok(o, n) for o, n in zip(old_ps, new_ps))


def walk(old, new, path, problems):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in new or key not in old:
                problems.append(f"{path}.{key}: only in {'old' if key in old else 'new'}")
                continue
            walk(old[key], new[key], f"{path}.{key}", problems)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            problems.append(f"{path}: {len(old)} items, now {len(new)}")
        for i, (o, n) in enumerate(zip(old, new)):
            walk(o, n, f"{path}[{i}]", problems)
    elif isinstance(old, str) and isinstance(new, str):
        if not string_ok(old, new):
            problems.append(f"{path}: {old!r} -> {new!r}")
    elif isinstance(old, str) and isinstance(new, (int, float)) and not isinstance(new, bool):
        if old not in ("<date>", "<epoch>") or new not in CANONICAL:
            problems.append(f"{path}: {old!r} -> {new!r}")
    elif old != new or type(old) is not type(new):
        problems.append(f"{path}: {old!r} -> {new!r}")


def step_ok(old, new, path, problems):
    """Folds the error carriers of `old` as v2 does and checks the `wire` member, then compares the rest."""
    old = json.loads(json.dumps(old))
    wire = new.get("wire", {})
    expected_wire = {}
    if old.get("error") is not None:
        header = (old.get("headers") or {}).pop("x-amzn-errortype", None)
        if header is not None:
            expected_wire["headers.x-amzn-errortype"] = header
        for part, key in CARRIERS:
            holder = old.get(part)
            if isinstance(holder, dict) and isinstance(holder.get(key), str):
                raw = holder[key]
                if sanitize(raw) != raw:
                    expected_wire[f"{part}.{key}"] = raw
                    holder[key] = sanitize(raw)
    content_type = (old.get("headers") or {}).get("content-type")
    if isinstance(content_type, str) and content_type != AMZ_JSON:
        if content_type.split(";")[0].strip().lower() in JSON_TYPES:
            expected_wire["headers.content-type"] = content_type
            old["headers"]["content-type"] = AMZ_JSON
    if wire != expected_wire:
        problems.append(f"{path}.wire: {wire!r}, expected {expected_wire!r}")
    new = {k: v for k, v in new.items() if k != "wire"}
    walk(old, new, path, problems)


def check(folder):
    problems = []
    pending = sorted(Path(folder).glob("*.snap.new"))
    for new_path in pending:
        old_path = new_path.with_suffix("")
        name = str(old_path)
        if not old_path.exists():
            problems.append(f"{name}: no recorded snapshot to compare with")
            continue
        old_head, old_body = split(old_path.read_text())
        new_head, new_body = split(new_path.read_text())
        header_ok(old_head, new_head, problems, name)
        old_steps, new_steps = old_body.get("steps", []), new_body.get("steps", [])
        if len(old_steps) != len(new_steps) or set(old_body) != set(new_body):
            problems.append(f"{name}: different steps")
            continue
        for i, (o, n) in enumerate(zip(old_steps, new_steps)):
            step_ok(o, n, f"{name}: $.steps[{i}]", problems)
    return len(pending), problems


def main():
    failed = False
    for folder in sys.argv[1:]:
        count, problems = check(folder)
        for p in problems:
            print(p)
        print(f"{folder}: {count} pending snapshots, {len(problems)} differences beyond placeholders")
        failed |= bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

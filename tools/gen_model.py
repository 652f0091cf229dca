#!/usr/bin/env python3
"""Generate harness/model/cognito-idp.json from botocore's cognito-idp service-2.json.

The output is botocore's own data with every documentation string removed, plus a
`generatedFrom` block naming the botocore version, so the model is never typed by hand.

Usage: gen_model.py OUT.json [--botocore-dir DIR]
Without --botocore-dir the installed botocore package is used; `just model` falls back to
`pip download botocore` when it is missing.
"""
import argparse
import gzip
import json
import pathlib
import sys

SERVICE = "cognito-idp"
DROP_KEYS = {"documentation", "documentationUrl", "deprecatedMessage", "examples"}


def find_service_file(root: pathlib.Path) -> pathlib.Path:
    base = root / "data" / SERVICE
    versions = sorted(p for p in base.iterdir() if p.is_dir())
    if not versions:
        sys.exit(f"no {SERVICE} model under {base}")
    latest = versions[-1]
    for name in ("service-2.json", "service-2.json.gz"):
        if (latest / name).exists():
            return latest / name
    sys.exit(f"no service-2.json in {latest}")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--botocore-dir", help="a botocore package folder (the one holding data/)")
    args = ap.parse_args()
    if args.botocore_dir:
        root = pathlib.Path(args.botocore_dir)
        version_file = root / "__init__.py"
        version = next(
            (line.split("'")[1] for line in version_file.read_text().splitlines() if line.startswith("__version__")),
            "unknown",
        )
    else:
        import botocore  # noqa: PLC0415 - optional dependency, only for this path

        root = pathlib.Path(botocore.__file__).parent
        version = botocore.__version__
    src = find_service_file(root)
    raw = gzip.open(src).read() if src.suffix == ".gz" else src.read_bytes()
    model = strip(json.loads(raw))
    model["generatedFrom"] = {"package": "botocore", "version": version, "file": f"{src.parent.name}/service-2.json"}
    out = pathlib.Path(args.out)
    out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} from botocore {version}: {len(model['operations'])} operations, {len(model['shapes'])} shapes")


if __name__ == "__main__":
    main()

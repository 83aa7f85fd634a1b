#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Check locktrace's JSON Lines output against the published schema.

    tests/schema-check.py SCHEMA FILE...

Every line of each FILE that starts with '{' is one JSON value that must
be valid under SCHEMA (JSON Schema 2020-12, python3-jsonschema); other
lines (a text view's, --explain's) are not looked at. Prints each invalid
line's place and the first reason (20 at most), then a summary line; exits
1 when a line is invalid or a file cannot be read, 2 on bad usage.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print("usage: schema-check.py SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    defs = schema.get("$defs", {})
    lines = bad = 0
    kinds = {}
    for path in argv[2:]:
        try:
            f = open(path, encoding="utf-8", errors="strict")
            text = f.read().splitlines()
            f.close()
        except (OSError, UnicodeDecodeError) as e:
            print(f"schema: {path}: {e}")
            bad += 1
            continue
        for n, line in enumerate(text, 1):
            if not line.startswith("{"):
                continue
            lines += 1
            try:
                value = json.loads(line)
            except ValueError as e:
                bad += 1
                if bad <= 20:
                    print(f"schema: {path}:{n}: not JSON: {e}")
                continue
            kind = value.get("type", "event") if isinstance(value, dict) else "?"
            kinds[kind] = kinds.get(kind, 0) + 1
            if not validator.is_valid(value):
                bad += 1
                if bad <= 20:
                    # Why, under the definition of its own kind.
                    sub = {"$ref": "#/$defs/" + (kind if kind in defs else "event")}
                    e = jsonschema.exceptions.best_match(
                        jsonschema.Draft202012Validator(
                            dict(sub, **{"$defs": defs})).iter_errors(value))
                    where = "/".join(str(p) for p in e.absolute_path) if e else ""
                    why = e.message[:300] if e else "not one of the kinds"
                    print(f"schema: {path}:{n}: {kind} {where or '(top)'}: {why}")
    summary = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
    print(f"schema: {lines - bad if bad <= lines else 0} of {lines} lines valid "
          f"in {len(argv) - 2} files ({summary})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

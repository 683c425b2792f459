#!/usr/bin/env python3
"""Validates GuardDuty finding JSON against botocore's own `Finding` shape.

Usage: validate_finding_shape.py FILE [FILE ...]

Each FILE holds a GetFindings response body ({"findings": [...]}) or a single finding. Every
finding must have each required member, no member the model does not define, and every value of
the model's type (recursively, by JSON wire name). Prints one line per problem and exits 1 if any.
"""
import json
import sys

import botocore.session


def check(shape, value, path, problems):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected object for {shape.name}, got {type(value).__name__}")
            return
        wire = {}
        for name, member in shape.members.items():
            wire[member.serialization.get("name", name)] = (name, member)
        for name in shape.required_members:
            member = shape.members[name]
            key = member.serialization.get("name", name)
            if key not in value:
                problems.append(f"{path}: missing required member {key}")
        for key, item in value.items():
            if key not in wire:
                problems.append(f"{path}: unknown member {key} (not in {shape.name})")
                continue
            check(wire[key][1], item, f"{path}.{key}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected array, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            check(shape.member, item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected map, got {type(value).__name__}")
            return
        for k, item in value.items():
            check(shape.key, k, f"{path}<key>", problems)
            check(shape.value, item, f"{path}[{k!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected string, got {type(value).__name__}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected integer, got {value!r}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected boolean, got {value!r}")
    elif kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problems.append(f"{path}: expected timestamp, got {value!r}")
    else:
        problems.append(f"{path}: unhandled shape type {kind}")


def main(paths):
    model = botocore.session.get_session().get_service_model("guardduty")
    finding = model.shape_for("Finding")
    problems = []
    total = 0
    for path in paths:
        with open(path) as f:
            body = json.load(f)
        findings = body["findings"] if isinstance(body, dict) and "findings" in body else [body]
        for i, item in enumerate(findings):
            total += 1
            check(finding, item, f"{path}:findings[{i}]", problems)
    for p in problems:
        print(p)
    print(f"{total} findings checked against botocore {botocore.__version__}: {len(problems)} problems")
    return 1 if problems or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The verifier's compiled schema check agrees with jsonschema (the authority) on valid and broken results."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import jsonschema_rs

from drivers.backend.signing import DeviceKey, sign_result
from testbench.benches.verifier_bench import _result
from verifier.service import load_result_schema


def _mutations(result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in result:
        missing = copy.deepcopy(result)
        del missing[key]
        out.append(missing)
        for wrong in ({}, [], 12345, "x" * 3, None, True, -1.5):
            changed = copy.deepcopy(result)
            changed[key] = wrong
            out.append(changed)
    extra = copy.deepcopy(result)
    extra["admin"] = True
    out.append(extra)
    for consent in result.get("consents", []):
        for key in consent:
            changed = copy.deepcopy(result)
            changed["consents"][0][key] = 7
            out.append(changed)
    return out


def test_fast_validator_judges_like_jsonschema() -> None:
    schema = load_result_schema()
    slow = jsonschema.Draft202012Validator(schema)
    fast = jsonschema_rs.validator_for(schema, validate_formats=False)
    result = json.loads(sign_result(_result("kiosk-1", b"\x30" * 900), DeviceKey.generate()).body)
    cases = [result, *_mutations(result)]
    verdicts = [(fast.is_valid(case), slow.is_valid(case)) for case in cases]
    assert verdicts[0] == (True, True)
    assert sum(1 for _, ok in verdicts if not ok) > 50  # the mutations do break the schema
    assert [i for i, (f, s) in enumerate(verdicts) if f != s] == []

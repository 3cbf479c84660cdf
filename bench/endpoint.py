"""Requests to Dash's callback endpoint, as the browser sends them (used by the benchmark and the tests)."""

from __future__ import annotations

import json


def _id(key: str) -> str | dict:
    component = key.rsplit(".", 1)[0]
    return json.loads(component) if component.startswith("{") else component


def update_payload(dependencies: list[dict], output_contains: str, inputs: dict[str, object], changed: str,
                   state: dict[str, object] | None = None) -> dict:
    """The POST body for /_dash-update-component: the callback whose output names `output_contains`, with
    `inputs` and `state` as {"component.property": value} and `changed` the input that fired."""
    callback = next(d for d in dependencies if output_contains in d["output"])
    outputs = [o.rsplit(".", 1) for o in callback["output"].strip(".").split("...")]
    return {
        "output": callback["output"],
        "outputs": [{"id": component, "property": prop.split("@")[0]} for component, prop in outputs],
        "inputs": [{"id": _id(key), "property": key.rsplit(".", 1)[1], "value": value}
                   for key, value in inputs.items()],
        "changedPropIds": [changed],
        "state": [{"id": _id(key), "property": key.rsplit(".", 1)[1], "value": value}
                  for key, value in (state or {}).items()],
    }

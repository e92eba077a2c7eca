"""A small, strict structural check of responses against the app's own OpenAPI schema.

No JSON Schema library is installed, so this walks the subset Litestar generates: $ref, oneOf/anyOf/
allOf, type (one or a list), enum, required, properties, additionalProperties, items, minimum/maximum,
and the date and date-time formats. It is stricter than JSON Schema in one way on purpose: an object
with `properties` may not carry keys the schema does not name, so an undocumented field is caught."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target = spec
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def problems(spec: dict, schema: dict, value, where: str = "$") -> list[str]:
    schema = resolve(spec, schema)
    found: list[str] = []
    if "oneOf" in schema:
        matching = [option for option in schema["oneOf"] if not problems(spec, option, value, where)]
        if len(matching) != 1:
            found.append(f"{where}: matches {len(matching)} of oneOf")
    if "anyOf" in schema and not any(not problems(spec, option, value, where) for option in schema["anyOf"]):
        found.append(f"{where}: matches nothing in anyOf")
    for option in schema.get("allOf", []):
        found += problems(spec, option, value, where)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(TYPES[kind](value) for kind in kinds):
            return found + [f"{where}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, str) and schema.get("format") in ("date", "date-time"):
        try:
            (date if schema["format"] == "date" else datetime).fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            found.append(f"{where}: {value!r} is not a {schema['format']}")
        if schema["format"] == "date-time" and not re.search(r"(Z|[+-]\d\d:\d\d)$", value):
            found.append(f"{where}: {value!r} has no time zone")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: missing required {key!r}")
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                found += problems(spec, properties[key], item, f"{where}.{key}")
            elif isinstance(extra, dict):
                found += problems(spec, extra, item, f"{where}.{key}")
            elif properties is not None:
                found.append(f"{where}: {key!r} is not in the schema")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(spec, schema["items"], item, f"{where}[{index}]")
    return found


def operation_for(spec: dict, method: str, path: str) -> tuple[str, dict]:
    """The schema's operation for a concrete path, like /api/rounds/12 -> /api/rounds/{round_id}."""
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI schema")


def check_response(spec: dict, response) -> None:
    """Assert a response is what the schema says that operation answers with that status."""
    request = response.request
    template, operation = operation_for(spec, request.method, request.url.path)
    responses = operation["responses"]
    assert str(response.status_code) in responses, f"{template} answered {response.status_code}, not in {sorted(responses)}"
    content = responses[str(response.status_code)].get("content") or {}
    served = response.headers.get("content-type", "").split(";")[0].strip()
    assert served in content, f"{template} {response.status_code}: served {served!r}, schema says {sorted(content)}"
    if served == "application/json":
        found = problems(spec, content[served]["schema"], json.loads(response.content))
        assert not found, f"{request.url}: {found[:10]}"

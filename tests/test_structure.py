"""Checks that keep pb's structure as the structural issue left it (they read the source, not the app).

- One writer per table: only the capability that declares a table in its tables.py inserts, updates
  or deletes its rows (through Piccolo or raw SQL); others call that capability's actions.
- No function-level imports of pb modules to dodge an import cycle: layers point one way
  (import-linter checks the layers), so imports sit at the top of the module. The `pb` command is the
  exception, so that `pb --help` does not import the whole app.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from pb.deliberation import rules as deliberation_rules
from pb.proposals import lifecycle
from pb.rounds import phases
from pb.tracker import rules as tracker_rules
from pb.voting.paper import rules as paper_rules

pytestmark = pytest.mark.pure

PB = Path(__file__).parent.parent / "pb"
SOURCES = sorted(path for path in PB.rglob("*.py") if "migrations" not in path.parts)
# Command-line entry points import lazily so that `pb --help` stays quick.
LAZY_IMPORTS_ALLOWED = re.compile(r"(^|/)(cli|[a-z_]+_cli)\.py$")


def _capability(path: Path) -> str:
    parts = path.relative_to(PB).parts
    return parts[0] if len(parts) > 1 else path.stem


def _owners() -> tuple[dict[str, str], dict[str, str]]:
    classes: dict[str, str] = {}
    tables: dict[str, str] = {}
    for path in PB.glob("*/tables.py"):
        for match in re.finditer(r'class (\w+)\(Table, tablename="(\w+)"\)', path.read_text()):
            classes[match.group(1)] = path.parent.name
            tables[match.group(2)] = path.parent.name
    return classes, tables


PICCOLO_WRITE = re.compile(r"\b([A-Z]\w+)\.(insert|update|delete)\(")
SQL_WRITE = re.compile(r"(?i)\b(insert\s+into|update|delete\s+from)\s+\"?(pb_\w+)")
BULK_WRITE = re.compile(r"\bbulk_insert\(\s*\"(pb_\w+)\"")


def test_the_owners_are_found():
    classes, tables = _owners()
    assert classes["Proposal"] == "proposals" and tables["pb_ballot"] == "voting"
    assert len(classes) >= 35


def test_only_the_owning_capability_writes_a_table():
    classes, tables = _owners()
    foreign: list[str] = []
    for path in SOURCES:
        here = _capability(path)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            written = [classes.get(m.group(1)) and (m.group(1), classes[m.group(1)]) for m in PICCOLO_WRITE.finditer(line)]
            written += [(m.group(2), tables[m.group(2)]) for m in SQL_WRITE.finditer(line) if m.group(2) in tables]
            written += [(m.group(1), tables[m.group(1)]) for m in BULK_WRITE.finditer(line) if m.group(1) in tables]
            for item in written:
                if item and item[1] != here:
                    foreign.append(f"{path.relative_to(PB.parent)}:{number} writes {item[0]} (owned by {item[1]})")
    assert not foreign, "call the owner's action instead:\n" + "\n".join(foreign)


def test_pb_modules_are_imported_at_the_top():
    late: list[str] = []
    for path in SOURCES:
        relative = path.relative_to(PB.parent).as_posix()
        if LAZY_IMPORTS_ALLOWED.search(relative):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("pb"):
                        late.append(f"{relative}:{inner.lineno} from {inner.module} import …")
                    elif isinstance(inner, ast.Import) and any(a.name.startswith("pb") for a in inner.names):
                        late.append(f"{relative}:{inner.lineno} import {inner.names[0].name}")
    assert not late, "move these imports to the top of the module (or fix the layering that stops you):\n" + "\n".join(late)


def test_each_status_and_phase_vocabulary_names_exactly_its_type():
    """Statuses and phases are Literal types (mypy checks every use); the names, tags and moves
    keyed by them must cover the same values, so a new status cannot go untranslated or unstyled."""
    assert set(phases.PHASE_NAMES) == set(phases.PHASE_EXPLANATIONS) == set(phases.ALL_PHASES)
    assert set(phases.PHASE_DATE_FIELDS) == set(phases.PHASES) - {"draft"}
    assert set(lifecycle.STATUS_NAMES) == set(lifecycle.STATUS_TAG_CLASSES) == set(lifecycle.STATUSES)
    assert set(lifecycle.PUBLIC_STATUSES) == set(lifecycle.STATUSES) - {"draft"}
    assert {status for pair in lifecycle.TRANSITIONS for status in pair} <= set(lifecycle.STATUSES)
    delivery = set(get_args(tracker_rules.DeliveryStatus))
    assert (
        set(tracker_rules.DELIVERY_STATUSES) == set(tracker_rules.DELIVERY_TAGS) == set(tracker_rules.DELIVERY_MOVES) == delivery
    )
    assert set(deliberation_rules.REGISTRATION_STATUSES) == set(get_args(deliberation_rules.RegistrationStatus))
    assert set(paper_rules.STATUSES) == {"open", "entered", "discrepancies", "counted", "cancelled"}

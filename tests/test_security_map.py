"""docs/security.md maps every security control to the tests that prove it: each test it names
must exist, every control must name one, and every test of tests/core/test_security_*.py must
be mapped to a control."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def control_rows():
    """{control id: [(path, test name), ...]} from the table of docs/security.md."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*(S\d+)\s*\|", line)
        if match:
            assert match.group(1) not in rows, f"{match.group(1)} listed twice"
            cells = line.strip().strip("|").split("|")
            rows[match.group(1)] = NODE.findall(cells[-1])
    return rows


def defined_tests(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_the_map_lists_the_controls_in_order():
    rows = control_rows()
    assert len(rows) >= 30
    assert list(rows) == [f"S{n:02d}" for n in range(1, len(rows) + 1)]


def test_every_control_names_at_least_one_test():
    assert [control for control, tests in control_rows().items() if not tests] == []


def test_every_named_test_exists():
    missing = []
    for control, tests in control_rows().items():
        for path, name in tests:
            if not (ROOT / path).is_file() or name not in defined_tests(path):
                missing.append(f"{control}: {path}::{name}")
    assert missing == []


def test_every_security_test_is_mapped_to_a_control():
    mapped = {node for tests in control_rows().values() for node in tests}
    files = sorted((ROOT / "tests" / "core").glob("test_security_*.py"))
    assert files
    unmapped = [
        f"{path}::{name}"
        for path in (str(f.relative_to(ROOT)) for f in files)
        for name in sorted(defined_tests(path))
        if (path, name) not in mapped
    ]
    assert unmapped == []

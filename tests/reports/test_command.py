"""``zhengxie report annual|term`` writes the figures of ``report_json``."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reports.figure_data import build


@pytest.fixture
def data(db):
    return build()


def run(*args):
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_annual_json_goes_to_the_file(data, tmp_path):
    target = tmp_path / "a-2025.json"
    said = run(
        "annual", "--committee", "330101", "--year", "2025", "--format", "json", "-o", str(target)
    )
    assert str(target) in said
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["committee"]["code"] == "330101"
    assert body["period"] == {"kind": "year", "id": None, "label": "2025年"}
    assert body["figures"]["proposals_received"] == 5
    assert body["figures"]["registration_rate"] == 0.6
    assert body["figures"]["by_category"] == [
        {"label": "民生", "value": 2},
        {"label": "经济", "value": 1},
    ]
    assert body["figures"]["plan_items"] is None and "plan_items" in body["absent"]


def test_annual_aggregate_and_session_and_term(data):
    total = json.loads(run("annual", "--committee", "330100", "--year", "2025", "--aggregate"))
    assert total["aggregate"] is True
    assert total["figures"]["proposals_received"] == 7
    assert total["figures"]["attendance_rate"] == 5 / 7
    session = json.loads(run("annual", "--committee", "330101", "--session", "3"))
    assert session["period"]["kind"] == "session"
    assert session["figures"]["proposals_received"] == 1
    named = json.loads(run("annual", "--committee", "330101", "--session", "4", "--term", "10"))
    assert named["figures"]["proposals_received"] == 5
    term = json.loads(run("term", "--committee", "330101", "--term", "10", "--format", "json"))
    assert term["period"]["kind"] == "term"
    assert term["figures"]["proposals_received"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annual", "--committee", "NOPE", "--year", "2025"], "找不到代码为“NOPE”的委员会"),
        (["annual", "--committee", "330101", "--year", "1800"], "年度应在"),
        (["annual", "--committee", "330101"], "请指定 --year 或 --session"),
        (
            ["annual", "--committee", "330101", "--year", "2025", "--session", "4"],
            "请指定 --year 或 --session",
        ),
        (["annual", "--committee", "330101", "--session", "9"], "第9次会议"),
        (
            ["annual", "--committee", "330101", "--session", "4", "--aggregate"],
            "汇总统计只能按年度进行",
        ),
        (["term", "--committee", "330101", "--term", "11"], "第11届"),
        (["annual", "--committee", "330101", "--year", "2025", "--format", "docx"], "必须用 -o"),
    ],
)
def test_bad_input_is_refused_in_chinese(data, tmp_path, args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)


def test_md_and_docx_are_made_by_the_drafts_module(data, tmp_path):
    target = tmp_path / "a.md"
    args = ["annual", "--committee", "330101", "--year", "2025", "-o"]
    try:
        from zhengxie.reports.drafts import draft_docx, draft_markdown  # noqa: F401
    except ImportError:
        with pytest.raises(CommandError, match="尚未提供"):
            run(*args, str(target), "--format", "md")
        assert not target.exists()
        return
    run(*args, str(target), "--format", "md")
    assert "全年共收到提案5件,经审查立案3件,立案率60.0%" in target.read_text(encoding="utf-8")
    docx = tmp_path / "a.docx"
    run(*args, str(docx), "--format", "docx")
    assert docx.read_bytes()[:2] == b"PK"

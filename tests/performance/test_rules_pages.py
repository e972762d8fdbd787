"""The point table pages: everyone inside reads the year's rules, only admins edit (each save a
new version, bad rows shown on their row, nothing written), and the history shows what each
version changed."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from zhengxie.core.models import Role
from zhengxie.performance import defaults, queries, tables
from zhengxie.performance.models import PointTable, PointTableVersion

YEAR = 2026
pytestmark = pytest.mark.usefixtures("unscoped")


def form_data(contents, note="调整分值", deleted=(), blank_extra=3):
    """The editor's POST body for ``contents`` (as ``version_contents`` gives it)."""
    rules, exits = contents["rules"], contents["exit_rules"]
    data = {
        "pass_mark": contents["pass_mark"],
        "commendation_threshold": contents["commendation_threshold"],
        "commendation_share": contents["commendation_share"],
        "note": note,
        "rule-TOTAL_FORMS": len(rules) + blank_extra,
        "rule-INITIAL_FORMS": len(rules),
        "exit-TOTAL_FORMS": len(exits) + 1,
        "exit-INITIAL_FORMS": len(exits),
    }
    for n, rule in enumerate(rules):
        for name, value in rule.items():
            if name == "sub_kind" and value:
                value = f"{rule['kind']}:{value}"
            data[f"rule-{n}-{name}"] = "" if value is None else value
        if n in deleted:
            data[f"rule-{n}-DELETE"] = "on"
    for n in range(len(rules), len(rules) + blank_extra):
        data[f"rule-{n}-per"], data[f"rule-{n}-split"] = "item", "full"
    for n, rule in enumerate(exits):
        for name, value in rule.items():
            data[f"exit-{n}-{name}"] = value
    data[f"exit-{len(exits)}-scope"] = "term"
    return data


def defaults_contents():
    return tables.version_contents(PointTableVersion.objects.get(table__year=YEAR, number=1))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.CHAIR, Role.ADMIN])
def test_everyone_inside_reads_the_rules(committee, login, role):
    client = login(user_with_role(committee, role))
    response = client.get(reverse("performance:rules"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "出席全体会议" in html and "会议出席" in html and "全体会议·已签到" in html
    assert "连续2次无故缺席全体会议" in html and "一届内累计3次无故缺席全体会议" in html
    assert "年度积分达到 120.00 分且排名在全体委员前 10%" in html
    assert ('id="rules-edit"' in html) is (role == Role.ADMIN)
    assert len(response.context["rows"]) == len(defaults.RULES)


def test_units_may_not_read_the_rules(committee, login):
    client = login(user_with_role(committee, Role.UNIT))
    assert client.get(reverse("performance:rules")).status_code == 403


def test_a_bad_year_is_not_found(committee, login):
    client = login(user_with_role(committee, Role.ADMIN))
    assert client.get(reverse("performance:rules"), {"year": "abc"}).status_code == 404
    assert client.get(reverse("performance:rules_edit", args=[1800])).status_code == 404


def test_an_admin_changes_adds_and_removes_rows(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    assert client.get(url).status_code == 200
    contents = defaults_contents()
    contents["rules"][0]["points"] = D("55")
    data = form_data(contents, deleted={1})
    n = len(contents["rules"])
    data.update(
        {
            f"rule-{n}-label": "获省级领导批示",
            f"rule-{n}-kind": "instruction",
            f"rule-{n}-level": "province",
            f"rule-{n}-points": "20",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    v2 = PointTableVersion.objects.get(table__year=YEAR, number=2)
    labels = [r.label for r in v2.rules.order_by("position")]
    assert len(labels) == len(defaults.RULES)  # one removed, one added
    assert "全体会议请假(批准)" not in labels and labels[-1] == "获省级领导批示"
    assert v2.rules.order_by("position").first().points == D("55.00")
    assert (v2.note, v2.created_by) == ("调整分值", admin_user)
    diff = queries.version_diff(v2, PointTableVersion.objects.get(table__year=YEAR, number=1))
    assert [r.label for r in diff["added"]] == ["获省级领导批示"]
    assert [r.label for r in diff["removed"]] == ["全体会议请假(批准)"]
    assert [(c["rule"].label, c["fields"]) for c in diff["changed"]] == [
        ("出席全体会议", [{"label": "分值", "old": D("50.00"), "new": D("55.00")}])
    ]
    history = client.get(reverse("performance:rules_versions", args=[YEAR]))
    html = history.content.decode()
    assert "新增:获省级领导批示(20.00分)" in html
    assert "删除:全体会议请假(批准)(30.00分)" in html
    assert "修改:出席全体会议 — 分值 50.00 → 55.00" in html


def test_bad_rows_are_shown_on_their_row_and_nothing_is_written(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    contents = defaults_contents()
    contents["rules"][2]["points"] = "很多"
    contents["rules"][3]["split"] = "role"  # secondary points missing
    response = client.post(url, form_data(contents))
    assert response.status_code == 400
    forms = response.context["rule_set"].forms
    assert forms[2].non_field_errors() == ["第3行:分值须为数字。"]
    assert forms[3].non_field_errors() == ["第4行:按牵头或排序计分时须填写次要分值。"]
    assert "第3行:分值须为数字。" in response.content.decode()
    assert PointTableVersion.objects.count() == 1


def test_row_numbers_count_the_rows_kept_after_deletions(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    contents = defaults_contents()
    contents["rules"][3]["label"] = ""
    response = client.post(url, form_data(contents, deleted={0}))
    forms = response.context["rule_set"].forms
    assert forms[3].non_field_errors() == ["第3行:请填写名称。"]
    assert PointTableVersion.objects.count() == 1


def test_a_sub_kind_of_another_kind_is_refused(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    data = form_data(defaults_contents())
    data["rule-0-sub_kind"] = "proposal:submitted"
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["rule_set"].forms[0].errors == {"sub_kind": ["所选细项不属于该事项。"]}
    assert PointTableVersion.objects.count() == 1


def test_the_note_is_required(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    response = client.post(url, form_data(defaults_contents(), note=""))
    assert response.context["header"].errors == {"note": ["请填写修改说明。"]}
    assert PointTableVersion.objects.count() == 1


def test_header_errors_come_back_from_the_service(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    contents = defaults_contents()
    contents["commendation_share"] = 0
    response = client.post(url, form_data(contents))
    assert response.context["header"].errors == {
        "commendation_share": ["推荐比例须在 1 到 100 之间。"]
    }
    assert PointTableVersion.objects.count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.MEMBER])
def test_only_admins_edit(committee, login, role):
    client = login(user_with_role(committee, role))
    url = reverse("performance:rules_edit", args=[YEAR])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403
    assert PointTable.objects.count() == 0


def test_the_history_lists_every_version(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    contents = defaults_contents()
    contents["pass_mark"] = D("65")
    client.post(url, form_data(contents, note="提高合格分"))
    response = client.get(reverse("performance:rules_versions", args=[YEAR]))
    entries = response.context["entries"]
    assert [(e["version"].number, e["version"].note) for e in entries] == [
        (2, "提高合格分"),
        (1, "默认积分表"),
    ]
    assert entries[0]["diff"]["header"] == [
        {"label": "合格分", "old": D("60.00"), "new": D("65.00")}
    ]
    assert "合格分:60.00 → 65.00" in response.content.decode()


def test_the_editor_starts_from_the_latest_version(committee, login, admin_user):
    response = login(admin_user).get(reverse("performance:rules_edit", args=[YEAR]))
    html = response.content.decode()
    assert '<option value="attendance:plenary.attended" selected>' in html
    assert '<option value="proposal:submitted">提案·提交提案</option>' in html
    assert response.context["rule_set"].total_form_count() == len(defaults.RULES) + 3


def test_exit_rules_are_edited_with_the_table(committee, login, admin_user):
    client = login(admin_user)
    url = reverse("performance:rules_edit", args=[YEAR])
    client.get(url)
    contents = defaults_contents()
    data = form_data(contents)
    data["exit-0-DELETE"] = "on"
    data["exit-1-count"] = "11"
    response = client.post(url, data)
    assert response.context["exit_set"].forms[1].non_field_errors() == [
        "退出规则第1行:次数须在 1 到 10 之间。"
    ]
    data["exit-1-count"] = "4"
    assert client.post(url, data).status_code == 302
    v2 = PointTableVersion.objects.get(table__year=YEAR, number=2)
    assert [queries.exit_prose(e.kind, e.meeting_category, e.scope, e.count)
            for e in v2.exit_rules.order_by("position")] == [
        "一届内累计4次无故缺席全体会议",
        "连续3次无故缺席常委会议",
        "连续2年年度积分低于合格分",
    ]  # fmt: skip

import pytest
from django_scopes import scopes_disabled

from tests.factories import CommitteeFactory, user_with_role
from zhengxie.core.models import AuditAction, AuditEntry, Role

MISSING_ID = 987654


@pytest.fixture
def staff(committee, roster):
    return user_with_role(committee, Role.STAFF, username="staff1")


@pytest.fixture
def member(committee, roster):
    return user_with_role(committee, Role.MEMBER, username="member1")


def names(body):
    return [item["name"] for item in body["items"]]


# --- committees -----------------------------------------------------------------------------


def test_committees_are_the_active_one_its_ancestors_and_descendants(api_client, db):
    province = CommitteeFactory(code="P1", level="provincial")
    city = CommitteeFactory(code="P1C1", level="municipal", parent=province)
    county = CommitteeFactory(code="P1C1X1", parent=city)
    CommitteeFactory(code="P1C1X2", parent=city)  # a sibling: not visible
    town = CommitteeFactory(code="P1C1X1T", parent=county)
    user = user_with_role(county, Role.STAFF)
    body = api_client(user).get("/api/v1/committees").json()
    assert [c["id"] for c in body] == [province.pk, city.pk, county.pk, town.pk]
    assert body[1] == {
        "id": city.pk,
        "name": city.name,
        "short_name": city.short_name,
        "code": "P1C1",
        "level": "municipal",
        "parent_id": province.pk,
    }


def test_a_committee_outside_the_visible_ones_answers_like_a_missing_one(
    api_client, committee, staff, other_committee
):
    client = api_client(staff)
    assert client.get(f"/api/v1/committees/{committee.pk}").json()["id"] == committee.pk
    foreign = client.get(f"/api/v1/committees/{other_committee.pk}")
    missing = client.get(f"/api/v1/committees/{MISSING_ID}")
    assert (foreign.status_code, foreign.json()) == (404, {"detail": "对象不存在。"})
    assert (missing.status_code, missing.json()) == (404, {"detail": "对象不存在。"})


# --- structure lists ------------------------------------------------------------------------


def test_structure_lists_show_only_the_active_committee(api_client, staff, roster, other_roster):
    client = api_client(staff)
    assert [s["name"] for s in client.get("/api/v1/sectors").json()] == ["经济界", "教育界"]
    assert client.get("/api/v1/special-committees").json() == [
        {
            "id": roster["special"].pk,
            "name": "提案委员会",
            "handles_proposals": False,
            "position": 0,
        }
    ]
    groups = client.get("/api/v1/member-groups").json()
    assert [g["id"] for g in groups] == [roster["group"].pk]
    terms = client.get("/api/v1/terms").json()
    assert terms == [
        {
            "id": roster["term"].pk,
            "number": 10,
            "name": "第十届",
            "starts_on": "2022-01-10",
            "ends_on": None,
        }
    ]
    sessions = client.get("/api/v1/sessions").json()
    assert [(s["id"], s["term_id"], s["name"]) for s in sessions] == [
        (roster["session"].pk, roster["term"].pk, "十届1次会议")
    ]
    units = client.get("/api/v1/units").json()
    assert [u["name"] for u in units] == ["县教育局"]


def test_a_unit_user_may_read_units_but_not_members(api_client, committee, roster):
    user = user_with_role(committee, Role.UNIT, handling_unit=roster["unit"])
    client = api_client(user)
    assert [u["name"] for u in client.get("/api/v1/units").json()] == ["县教育局"]
    response = client.get("/api/v1/members")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限。"}
    detail = client.get(f"/api/v1/members/{roster['wang'].pk}")
    assert (detail.status_code, detail.json()) == (403, {"detail": "您没有执行此操作的权限。"})


def test_the_public_may_read_neither_units_nor_members(api_client, committee, roster):
    client = api_client(user_with_role(committee, Role.PUBLIC))
    assert client.get("/api/v1/units").status_code == 403
    assert client.get("/api/v1/members").status_code == 403
    assert client.get(f"/api/v1/members/{roster['wang'].pk}").status_code == 403


# --- members --------------------------------------------------------------------------------


def test_members_list_the_current_term_in_sector_order(api_client, staff):
    body = api_client(staff).get("/api/v1/members").json()
    assert body["count"] == 4
    assert names(body) == ["李二", "王一", "赵三", "钱四"]


def test_a_member_row_carries_its_fields(api_client, staff, roster):
    wang = roster["wang"]
    body = api_client(staff).get("/api/v1/members", {"q": "王"}).json()
    assert body == {
        "count": 1,
        "items": [
            {
                "id": wang.pk,
                "person_id": wang.person_id,
                "name": "王一",
                "gender": "male",
                "ethnicity": "汉族",
                "birth_year": 1975,
                "party": "民革",
                "religion": "",
                "phone": "13900001111",
                "id_number": "330102197501011234",
                "term": {"id": roster["term"].pk, "name": "第十届"},
                "sector": {"id": roster["economy"].pk, "name": "经济界"},
                "group": {"id": roster["group"].pk, "name": "城关镇小组"},
                "number": "",
                "work_unit": "县人民医院",
                "job_title": "",
                "status": "in_office",
                "status_label": "在任",
                "is_standing": False,
                "joined_on": "2022-01-10",
                "left_on": None,
            }
        ],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "economy"}, ["李二", "王一"]),
        ({"party": "民盟"}, ["赵三", "钱四"]),
        ({"group": "group"}, ["王一"]),
        ({"special_committee": "special"}, ["赵三"]),
        ({"standing": "true"}, ["李二"]),
        ({"standing": "false"}, ["王一", "赵三", "钱四"]),
        ({"status": "resigned"}, ["钱四"]),
        ({"status": "in_office"}, ["李二", "王一", "赵三"]),
        ({"ethnicity": "回族"}, ["李二"]),
        ({"q": "赵"}, ["赵三"]),
        ({"term": "term"}, ["李二", "王一", "赵三", "钱四"]),
        ({"party": "民盟", "status": "in_office"}, ["赵三"]),
    ],
)
def test_members_filter(api_client, staff, roster, params, expected):
    query = {k: (roster[v].pk if v in roster else v) for k, v in params.items()}
    body = api_client(staff).get("/api/v1/members", query).json()
    assert (body["count"], names(body)) == (len(expected), expected)


def test_members_filtered_by_another_committees_sector_are_none(api_client, staff, other_roster):
    body = api_client(staff).get("/api/v1/members", {"sector": other_roster["economy"].pk}).json()
    assert body == {"count": 0, "items": []}


def test_members_paginate_with_limit_and_offset(api_client, staff):
    client = api_client(staff)
    first = client.get("/api/v1/members", {"limit": 3}).json()
    rest = client.get("/api/v1/members", {"limit": 3, "offset": 3}).json()
    assert (first["count"], names(first)) == (4, ["李二", "王一", "赵三"])
    assert (rest["count"], names(rest)) == (4, ["钱四"])


@pytest.mark.parametrize(
    ("params", "field", "msg"),
    [
        ({"limit": 501}, "limit", "数值太大。"),
        ({"limit": 0}, "limit", "数值太小。"),
        ({"offset": -1}, "offset", "数值太小。"),
        ({"sector": "x"}, "sector", "请输入整数。"),
        ({"status": "retired"}, "status", "不是有效的选项。"),
        ({"q": "王\x00"}, "q", "含有不允许的字符。"),
        ({"sector": 2**63}, "sector", "数值太大。"),
    ],
)
def test_members_reject_bad_query_params_in_chinese(api_client, staff, params, field, msg):
    response = api_client(staff).get("/api/v1/members", params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误。"
    assert [(e["loc"][-1], e["msg"]) for e in body["errors"]] == [(field, msg)]


def test_members_list_is_a_bounded_number_of_queries(
    api_client, staff, committee, roster, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory, PersonFactory

    for n in range(20):
        MembershipFactory(
            committee=committee,
            term=roster["term"],
            sector=roster["education"],
            group=roster["group"],
            person=PersonFactory(committee=committee, name=f"孙{n:02d}"),
        )
    client = api_client(staff)
    # token look-up, last_used, current term, count, page (no query per row)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/members", {"limit": 500}).json()
    assert body["count"] == 24


def test_members_are_masked_for_a_member(api_client, member, roster):
    rows = {r["name"]: r for r in api_client(member).get("/api/v1/members").json()["items"]}
    wang = rows["王一"]
    assert (wang["phone"], wang["id_number"]) == ("139****1111", "330***********1234")
    assert rows["李二"]["religion"] == "***"
    assert wang["religion"] == ""


def test_members_are_clear_for_staff(api_client, staff):
    rows = {r["name"]: r for r in api_client(staff).get("/api/v1/members").json()["items"]}
    assert rows["李二"]["religion"] == "伊斯兰教"


def test_member_detail_has_positions_and_history(api_client, staff, roster):
    qian, zhao = roster["qian"], roster["zhao"]
    client = api_client(staff)
    body = client.get(f"/api/v1/members/{qian.pk}").json()
    assert body["status"] == "resigned"
    assert body["left_on"] == "2024-03-01"
    assert body["history"] == [
        {
            "kind": "resigned",
            "kind_label": "辞去",
            "effective_on": "2024-03-01",
            "decided_by": "十届常委会第十次会议",
            "note": "",
        }
    ]
    positions = client.get(f"/api/v1/members/{zhao.pk}").json()["positions"]
    assert [(p["kind"], p["label"], p["special_committee_id"]) for p in positions] == [
        ("special_committee", "提案委员会主任", roster["special"].pk)
    ]


def test_member_detail_in_clear_is_audited(api_client, committee, staff, roster):
    wang = roster["wang"]
    client = api_client(staff)
    body = client.get(f"/api/v1/members/{wang.pk}").json()
    assert (body["phone"], body["id_number"]) == ("13900001111", "330102197501011234")
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).get()
    assert (entry.actor, entry.committee, entry.object_type, entry.object_id) == (
        staff,
        committee,
        "organisation.Person",
        str(wang.person_id),
    )


def test_member_detail_masked_is_not_audited(api_client, member, roster):
    body = api_client(member).get(f"/api/v1/members/{roster['wang'].pk}").json()
    assert (body["phone"], body["id_number"]) == ("139****1111", "330***********1234")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).count() == 0


def test_a_member_sees_their_own_record_in_clear(api_client, committee, roster):
    wang = roster["wang"]
    user = user_with_role(committee, Role.MEMBER)
    with scopes_disabled():
        wang.person.user = user
        wang.person.save(update_fields=["user"])
    body = api_client(user).get(f"/api/v1/members/{wang.pk}").json()
    assert body["phone"] == "13900001111"


# --- isolation: another committee's ids answer exactly like missing ones ----------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/committees/{committee}", "/api/v1/members/{wang}", "/api/v1/members/{qian}"],
)
def test_another_committees_object_answers_like_a_missing_one(
    api_client, staff, other_roster, path
):
    ids = {
        "committee": other_roster["term"].committee_id,
        "wang": other_roster["wang"].pk,
        "qian": other_roster["qian"].pk,
    }
    client = api_client(staff)
    foreign = client.get(path.format(**ids))
    missing = client.get(path.format(**dict.fromkeys(ids, MISSING_ID)))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "对象不存在。"}
    assert foreign.headers["Content-Type"] == missing.headers["Content-Type"]


def test_lists_never_show_another_committees_rows(api_client, staff, roster, other_roster):
    client = api_client(staff)
    mine = {
        "/api/v1/sectors": {roster["economy"].pk, roster["education"].pk},
        "/api/v1/special-committees": {roster["special"].pk},
        "/api/v1/member-groups": {roster["group"].pk},
        "/api/v1/terms": {roster["term"].pk},
        "/api/v1/sessions": {roster["session"].pk},
        "/api/v1/units": {roster["unit"].pk},
    }
    for path, ids in mine.items():
        assert {row["id"] for row in client.get(path).json()} == ids, path
    members = client.get("/api/v1/members", {"term": other_roster["term"].pk}).json()
    assert members == {"count": 0, "items": []}

import datetime

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from tests.factories import SessionFactory
from tests.study.conftest import TODAY
from zhengxie.core.scoping import aggregate_scope
from zhengxie.study import services
from zhengxie.study.stats import study_figures

YEAR = TODAY.year
KEYS = {
    "study_sessions",
    "trainings",
    "study_attendances",
    "training_materials",
    "reading_sessions",
    "plan_items",
    "plan_items_held",
}


def _day(month, day=10):
    return datetime.date(YEAR - 1, month, day)


def _build(study):
    """Last year: a plan of four items, sessions in every state, materials and reading."""
    plan = study.plan(year=YEAR - 1, items=3)
    reading_item = services.item_add(
        actor=study.staff, plan=plan, data={"topic": "读书", "kind": "reading", "audience": "all"}
    )
    first, second, _third = plan.items.order_by("position")[:3]
    closed = study.held_with(
        study.session(day=_day(3), plan_item=first), {0: "attended", 1: "attended", 2: "absent"}
    )
    services.session_close(actor=study.staff, session=closed)
    study.held_with(study.session(kind="training", day=_day(5)), {0: "attended"})  # held
    study.session(day=_day(6), plan_item=second)  # still planned: not counted
    cancelled = study.session(day=_day(7))
    services.session_act(actor=study.staff, session=cancelled, action="cancel", note="改期")
    study.held_with(study.session(day=datetime.date(YEAR - 2, 12, 30)), {0: "attended"})
    material = services.material_create(
        actor=study.staff, committee=study.committee, data={"title": "书", "kind": "book"}
    )
    for day, copies in ((_day(3), 100), (_day(9), 25), (datetime.date(YEAR - 2, 12, 1), 7)):
        services.distribution_add(
            actor=study.staff, material=material, data={"date": day, "copies": copies}
        )
    group = study.group_with()
    for day, close in ((_day(4), True), (_day(8), False)):
        reading = services.reading_session_create(
            actor=study.staff,
            group=group,
            data={"date": day, "half_days": 1},
            plan_item=reading_item if close else None,
        )
        if close:
            services.reading_session_act(actor=study.staff, session=reading, action="close")
    return plan


def test_the_figures_of_a_year(study):
    _build(study)
    figures = study_figures(committee=study.committee, year=YEAR - 1)
    assert set(figures) == KEYS
    assert figures == {
        "study_sessions": 1,
        "trainings": 1,
        "study_attendances": 3,
        "training_materials": 125,
        "reading_sessions": 1,
        "plan_items": 4,
        "plan_items_held": 2,
    }
    assert study_figures(committee=study.committee, year=YEAR - 2) == {
        "study_sessions": 1,
        "trainings": 0,
        "study_attendances": 1,
        "training_materials": 7,
        "reading_sessions": 0,
        "plan_items": 0,
        "plan_items_held": 0,
    }


def test_a_session_period_runs_to_the_next_opening(study):
    _build(study)
    opening = SessionFactory(
        committee=study.committee, term=study.term, opens_on=_day(1, 5), number=30
    )
    later = SessionFactory(
        committee=study.committee, term=study.term, opens_on=_day(6, 1), number=31
    )
    figures = study_figures(committee=study.committee, session=opening)
    assert (figures["study_sessions"], figures["trainings"], figures["training_materials"]) == (
        1,
        1,
        100,
    )
    assert study_figures(committee=study.committee, session=later)["training_materials"] == 25


def test_the_figures_ignore_other_committees_and_add_up_in_an_aggregate_scope(
    study, other_committee
):
    _build(study)
    with scopes_disabled():
        other = study_figures(committee=other_committee, year=YEAR - 1)
    assert set(other.values()) == {0}
    with aggregate_scope(study.committee):
        assert study_figures(committee=study.committee, year=YEAR - 1)["study_attendances"] == 3


def test_the_stats_page_shows_the_figures_for_readers_only(client, login, study):
    with scope(committee=study.committee):
        _build(study)
    login(study.chair)
    response = client.get(reverse("study:stats"), {"year": YEAR - 1})
    assert response.status_code == 200
    assert {r["key"]: r["value"] for r in response.context["rows"]}["training_materials"] == 125
    assert 'id="figure-study_sessions">1<' in response.content.decode()
    assert client.get(reverse("study:stats"), {"year": "19"}).status_code == 400
    login(study.member())
    assert client.get(reverse("study:stats")).status_code == 403

"""Plenary speeches (大会发言): services, permissions, ledger, the race, figures, the .docx."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from tests.factories import (
    MembershipFactory,
    ProposalCategoryFactory,
    SessionFactory,
    user_with_role,
)
from zhengxie.core.models import AuditEntry, DutyRecord, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings import documents, speeches
from zhengxie.meetings.models import Speech, SpeechHistory, SpeechState
from zhengxie.meetings.speech_stats import speech_figures

TODAY = datetime.date.today


def _data(county, **changes):
    data = {
        "title": "关于加快县域养老服务体系建设的发言",
        "body": "当前,我县老龄化程度不断加深。\n建议完善居家社区养老服务网络。",
        "category": county.category,
        "speaker_body": "",
    }
    data.update(changes)
    return data


def _submitted(county, member=0, **changes):
    user, _membership = county.members[member]
    speech = speeches.speech_create(
        actor=user, committee=county.committee, data=_data(county, **changes)
    )
    return speeches.speech_act(actor=user, speech=speech, action="submit")


def _ledger(**filters):
    return list(
        DutyRecord.objects.filter(kind="speech", **filters)
        .order_by("pk")
        .values_list("membership_id", "sub_kind", "weight", "occurred_on")
    )


# Writing and submitting --------------------------------------------------------------------


def test_a_member_writes_and_submits_a_speech_for_the_open_session(county):
    user, membership = county.members[0]
    speech = speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    assert (speech.state, speech.session, speech.membership, speech.speaker_body) == (
        SpeechState.DRAFT,
        county.session,
        membership,
        "",
    )
    speech = speeches.speech_act(actor=user, speech=speech, action="submit")
    assert speech.state == SpeechState.SUBMITTED
    assert speech.submitted_at is not None
    assert list(SpeechHistory.objects.values_list("action", "from_state", "to_state")) == [
        ("submit", "draft", "submitted")
    ]
    assert _ledger() == [(membership.pk, "submitted", 1, timezone.localdate())]
    assert speeches.speaker_label(speech) == f"{membership.person.name}(教育界)"


def test_the_default_session_is_the_latest_not_yet_closed(county):
    SessionFactory(
        committee=county.committee,
        term=county.term,
        number=4,
        opens_on=TODAY() - datetime.timedelta(days=400),
        closes_on=TODAY() - datetime.timedelta(days=396),
    )
    assert speeches.current_session(county.committee) == county.session


def test_a_member_may_speak_in_the_name_of_a_body(county):
    user, membership = county.members[1]
    speech = speeches.speech_create(
        actor=user, committee=county.committee, data=_data(county, speaker_body="民盟县委会")
    )
    speech = speeches.speech_act(actor=user, speech=speech, action="submit")
    assert speeches.speaker_label(speech) == f"民盟县委会 {membership.person.name}"
    assert _ledger() == [(membership.pk, "submitted", 1, timezone.localdate())]


def test_staff_enter_a_bodys_speech_which_credits_nobody(county):
    speech = speeches.speech_create(
        actor=county.staff,
        committee=county.committee,
        data=_data(county, speaker_body="农工党县委会"),
    )
    assert speech.membership is None
    speech = speeches.speech_act(actor=county.staff, speech=speech, action="submit")
    speeches.speech_act(actor=county.other_staff, speech=speech, action="choose_oral")
    assert Speech.objects.get().state == SpeechState.ORAL
    assert _ledger() == []


def test_staff_must_name_the_body(county):
    with pytest.raises(ValidationError) as exc:
        speeches.speech_create(actor=county.staff, committee=county.committee, data=_data(county))
    assert exc.value.message_dict == {
        "speaker_body": ["机关工作人员录入的大会发言须填写发言单位(党派团体、界别等)。"]
    }


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(county, other_committee):
    user, _membership = county.members[0]
    foreign = ProposalCategoryFactory(committee=other_committee)
    with pytest.raises(ValidationError) as exc:
        speeches.speech_create(
            actor=user,
            committee=county.committee,
            data=_data(county, title="  ", body="字" * 6001, category=foreign),
        )
    assert exc.value.message_dict == {
        "title": ["请填写发言题目。"],
        "body": ["发言内容共6001字,超过6000字的限制。"],
        "category": ["请选择本会在用的发言类别。"],
    }
    county.category.is_active = False
    county.category.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as exc:
        speeches.speech_create(actor=user, committee=county.committee, data=_data(county, body=""))
    assert exc.value.message_dict == {
        "body": ["请填写发言内容。"],
        "category": ["请选择本会在用的发言类别。"],
    }
    assert Speech.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_closed_session_takes_no_more_speeches(county):
    user, _membership = county.members[0]
    closed = SessionFactory(
        committee=county.committee,
        term=county.term,
        number=4,
        name="十届四次会议",
        opens_on=TODAY() - datetime.timedelta(days=400),
        closes_on=TODAY() - datetime.timedelta(days=396),
    )
    with pytest.raises(ValidationError) as exc:
        speeches.speech_create(
            actor=user, committee=county.committee, data=_data(county, session=closed)
        )
    assert exc.value.message_dict == {"session": ["十届四次会议已闭幕,不能再提交大会发言。"]}
    # A draft written while it was open cannot be submitted once it has closed.
    speech = speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    county.session.closes_on = TODAY() - datetime.timedelta(days=1)
    county.session.save(update_fields=["closes_on"])
    with pytest.raises(ValidationError, match="已闭幕"):
        speeches.speech_act(actor=user, speech=speech, action="submit")
    assert Speech.objects.get().state == SpeechState.DRAFT
    assert _ledger() == []


def test_no_open_session_is_explained(county):
    county.session.closes_on = TODAY() - datetime.timedelta(days=1)
    county.session.save(update_fields=["closes_on"])
    user, _membership = county.members[0]
    with pytest.raises(ValidationError) as exc:
        speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    assert exc.value.message_dict == {"session": ["本会暂无可提交大会发言的会议。"]}


def test_the_speaker_edits_a_draft_but_not_a_submitted_speech(county):
    user, _membership = county.members[0]
    speech = speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    speech = speeches.speech_update(actor=user, speech=speech, data=_data(county, title="新题目"))
    assert speech.title == "新题目"
    speech = speeches.speech_act(actor=user, speech=speech, action="submit")
    with pytest.raises(InvalidTransition, match="请先撤回"):
        speeches.speech_update(actor=user, speech=speech, data=_data(county, title="再改"))
    # Staff may still correct it.
    speech = speeches.speech_update(
        actor=county.staff, speech=speech, data=_data(county, title="再改")
    )
    assert Speech.objects.get().title == "再改"


def test_a_member_may_withdraw_before_staff_decide(county):
    speech = _submitted(county)
    user, membership = county.members[0]
    speech = speeches.speech_act(actor=user, speech=speech, action="withdraw")
    assert speech.state == SpeechState.WITHDRAWN
    assert _ledger() == [
        (membership.pk, "submitted", 1, timezone.localdate()),
        (membership.pk, "submitted", -1, timezone.localdate()),
    ]
    chosen = _submitted(county)
    chosen = speeches.speech_act(actor=county.staff, speech=chosen, action="choose_written")
    with pytest.raises(InvalidTransition):
        speeches.speech_act(actor=user, speech=chosen, action="withdraw")


# Permissions -------------------------------------------------------------------------------


def test_a_member_cannot_submit_or_edit_anothers_speech_nor_choose(county):
    user, _membership = county.members[0]
    other, _other_membership = county.members[1]
    speech = speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    with pytest.raises(PermissionDenied):
        speeches.speech_act(actor=other, speech=speech, action="submit")
    with pytest.raises(PermissionDenied):
        speeches.speech_update(actor=other, speech=speech, data=_data(county, title="改"))
    speech = speeches.speech_act(actor=user, speech=speech, action="submit")
    with pytest.raises(PermissionDenied):
        speeches.speech_act(actor=user, speech=speech, action="choose_oral")
    with pytest.raises(PermissionDenied):
        speeches.speech_reorder(actor=user, session=county.session, speech_ids=[])
    assert Speech.objects.get().state == SpeechState.SUBMITTED


def test_units_public_and_non_members_cannot_write(county):
    unit_user, _unit = county.units[0]
    public = user_with_role(county.committee, Role.PUBLIC)
    for actor in (unit_user, public):
        with pytest.raises(PermissionDenied):
            speeches.speech_create(actor=actor, committee=county.committee, data=_data(county))
        assert list(speeches.visible_speeches(actor)) == []
    stranger = user_with_role(county.committee, Role.MEMBER)  # a member role without a seat
    with pytest.raises(PermissionDenied, match="在职委员"):
        speeches.speech_create(actor=stranger, committee=county.committee, data=_data(county))


def test_chairs_and_leaders_see_submitted_speeches_but_not_drafts(county):
    user, _membership = county.members[0]
    draft = speeches.speech_create(actor=user, committee=county.committee, data=_data(county))
    submitted = _submitted(county, member=1)
    chair = user_with_role(county.committee, Role.CHAIR)
    other, _m = county.members[2]
    assert list(speeches.visible_speeches(chair)) == [submitted]
    assert set(speeches.visible_speeches(user)) == {draft}
    assert list(speeches.visible_speeches(other)) == []


# Decisions and the ledger ------------------------------------------------------------------


def test_staff_choose_and_a_changed_choice_corrects_the_ledger(county):
    speech = _submitted(county)
    _user, membership = county.members[0]
    today = timezone.localdate()
    speech = speeches.speech_act(actor=county.staff, speech=speech, action="choose_oral", note="好")
    assert (speech.state, speech.order, speech.review_note) == (SpeechState.ORAL, 1, "好")
    speech = speeches.speech_act(actor=county.staff, speech=speech, action="choose_written")
    assert (speech.state, speech.order) == (SpeechState.WRITTEN, None)
    with pytest.raises(ValidationError) as exc:
        speeches.speech_act(actor=county.staff, speech=speech, action="not_use")
    assert exc.value.message_dict == {"note": ["不采用时请填写说明。"]}
    speech = speeches.speech_act(
        actor=county.staff, speech=speech, action="not_use", note="与其他发言重复"
    )
    assert (speech.state, speech.review_note) == (SpeechState.NOT_USED, "与其他发言重复")
    m = membership.pk
    assert _ledger() == [
        (m, "submitted", 1, today),
        (m, "oral", 1, today),
        (m, "oral", -1, today),
        (m, "written", 1, today),
        (m, "written", -1, today),
    ]
    assert list(SpeechHistory.objects.order_by("pk").values_list("action", "to_state", "note")) == [
        ("submit", "submitted", ""),
        ("choose_oral", "oral", "好"),
        ("choose_written", "written", ""),
        ("not_use", "not_used", "与其他发言重复"),
    ]


def test_two_staff_choosing_at_once_the_second_gets_a_conflict(county):
    speech = _submitted(county)
    stale = Speech.objects.get(pk=speech.pk)
    speeches.speech_act(actor=county.staff, speech=speech, action="choose_oral")
    # choose_written is allowed from oral, but the second staff member decided on what they saw.
    with pytest.raises(InvalidTransition, match="已被他人处理") as exc:
        speeches.speech_act(actor=county.other_staff, speech=stale, action="choose_written")
    assert "大会口头发言" in str(exc.value)
    assert Speech.objects.get().state == SpeechState.ORAL
    assert SpeechHistory.objects.filter(action__startswith="choose").count() == 1
    assert [r[1:3] for r in _ledger()] == [("submitted", 1), ("oral", 1)]


def test_oral_speeches_are_appended_then_reordered(county):
    first, second, third = (_submitted(county, member=i, title=f"发言{i}") for i in range(3))
    for speech in (first, second, third):
        speeches.speech_act(actor=county.staff, speech=speech, action="choose_oral")
    assert list(speeches.oral_speeches(county.session).values_list("title", "order")) == [
        ("发言0", 1),
        ("发言1", 2),
        ("发言2", 3),
    ]
    speeches.speech_reorder(
        actor=county.staff, session=county.session, speech_ids=[third.pk, first.pk, second.pk]
    )
    assert list(speeches.oral_speeches(county.session).values_list("title", "order")) == [
        ("发言2", 1),
        ("发言0", 2),
        ("发言1", 3),
    ]
    with pytest.raises(ValidationError, match="全部大会口头发言"):
        speeches.speech_reorder(
            actor=county.staff, session=county.session, speech_ids=[third.pk, first.pk]
        )
    assert SpeechHistory.objects.filter(action="reorder").count() == 3


# Figures -------------------------------------------------------------------------------------


def test_figures_count_submitted_speeches_of_the_period(county):
    other_category = ProposalCategoryFactory(
        committee=county.committee, name="经济", group="economy", is_livelihood=False
    )
    a = _submitted(county, member=0)
    b = _submitted(county, member=1, category=other_category)
    c = _submitted(county, member=2)
    _submitted(county, member=0, category=other_category)
    user, _membership = county.members[0]
    speeches.speech_create(actor=user, committee=county.committee, data=_data(county))  # draft
    withdrawn = _submitted(county, member=1)
    speeches.speech_act(actor=county.members[1][0], speech=withdrawn, action="withdraw")
    speeches.speech_act(actor=county.staff, speech=a, action="choose_oral")
    speeches.speech_act(actor=county.staff, speech=b, action="choose_written")
    speeches.speech_act(actor=county.staff, speech=c, action="not_use", note="重复")
    expected = {
        "plenary_speeches": 4,
        "livelihood_speeches": 2,
        "livelihood_speech_share": 0.5,
        "oral_speeches": 1,
        "written_speeches": 1,
    }
    committee = county.committee
    assert speech_figures(committee=committee, session=county.session) == expected
    assert speech_figures(committee=committee, year=TODAY().year) == expected
    assert speech_figures(committee=committee, year=TODAY().year - 1) == {
        "plenary_speeches": 0,
        "livelihood_speeches": 0,
        "livelihood_speech_share": 0.0,
        "oral_speeches": 0,
        "written_speeches": 0,
    }


def test_figures_share_is_rounded(county):
    other = ProposalCategoryFactory(committee=county.committee, name="经济", is_livelihood=False)
    _submitted(county, member=0)
    _submitted(county, member=1, category=other)
    _submitted(county, member=2, category=other)
    figures = speech_figures(committee=county.committee, session=county.session)
    assert figures["livelihood_speech_share"] == 0.3333


# The compiled material -----------------------------------------------------------------------


def test_the_material_lists_oral_speeches_in_order_then_written_by_group(county):
    economy = ProposalCategoryFactory(
        committee=county.committee, name="经济发展", group="economy", position=1
    )
    oral = [_submitted(county, member=i, title=f"口头发言{i}") for i in range(2)]
    written_society = _submitted(county, member=2, title="书面发言(社会)")
    written_economy = _submitted(county, member=0, title="书面发言(经济)", category=economy)
    body_speech = speeches.speech_create(
        actor=county.staff,
        committee=county.committee,
        data=_data(county, title="单位发言", speaker_body="民盟县委会"),
    )
    body_speech = speeches.speech_act(actor=county.staff, speech=body_speech, action="submit")
    for speech in oral:
        speeches.speech_act(actor=county.staff, speech=speech, action="choose_oral")
    for speech in (written_society, written_economy, body_speech):
        speeches.speech_act(actor=county.staff, speech=speech, action="choose_written")
    speeches.speech_reorder(
        actor=county.staff, session=county.session, speech_ids=[oral[1].pk, oral[0].pk]
    )
    content = documents.speech_material(actor=county.staff, session=county.session)
    texts = [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text]
    assert texts[:3] == [county.committee.name, "十届五次会议大会发言材料", texts[2]]
    titles = [t for t in texts if "发言" in t and t[0].isdigit()]
    assert titles == [
        "1. 口头发言1",
        "2. 口头发言0",
        "1. 书面发言(经济)",
        "2. 书面发言(社会)",
        "3. 单位发言",
    ]
    assert "一、大会口头发言" in texts and "二、书面发言" in texts
    assert texts.index("(经济建设)") < texts.index("(社会建设)")
    assert "民盟县委会" in texts
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_only_staff_and_chairs_compile(county):
    user, _membership = county.members[0]
    with pytest.raises(PermissionDenied):
        documents.speech_material(actor=user, session=county.session)
    chair = user_with_role(county.committee, Role.CHAIR)
    assert documents.speech_material(actor=chair, session=county.session)[:2] == b"PK"


def test_a_member_of_another_term_is_not_a_speaker(county):
    """A membership that is not in office does not give a seat to speak from."""
    user = user_with_role(county.committee, Role.MEMBER)
    membership = MembershipFactory(committee=county.committee, term=county.term, status="resigned")
    membership.person.user = user
    membership.person.save(update_fields=["user"])
    with pytest.raises(PermissionDenied):
        speeches.speech_create(actor=user, committee=county.committee, data=_data(county))


@pytest.mark.django_db(transaction=True)
def test_two_staff_choosing_in_parallel_threads_only_one_succeeds(committee):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially above)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.county import County

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        county = County(committee)
        speech = _submitted(county)
    barrier = threading.Barrier(2)
    outcomes = []

    def choose(actor, action):
        try:
            with scope(committee=committee):
                barrier.wait()
                speeches.speech_act(actor=actor, speech=speech, action=action)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=choose, args=(county.staff, "choose_oral")),
        threading.Thread(target=choose, args=(county.other_staff, "choose_written")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    with scope(committee=committee):
        assert SpeechHistory.objects.filter(action__startswith="choose").count() == 1

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhengxie.core import config, moderation
from zhengxie.core.models import AuditEntry, ModerationItem, ModerationState, Role
from zhengxie.core.scoping import scope


@pytest.fixture
def blocked(committee, admin_user):
    config.set_setting(
        committee=committee, key="blocked_words", value=["赌博", "Casino"], actor=admin_user
    )


def test_text_with_a_blocked_word_is_flagged_but_still_pending(committee_scope, blocked):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="村口有人聚众赌博,去casino", author=None, ip="10.0.0.1"
    )
    assert (item.state, item.flagged, item.flagged_words) == (
        ModerationState.PENDING,
        True,
        ["赌博", "Casino"],
    )


def test_clean_text_is_pending_and_not_flagged(committee_scope, blocked):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="建议增设公交站", author=None, ip=None
    )
    assert (item.state, item.flagged, item.flagged_words) == (ModerationState.PENDING, False, [])


def test_empty_text_is_refused(committee_scope):
    with pytest.raises(ValidationError) as exc:
        moderation.submit_for_moderation(committee=committee_scope, text="  ", author=None, ip=None)
    assert exc.value.messages == ["内容不能为空。"]
    assert ModerationItem.objects.count() == 0


def test_the_queue_lists_flagged_items_first(committee_scope, blocked):
    plain = moderation.submit_for_moderation(
        committee=committee_scope, text="第一条", author=None, ip=None
    )
    flagged = moderation.submit_for_moderation(
        committee=committee_scope, text="赌博", author=None, ip=None
    )
    later = moderation.submit_for_moderation(
        committee=committee_scope, text="第三条", author=None, ip=None
    )
    assert list(moderation.pending_items()) == [flagged, plain, later]


def test_a_moderator_approves_and_it_is_audited(committee_scope, staff_user):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="好建议", author=None, ip=None
    )
    decided = moderation.moderation_decide(item=item, actor=staff_user, approve=True)
    assert (decided.state, decided.decided_by_id) == (ModerationState.APPROVED, staff_user.pk)
    entry = AuditEntry.objects.filter(object_type="core.ModerationItem", action="update").get()
    assert entry.after["state"] == "approved"


def test_a_rejection_needs_a_reason(committee_scope, staff_user):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="内容", author=None, ip=None
    )
    with pytest.raises(ValidationError) as exc:
        moderation.moderation_decide(item=item, actor=staff_user, approve=False, reason=" ")
    assert exc.value.messages == ["请填写未通过的理由。"]
    item.refresh_from_db()
    assert item.state == ModerationState.PENDING


def test_the_second_of_two_moderators_gets_a_chinese_error(committee_scope, staff_user, make_user):
    other = make_user(committee_scope, Role.ADMIN)
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="内容", author=None, ip=None
    )
    stale = ModerationItem.objects.get(pk=item.pk)  # the second moderator loaded it too
    moderation.moderation_decide(item=item, actor=staff_user, approve=True)
    with pytest.raises(ValidationError) as exc:
        moderation.moderation_decide(item=stale, actor=other, approve=False, reason="不当")
    assert exc.value.messages == ["该内容当前为“已发布”,可能已被他人处理,请刷新后重试。"]
    item.refresh_from_db()
    assert (item.state, item.decided_by_id, item.reason) == ("approved", staff_user.pk, "")


def test_a_member_may_not_moderate(committee_scope, make_user):
    member = make_user(committee_scope, Role.MEMBER)
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="内容", author=None, ip=None
    )
    with pytest.raises(PermissionDenied):
        moderation.moderation_decide(item=item, actor=member, approve=True)


def test_a_published_item_can_be_removed_with_a_reason(committee_scope, staff_user):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="内容", author=None, ip=None
    )
    moderation.moderation_decide(item=item, actor=staff_user, approve=True)
    removed = moderation.moderation_remove(item=item, actor=staff_user, reason="涉及个人隐私")
    assert (removed.state, removed.reason) == (ModerationState.REMOVED, "涉及个人隐私")


def test_a_pending_item_cannot_be_removed(committee_scope, staff_user):
    item = moderation.submit_for_moderation(
        committee=committee_scope, text="内容", author=None, ip=None
    )
    with pytest.raises(ValidationError):
        moderation.moderation_remove(item=item, actor=staff_user, reason="x")


def test_the_queue_page_lists_pending_items_in_few_queries(
    login, staff_user, committee, django_assert_max_num_queries
):
    with scope(committee=committee):
        for n in range(12):
            moderation.submit_for_moderation(
                committee=committee, text=f"意见{n}", author=staff_user, ip=None
            )
    client = login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:moderation"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 12


def test_approving_with_htmx_returns_the_updated_row(login, staff_user, committee):
    with scope(committee=committee):
        item = moderation.submit_for_moderation(
            committee=committee, text="好建议", author=None, ip=None
        )
    response = login(staff_user).post(
        reverse("core:moderation_decide", args=[item.pk]),
        {"decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="moderation-item-{item.pk}"' in body
    assert "已发布" in body
    with scope(committee=committee):
        item.refresh_from_db()
    assert item.state == ModerationState.APPROVED


def test_rejecting_without_reason_on_the_page_shows_the_error(login, staff_user, committee):
    with scope(committee=committee):
        item = moderation.submit_for_moderation(
            committee=committee, text="内容", author=None, ip=None
        )
    response = login(staff_user).post(
        reverse("core:moderation_decide", args=[item.pk]),
        {"decision": "reject", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "请填写未通过的理由。" in response.content.decode()
    with scope(committee=committee):
        item.refresh_from_db()
    assert item.state == ModerationState.PENDING


def test_another_committees_item_answers_404(login, staff_user, other_committee):
    with scope(committee=other_committee):
        item = moderation.submit_for_moderation(
            committee=other_committee, text="内容", author=None, ip=None
        )
    response = login(staff_user).post(
        reverse("core:moderation_decide", args=[item.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_a_member_may_not_open_the_queue(login, make_user, committee):
    member = make_user(committee, Role.MEMBER)
    assert login(member).get(reverse("core:moderation")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_the_same_moment_one_wins(committee, staff_user, make_user):
    """A real race on PostgreSQL (row lock); SQLite serialises writers, so it runs there only."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    other = make_user(committee, Role.ADMIN)
    with scope(committee=committee):
        item = moderation.submit_for_moderation(
            committee=committee, text="内容", author=None, ip=None
        )
    barrier, outcomes = threading.Barrier(2), []

    def decide(actor, approve):
        try:
            with scope(committee=committee):
                barrier.wait()
                moderation.moderation_decide(item=item, actor=actor, approve=approve, reason="r")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(staff_user, True)),
        threading.Thread(target=decide, args=(other, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "ok"
    assert sorted(outcomes)[1].startswith("该内容当前为")
    with scope(committee=committee):
        assert ModerationItem.objects.get(pk=item.pk).state in {"approved", "rejected"}

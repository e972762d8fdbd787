from django.urls import reverse

from tests.factories import ReplyFactory
from zhengxie.proposals.models import ProposalState


def _reply(committee, **kwargs):
    return ReplyFactory(
        assignment__proposal__committee=committee,
        assignment__proposal__state=kwargs.pop("state", ProposalState.REPLIED),
        assignment__proposal__publish_consent=kwargs.pop("consent", True),
        **kwargs,
    )


def test_the_public_sees_consented_proposals_with_public_replies_only(client, committee):
    shown = _reply(committee, text="已列入计划")
    _reply(committee, consent=False)
    _reply(committee, is_public=False)
    response = client.get(reverse("proposals:public_list", args=[committee.code]))
    assert [p.pk for p in response.context["page"]] == [shown.assignment.proposal_id]
    detail = client.get(
        reverse("proposals:public_detail", args=[committee.code, shown.assignment.proposal_id])
    )
    assert detail.status_code == 200
    assert "已列入计划" in detail.content.decode()


def test_a_hidden_proposal_or_another_committees_answers_404(client, committee, other_committee):
    hidden = _reply(committee, consent=False)
    foreign = _reply(other_committee)
    assert (
        client.get(
            reverse("proposals:public_detail", args=[committee.code, hidden.assignment.proposal_id])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse(
                "proposals:public_detail", args=[committee.code, foreign.assignment.proposal_id]
            )
        ).status_code
        == 404
    )
    assert client.get(reverse("proposals:public_list", args=["NOPE"])).status_code == 404


def test_the_login_page_leads_the_public_to_the_committees(client, committee):
    assert reverse("proposals:public_index") in client.get(reverse("core:login")).content.decode()
    response = client.get(reverse("proposals:public_index"))
    assert [c.pk for c in response.context["committees"]] == [committee.pk]

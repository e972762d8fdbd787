"""Plenary speeches (大会发言) of the demo county's latest session: 25 speeches written in the
month before the plenary, 22 by members and 3 entered by staff for party groups; staff chose 8
oral speeches (in an order) and 12 written ones, did not use 2 and have 3 still to decide.
Everything goes through ``meetings.speeches`` under the seeding clock, so history, audit and
duty-ledger rows are dated as they would have been."""

import datetime
import random

from django.db import transaction

from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo import proposal_texts as texts
from zhengxie.demo.proposals import (
    _acting,
    _at,
    _pick,
    compose,
    ensure_accounts,
    ensure_categories,
    seeding_clock,
)
from zhengxie.meetings import speeches
from zhengxie.meetings.models import Speech
from zhengxie.organisation.models import Membership, MembershipStatus, Session
from zhengxie.proposals.models import ProposalCategory

SEED = 20260112
MEMBER_SPEECHES = 22
BODIES = ["民盟示范县委员会", "农工党示范县委员会", "县工商联"]
# Outcomes in submission order: 8 oral, 12 written, 2 not used, 3 waiting.
OUTCOMES = ["oral"] * 8 + ["written"] * 12 + ["not_used"] * 2 + ["submitted"] * 3
NOT_USED_NOTES = ["与其他发言内容重复,已合并", "建议转为提案提交"]


def _speech_text(rng, category):
    _title, situation, suggestion, topic = compose(rng, category)
    title = rng.choice(["关于{t}的几点建议", "加快推进{t}", "推动{t}的思考与建议"]).format(t=topic)
    return title, f"{situation}\n{suggestion}"


def seed_demo_speeches(*, county, created):
    """Does nothing when the county already has speeches."""
    with scopes_disabled():
        if Speech.objects.filter(committee=county).exists():
            return
    with scopes_disabled(), seeding_clock() as clock, transaction.atomic():
        rng = random.Random(SEED)
        session = Session.objects.filter(committee=county).order_by("-opens_on").first()
        before = ProposalCategory.objects.filter(committee=county).count()
        categories = ensure_categories(county)
        created["proposalcategory"] += len(categories) - before
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        chair = User.objects.get(username="chair")
        pool = list(
            Membership.objects.filter(
                committee=county, term=session.term, status=MembershipStatus.IN_OFFICE
            )
            .exclude(person__user=chair)
            .select_related("person")
            .order_by("pk")
        )
        member_user = User.objects.filter(username="member").first()
        mine = [m for m in pool if member_user and m.person.user_id == member_user.pk]
        others = [m for m in pool if m not in mine]
        speakers = mine[:1] + rng.sample(others, MEMBER_SPEECHES - len(mine[:1]))
        users, _units = ensure_accounts(
            committee=county,
            memberships=speakers,
            units=[],
            starts_on=session.term.starts_on,
            created=created,
        )
        weights = [(c[0], c[3]) for c in texts.CATEGORIES]
        authors = [(users[m.pk], "") for m in speakers] + [(staff, body) for body in BODIES]
        rng.shuffle(authors)
        # The demo member's speech is one still waiting, so the member sees it open.
        authors.sort(key=lambda a: a[0] == member_user)
        first_day = session.opens_on - datetime.timedelta(days=30)
        made = []
        for i, (author, body) in enumerate(authors):
            clock.set(_at(first_day + datetime.timedelta(days=i), rng))
            category = _pick(rng, weights)
            title, text = _speech_text(rng, category)
            speech = speeches.speech_create(
                actor=author,
                committee=county,
                data={
                    "session": session,
                    "title": title,
                    "body": text,
                    "category": categories[category],
                    "speaker_body": body,
                },
            )
            made.append(speeches.speech_act(actor=author, speech=speech, action="submit"))
        clock.set(_at(session.opens_on - datetime.timedelta(days=5), rng, hour=10))
        not_used = iter(NOT_USED_NOTES)
        for speech, outcome in zip(made, OUTCOMES, strict=True):
            if outcome == "oral":
                speeches.speech_act(actor=staff, speech=speech, action="choose_oral")
            elif outcome == "written":
                speeches.speech_act(actor=staff, speech=speech, action="choose_written")
            elif outcome == "not_used":
                speeches.speech_act(
                    actor=staff, speech=speech, action="not_use", note=next(not_used)
                )
        clock.set(_at(session.opens_on - datetime.timedelta(days=3), rng, hour=15))
        oral = [s.pk for s, outcome in zip(made, OUTCOMES, strict=True) if outcome == "oral"]
        rng.shuffle(oral)
        speeches.speech_reorder(actor=staff, session=session, speech_ids=oral)
        created["speech"] += len(made)

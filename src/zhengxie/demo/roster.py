"""Builds one committee's organisation and roster with bulk inserts.

Shared by the demo (one county, run again and again: every step is keyed and creates only what
is missing) and the scale generator (a hundred fresh committees). Runs under
``scopes_disabled()``; history rows (``MembershipStatusChange``) are written for every status a
membership has, as ``organisation.services`` would, so figures over time work.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from zhengxie.core.fields import digest
from zhengxie.demo import data
from zhengxie.demo.people import PersonMaker
from zhengxie.organisation.models import (
    GroupKind,
    HandlingUnit,
    MemberGroup,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Office,
    Person,
    Position,
    PositionEndReason,
    PositionKind,
    Sector,
    Session,
    SpecialCommittee,
    StatusChangeKind,
    Term,
    UnitKind,
)

BATCH = 1000


@dataclass
class Organisation:
    committee: object
    term: object
    sectors: list
    special_committees: list
    township_groups: list
    sector_groups: dict  # sector name → group
    created: Counter = field(default_factory=Counter)


def _ensure(model, committee, key, rows, created, **scope_filter):
    """Rows of ``model`` keyed by ``key`` within the committee; inserts the missing ones."""
    existing = {
        getattr(obj, key): obj for obj in model.objects.filter(committee=committee, **scope_filter)
    }
    missing = [model(committee=committee, **row) for row in rows if row[key] not in existing]
    if missing:
        model.objects.bulk_create(missing, batch_size=BATCH)
        created[model._meta.model_name] += len(missing)
    existing.update({getattr(obj, key): obj for obj in missing})
    return [existing[row[key]] for row in rows]


def ensure_term(*, committee, number, name, starts_on, ends_on=None, sessions=(), created):
    """The term and its sessions: ``sessions`` is [(number, name, opens_on, closes_on)]."""
    term, made = Term.objects.get_or_create(
        committee=committee,
        number=number,
        defaults={"name": name, "starts_on": starts_on, "ends_on": ends_on},
    )
    created["term"] += made
    rows = [
        {
            "term": term,
            "number": n,
            "name": session_name,
            "opens_on": opens,
            "closes_on": closes,
            "proposal_deadline": closes,
        }
        for n, session_name, opens, closes in sessions
    ]
    _ensure(Session, committee, "name", rows, created, term=term)
    return term


def ensure_organisation(*, committee, term, level, townships, units=True, created=None):
    """Sectors, special committees, township and sector groups, handling units."""
    created = Counter() if created is None else created
    sectors = _ensure(
        Sector,
        committee,
        "name",
        [{"name": name, "position": i} for i, (name, *_rest) in enumerate(data.SECTORS, 1)],
        created,
    )
    special_committees = _ensure(
        SpecialCommittee,
        committee,
        "name",
        [
            {"name": name, "handles_proposals": handles, "position": i}
            for i, (name, handles) in enumerate(data.SPECIAL_COMMITTEES, 1)
        ],
        created,
    )
    group_rows = [
        {"name": f"{town}活动小组", "kind": GroupKind.TOWNSHIP, "position": i}
        for i, town in enumerate(townships, 1)
    ] + [
        {"name": name, "kind": GroupKind.SECTOR, "position": i}
        for i, name in enumerate(data.SECTOR_GROUPS, 1)
    ]
    groups = _ensure(MemberGroup, committee, "name", group_rows, created)
    township_groups = groups[: len(townships)]
    sector_groups = {
        name.removesuffix("界别活动小组") + "界": g
        for name, g in zip(data.SECTOR_GROUPS, groups[len(townships) :], strict=True)
    }
    if units:
        ensure_units(committee=committee, level=level, townships=townships, created=created)
    return Organisation(
        committee=committee,
        term=term,
        sectors=sectors,
        special_committees=special_committees,
        township_groups=township_groups,
        sector_groups=sector_groups,
        created=created,
    )


def ensure_units(*, committee, level, townships, created):
    kinds = [
        (UnitKind.DEPARTMENT, data.UNITS_DEPARTMENT),
        (UnitKind.PARTY, data.UNITS_PARTY),
        (UnitKind.JUDICIAL, data.UNITS_JUDICIAL),
        (UnitKind.TOWNSHIP, [data.township_unit(t) for t in townships]),
        (UnitKind.ENTERPRISE, data.UNITS_ENTERPRISE),
        (UnitKind.OTHER, data.UNITS_OTHER),
    ]
    rows = []
    for kind, names in kinds:
        for name in names:
            full = data.for_level(name, level)
            number = 8_000_000 + len(rows) * 137 % 1_000_000
            rows.append(
                {
                    "name": full,
                    "short_name": full.removeprefix(data.LEVEL_PREFIX[level])[:32],
                    "kind": kind,
                    "contact_phone": f"0579-{number}",
                }
            )
    return _ensure(HandlingUnit, committee, "name", rows, created)


def apportion(total, weights):
    """Largest-remainder split of ``total`` by ``weights`` (deterministic)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass
class Change:
    """A dated change after the term started: ``added`` or ``resigned``."""

    kind: str
    on: datetime.date
    decided_by: str


@dataclass(eq=False)
class Seat:
    spec: object
    sector: object
    group: object
    number: str
    joined_on: datetime.date
    kind: str = StatusChangeKind.ELECTED
    decided_by: str = ""
    left: Change | None = None
    positions: list = field(default_factory=list)
    membership: object = None


def _position(kind, title="", office="", special_committee=None):
    return {"kind": kind, "role_title": title, "office": office, "sc": special_committee}


def plan_roster(
    *,
    org,
    rng: random.Random,
    size,
    starts_on,
    decided_by,
    changes=(),
    level,
    standing=None,
    maker=None,
):
    """Decide every seat (person, sector, group, positions, changes) before touching the DB,
    so the same seed always yields the same roster whatever is already stored."""
    maker = maker or PersonMaker(rng)
    additions = [c for c in changes if c.kind == StatusChangeKind.ADDED]
    resignations = [c for c in changes if c.kind == StatusChangeKind.RESIGNED]
    elected = size - len(additions)
    counts = apportion(elected, [weight for _n, weight, *_r in data.SECTORS])
    by_name = {s.name: s for s in org.sectors}
    seats, per_sector = [], {}

    def seat_for(sector_row, joined_on, kind, decided):
        name, _weight, party_rule, profile = sector_row
        spec = maker.person(sector=name, party_rule=party_rule, profile=profile, level=level)
        group = rng.choice(org.township_groups)
        if name in org.sector_groups and rng.random() < 0.5:
            group = org.sector_groups[name]
        seat = Seat(
            spec=spec,
            sector=by_name[name],
            group=group,
            number=f"{org.term.number:02d}{len(seats) + 1:03d}",
            joined_on=joined_on,
            kind=kind,
            decided_by=decided,
        )
        seats.append(seat)
        per_sector.setdefault(name, []).append(seat)
        return seat

    for sector_row, count in zip(data.SECTORS, counts, strict=True):
        for _ in range(count):
            seat_for(sector_row, starts_on, StatusChangeKind.ELECTED, decided_by)

    # Office holders and standing members, chosen from the sectors they usually come from.
    taken = set()

    def pick(*sector_names):
        for name in sector_names:
            for seat in per_sector.get(name, []):
                if id(seat) not in taken:
                    taken.add(id(seat))
                    return seat
        for seat in seats:
            if id(seat) not in taken:
                taken.add(id(seat))
                return seat
        return None

    offices = [
        (Office.CHAIR, ("中共",)),
        (Office.VICE_CHAIR, ("中共",)),
        (Office.VICE_CHAIR, ("中共",)),
        (Office.VICE_CHAIR, ("民盟", "民进")),
        (Office.VICE_CHAIR, ("工商联", "民建")),
        (Office.SECRETARY_GENERAL, ("中共",)),
    ]
    committee_name = org.committee.name
    for office, sector_names in offices:
        seat = pick(*sector_names)
        if seat is None:
            break
        seat.positions.append(_position(PositionKind.OFFICE, office=office))
        seat.spec.work_unit, seat.spec.job_title = committee_name, Office(office).label
    standing = round(size * 0.12) if standing is None else standing
    holders = [s for s in seats if s.positions]
    sector_cycle = [name for name, *_r in data.SECTORS]
    while len(holders) < min(standing, len(seats)):
        before = len(holders)
        for name in sector_cycle:
            if len(holders) >= standing:
                break
            seat = next((s for s in per_sector.get(name, []) if id(s) not in taken), None)
            if seat is not None:
                taken.add(id(seat))
                holders.append(seat)
        if len(holders) == before:
            break
    for seat in holders:
        seat.positions.insert(0, _position(PositionKind.STANDING))

    # Special committee seats: a director and two deputies from the standing members, members
    # from the rest; nobody sits on two.
    on_special = set()
    free = [s for s in seats if not any(p["kind"] == PositionKind.OFFICE for p in s.positions)]
    rng.shuffle(free)
    standing_free = [s for s in free if s.positions]
    others = [s for s in free if not s.positions]
    per_committee = max(1, size // 30)
    for sc in org.special_committees:
        for title, pool, n in (
            ("主任", standing_free, 1),
            ("副主任", standing_free or others, 2),
            ("委员", others, per_committee),
        ):
            for _ in range(n):
                seat = next((s for s in pool if id(s) not in on_special), None)
                if seat is None:
                    break
                on_special.add(id(seat))
                seat.positions.append(_position(PositionKind.SPECIAL_COMMITTEE, title, "", sc))

    # Later changes: resignations by ordinary members, additions of new members.
    # Resignations: ordinary members, preferably with a special committee seat that then ends.
    ordinary = [s for s in seats if not s.positions or s.positions[0]["kind"] != "standing"]
    seated = [s for s in ordinary if s.positions]
    for change in resignations:
        pool = seated or ordinary
        if not pool:
            break
        leaving = pool.pop(rng.randrange(len(pool)))
        leaving.left = change
        ordinary = [s for s in ordinary if s is not leaving]
    for change in additions:
        seat_for(rng.choice(data.SECTORS), change.on, StatusChangeKind.ADDED, change.decided_by)
    return seats


def write_roster(*, org, seats, created):
    """Insert the persons, memberships, history rows and positions that are not there yet."""
    committee, term = org.committee, org.term
    for seat in seats:
        seat.digest = digest(seat.spec.id_number)
    known = {
        p.id_number_digest: p
        for p in Person.objects.filter(
            committee=committee, id_number_digest__in=[s.digest for s in seats]
        ).only("pk", "id_number_digest")
    }
    new_persons = []
    for seat in seats:
        if seat.digest not in known:
            spec = seat.spec
            person = Person(
                committee=committee,
                name=spec.name,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                birth_year=spec.birth_year,
                party=spec.party,
                religion=spec.religion,
                education=spec.education,
                id_number=spec.id_number,
                id_number_digest=seat.digest,
                phone=spec.phone,
            )
            known[seat.digest] = person
            new_persons.append(person)
    Person.objects.bulk_create(new_persons, batch_size=BATCH)
    created["person"] += len(new_persons)

    seated = set(Membership.objects.filter(term=term).values_list("person_id", flat=True))
    new_seats = []
    for seat in seats:
        person = known[seat.digest]
        seat.person = person
        if person.pk in seated:
            continue
        left = seat.left
        seat.membership = Membership(
            committee=committee,
            term=term,
            person=person,
            sector=seat.sector,
            group=seat.group,
            number=seat.number,
            work_unit=seat.spec.work_unit,
            job_title=seat.spec.job_title,
            status=MembershipStatus.RESIGNED if left else MembershipStatus.IN_OFFICE,
            joined_on=seat.joined_on,
            left_on=left.on if left else None,
        )
        new_seats.append(seat)
    Membership.objects.bulk_create([s.membership for s in new_seats], batch_size=BATCH)
    created["membership"] += len(new_seats)

    history, positions = [], []
    for seat in new_seats:
        membership = seat.membership
        history.append(
            MembershipStatusChange(
                subject=membership,
                committee=committee,
                kind=seat.kind,
                from_state="",
                action=seat.kind,
                to_state=MembershipStatus.IN_OFFICE,
                effective_on=seat.joined_on,
                decided_by=seat.decided_by,
            )
        )
        if seat.left:
            history.append(
                MembershipStatusChange(
                    subject=membership,
                    committee=committee,
                    kind=StatusChangeKind.RESIGNED,
                    from_state=MembershipStatus.IN_OFFICE,
                    action=StatusChangeKind.RESIGNED,
                    to_state=MembershipStatus.RESIGNED,
                    effective_on=seat.left.on,
                    decided_by=seat.left.decided_by,
                )
            )
        for spec in seat.positions:
            left = seat.left
            positions.append(
                Position(
                    committee=committee,
                    membership=membership,
                    kind=spec["kind"],
                    office=spec["office"],
                    special_committee=spec["sc"],
                    role_title=spec["role_title"],
                    starts_on=seat.joined_on,
                    start_decided_by=seat.decided_by,
                    ends_on=left.on if left else None,
                    end_reason=PositionEndReason.RESIGNED if left else "",
                    end_decided_by=left.decided_by if left else "",
                )
            )
    MembershipStatusChange.objects.bulk_create(history, batch_size=BATCH)
    Position.objects.bulk_create(positions, batch_size=BATCH)
    created["membershipstatuschange"] += len(history)
    created["position"] += len(positions)
    return seats

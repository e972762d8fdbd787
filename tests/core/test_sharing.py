import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django_scopes import scope, scopes_disabled

from tests.factories import CommitteeFactory, MembershipFactory, SectorFactory, TermFactory
from zhengxie.core.models import Attachment, AuditEntry, Share, ShareKind
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import aggregate_scope
from zhengxie.core.sharing import share_record, similarity_view
from zhengxie.organisation.models import Membership, Sector


@pytest.fixture
def city(db):
    return CommitteeFactory(level=Level.CITY)


@pytest.fixture
def county(city):
    return CommitteeFactory(parent=city)


@pytest.fixture
def attachment(county, staff_user):
    row = Attachment(
        committee=county,
        original_name="调研报告.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
    )
    row.file.save("x.pdf", ContentFile(b"pdf"), save=False)
    row.save()
    return row


def test_a_forwarded_record_becomes_visible_to_the_higher_committee_only(
    county, city, attachment, staff_user
):
    neighbour = CommitteeFactory(parent=city)
    with scope(committee=city):
        assert list(Attachment.objects.all()) == []
    share_record(obj=attachment, committee=city, kind=ShareKind.FORWARDED, actor=staff_user)
    with scope(committee=city):
        assert list(Attachment.objects.all()) == [attachment]
    with scope(committee=neighbour):
        assert list(Attachment.objects.all()) == []
    assert (
        AuditEntry.objects.filter(object_type="core.Attachment", note__contains="共享给").count()
        == 1
    )


def test_joint_work_is_visible_to_each_participant(county, attachment, staff_user):
    partner = CommitteeFactory()
    share_record(obj=attachment, committee=partner, kind=ShareKind.JOINT, actor=staff_user)
    with scope(committee=partner):
        assert Attachment.objects.get(pk=attachment.pk) == attachment


def test_it_forwards_only_upwards(county, attachment, staff_user):
    sibling = CommitteeFactory()
    with pytest.raises(ValidationError, match="只能报送给上级政协"):
        share_record(obj=attachment, committee=sibling, kind=ShareKind.FORWARDED, actor=staff_user)
    assert Share.objects.count() == 0


def test_it_shares_once_and_never_with_itself(county, city, attachment, staff_user):
    share_record(obj=attachment, committee=city, kind=ShareKind.FORWARDED, actor=staff_user)
    with pytest.raises(ValidationError, match="已共享给"):
        share_record(obj=attachment, committee=city, kind=ShareKind.FORWARDED, actor=staff_user)
    with pytest.raises(ValidationError, match="不能共享给本委员会"):
        share_record(obj=attachment, committee=county, kind=ShareKind.JOINT, actor=staff_user)
    assert Share.objects.count() == 1


def test_models_that_do_not_opt_in_cannot_be_shared(county, city, staff_user):
    sector = SectorFactory(committee=county)
    with pytest.raises(PermissionDenied):
        share_record(obj=sector, committee=city, kind=ShareKind.FORWARDED, actor=staff_user)


def test_ancestors_get_aggregate_figures_but_no_rows(city, county):
    other_county = CommitteeFactory(parent=city)
    for c, n in ((county, 3), (other_county, 2)):
        term = TermFactory(committee=c)
        sector = SectorFactory(committee=c)
        for _ in range(n):
            MembershipFactory(committee=c, term=term, sector=sector)
    with aggregate_scope(city):
        assert Membership.objects.count() == 5
        assert Sector.objects.count() == 2
    with scope(committee=city):
        assert Membership.objects.count() == 0
    with scopes_disabled():
        assert city.descendant_ids() == [county.pk, other_county.pk]


def test_the_copy_check_shows_text_of_another_committee_only_when_public(county, city, attachment):
    hidden = similarity_view(
        obj=attachment,
        viewer_committee=city,
        year=2026,
        number="第058号",
        shared_ratio=0.81234,
        is_public=False,
        text="正文",
    )
    public = similarity_view(
        obj=attachment,
        viewer_committee=city,
        year=2026,
        number="第058号",
        shared_ratio=0.8,
        is_public=True,
        text="正文",
    )
    own = similarity_view(
        obj=attachment,
        viewer_committee=county,
        year=2026,
        number="第058号",
        shared_ratio=0.8,
        is_public=False,
        text="正文",
    )
    assert (
        hidden.committee_name,
        hidden.year,
        hidden.number,
        hidden.shared_ratio,
        hidden.text,
    ) == (county.name, 2026, "第058号", 0.8123, None)
    assert public.text == "正文"
    assert own.text == "正文"

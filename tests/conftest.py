import pytest
from django_scopes import scope, scopes_disabled

from tests.county import County
from tests.factories import (
    PASSWORD,
    CommitteeFactory,
    MembershipFactory,
    SectorFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def other_committee(db):
    return CommitteeFactory()


@pytest.fixture
def committee_scope(committee):
    """Run the test body inside the committee's scope, as a request would."""
    with scope(committee=committee):
        yield committee


@pytest.fixture
def term(committee):
    return TermFactory(committee=committee)


@pytest.fixture
def sector(committee):
    return SectorFactory(committee=committee)


@pytest.fixture
def membership(committee, term, sector):
    return MembershipFactory(committee=committee, term=term, sector=sector)


@pytest.fixture
def make_user(db):
    """make_user(committee, "staff") -> a user holding that role (``user.active_role`` set)."""
    return user_with_role


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as user."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def staff_user(committee):
    return user_with_role(committee, Role.STAFF, username="staff1")


@pytest.fixture
def admin_user(committee):
    return user_with_role(committee, Role.ADMIN, username="admin1")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def county(committee):
    """A committee with a session open today, proposal staff, members and units with accounts."""
    with scope(committee=committee):
        yield County(committee)

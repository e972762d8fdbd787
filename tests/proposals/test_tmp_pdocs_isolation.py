import pytest

from tests import test_isolation as t
from tests.test_isolation import worlds  # noqa: F401
from zhengxie.core.models import Role


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.CHAIR, Role.MEMBER, Role.UNIT, Role.LEADER])
def test_walk(client, committee, worlds, role, monkeypatch):  # noqa: F811
    monkeypatch.setattr(t, "FOREIGN", {"proposals:assignment_letter": lambda w, i: {"pk": i(w["unit"])}})
    t.test_another_committees_records_answer_like_missing_ones(client, committee, worlds, role)
    t.test_the_most_privileged_roles_get_404_for_every_foreign_id(client, committee, worlds)

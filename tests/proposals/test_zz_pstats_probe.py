import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.proposals.test_stats import build_data, proposal_figures  # noqa
from tests.factories import user_with_role
from zhengxie.core.models import Role, StaffOffice

def test_probe(committee_scope, login):
    d = build_data(committee_scope)
    with CaptureQueriesContext(connection) as q:
        proposal_figures(committee=committee_scope, session=d["s1"])
    print("figure queries", len(q))
    u = user_with_role(committee_scope, Role.STAFF, office=StaffOffice.PROPOSALS)
    c = login(u)
    with CaptureQueriesContext(connection) as q:
        r = c.get("/proposals/stats/", {"session": d["s1"].pk})
    print("page queries", len(q))
    open("/tmp/pstats_page.html","w").write(r.content.decode())
    r = c.get("/proposals/stats/", {"term": "-1"})
    import re
    print(re.search(r'id="stats-errors">(.*?)</div></div>', r.content.decode(), re.S).group(1))
    r = c.get("/proposals/stats/", {"year": "2025", "term": "1"})
    print(r.status_code, re.search(r'id="stats-errors">(.*?)</div></div>', r.content.decode(), re.S).group(1))

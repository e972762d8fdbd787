"""The demo county's notices: exact counts, receipts equal to the rows, figures, and a second
run creates nothing."""

from collections import Counter

import pytest
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.core.models import User
from zhengxie.demo.county import seed_demo
from zhengxie.demo.notices import seed_demo_notices
from zhengxie.notices.models import Notice, Recipient, Reminder
from zhengxie.notices.queries import my_unread_count, receipt_counts
from zhengxie.notices.stats import notice_figures
from zhengxie.organisation.models import Committee

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_notices():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        seed_demo_notices(county=county, created=created)
        assert {k: v for k, v in created.items() if k.startswith("notice")} == {
            "notice": 7,
            "notice_recipient": 1048,
            "notice_read": created["notice_read"],
            "notice_acknowledged": created["notice_acknowledged"],
            "notice_reminder": 5,
            "notice_withdrawn": 1,
            "notice_draft": 1,
        }
        notices = Notice.objects.filter(committee=county)
        assert Counter(notices.values_list("state", "audience")) == Counter(
            {
                ("sent", "all"): 3,
                ("sent", "standing"): 1,
                ("sent", "sector"): 1,
                ("sent", "group"): 1,
                ("withdrawn", "all"): 1,
                ("draft", "all"): 1,
            }
        )
        rows = Recipient.objects.filter(committee=county)
        assert rows.count() == 1048
        # Which members have no login depends on the roster's order, so reads vary a little
        # with the seed; what is exact is that every counted read and 回执 is one row.
        assert 500 < created["notice_read"] < 650
        assert rows.filter(read_at__isnull=False).count() == created["notice_read"]
        assert rows.filter(acknowledged_at__isnull=False).count() == created["notice_acknowledged"]
        assert Reminder.objects.filter(committee=county).count() == 5
        asks = notices.get(reply_required=True)
        asked = asks.recipients.all()
        read = asked.filter(read_at__isnull=False).count()
        no_account = asked.filter(membership__person__user__isnull=True).count()
        assert receipt_counts(asks) == {
            "total": 247,
            "read": read,
            "unread": 247 - read - no_account,
            "no_account": no_account,
            "acknowledged": asked.filter(acknowledged_at__isnull=False).count(),
            "read_rate": read / 247,
        }
        assert no_account > 0 and read > 0
        assert all(r.read_at >= asks.sent_at for r in asks.recipients.filter(read_at__isnull=False))
        member = User.objects.get(username="member")
        assert my_unread_count(member) == 2

        figures = notice_figures(committee=county, year=timezone.localdate().year)
        sent = rows.filter(notice__state="sent")
        assert figures == {
            "notices_sent": 6,
            "notice_recipients": 801,
            "notice_read_rate": sent.filter(read_at__isnull=False).count() / 801,
        }
        assert sent.count() == 801

        again = Counter()
        seed_demo_notices(county=county, created=again)
        assert again == Counter()

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
            "notice_read": 577,
            "notice_acknowledged": 140,
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
        assert rows.filter(read_at__isnull=False).count() == 577
        assert rows.filter(acknowledged_at__isnull=False).count() == 140
        assert Reminder.objects.filter(committee=county).count() == 5
        asks = notices.get(reply_required=True)
        assert receipt_counts(asks) == {
            "total": 247,
            "read": 172,
            "unread": 59,
            "no_account": 16,
            "acknowledged": 140,
            "read_rate": 172 / 247,
        }
        assert all(r.read_at >= asks.sent_at for r in asks.recipients.filter(read_at__isnull=False))
        member = User.objects.get(username="member")
        assert my_unread_count(member) == 3

        figures = notice_figures(committee=county, year=timezone.localdate().year)
        assert figures == {
            "notices_sent": 6,
            "notice_recipients": 801,
            "notice_read_rate": 508 / 801,
        }

        again = Counter()
        seed_demo_notices(county=county, created=again)
        assert again == Counter()

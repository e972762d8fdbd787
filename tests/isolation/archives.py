"""The archives app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime


def build(committee, world):
    """Records of the archives app in ``committee``; ``world`` holds the base records."""
    from zhengxie.archives.models import (
        Campaign,
        Chapter,
        ChapterMaterial,
        Material,
        Periodical,
        PeriodicalIssue,
        Volume,
    )

    campaign = Campaign.objects.create(
        committee=committee,
        theme="百年老街记忆",
        call_text="面向社会征集老街历史资料。",
        opens_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
    )
    material = Material.objects.create(
        committee=committee,
        campaign=campaign,
        title="老街上的酱园",
        kind="text",
        text="老街酱园",
        word_count=4,
        received_on=datetime.date(2026, 2, 1),
        membership=world["membership"],
        consent_given=True,
        state="accepted",
    )
    volume = Volume.objects.create(committee=committee, title="老街记忆", state="editing")
    chapter = Chapter.objects.create(committee=committee, volume=volume, position=1, title="商号")
    entry = ChapterMaterial.objects.create(
        committee=committee, chapter=chapter, material=material, position=1
    )
    periodical = Periodical.objects.create(committee=committee, name="政协之声")
    issue = PeriodicalIssue.objects.create(
        committee=committee,
        periodical=periodical,
        year=2026,
        number=1,
        published_on=datetime.date(2026, 3, 1),
    )
    return {
        "archive_campaign": campaign,
        "archive_material": material,
        "archive_volume": volume,
        "archive_chapter": chapter,
        "archive_entry": entry,
        "archive_periodical": periodical,
        "archive_issue": issue,
    }


def _pk(key):
    return lambda w, i: {"pk": i(w[key])}


def _with_action(key, action):
    return lambda w, i: {"pk": i(w[key]), "action": action}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "archives:campaign_detail": _pk("archive_campaign"),
    "archives:campaign_edit": _pk("archive_campaign"),
    "archives:campaign_act": _with_action("archive_campaign", "close"),
    "archives:material_detail": _pk("archive_material"),
    "archives:material_edit": _pk("archive_material"),
    "archives:material_act": _with_action("archive_material", "accept"),
    "archives:material_attach": _pk("archive_material"),
    "archives:volume_detail": _pk("archive_volume"),
    "archives:volume_edit": _pk("archive_volume"),
    "archives:volume_act": _with_action("archive_volume", "publish"),
    "archives:volume_toc": _pk("archive_volume"),
    "archives:chapter_create": _pk("archive_volume"),
    "archives:chapter_edit": _pk("archive_chapter"),
    "archives:chapter_delete": _pk("archive_chapter"),
    "archives:chapter_move": _with_action("archive_chapter", "up"),
    "archives:chapter_place": _pk("archive_chapter"),
    "archives:entry_remove": _pk("archive_entry"),
    "archives:entry_move": _with_action("archive_entry", "up"),
    "archives:periodical_detail": _pk("archive_periodical"),
    "archives:issue_create": _pk("archive_periodical"),
    "archives:issue_detail": _pk("archive_issue"),
    "archives:issue_edit": _pk("archive_issue"),
}
# Routes addressed by committee code rather than the user's committee.
PUBLIC_ROUTES = set()

import datetime

from django_scopes import scopes_disabled

from tests.archives.conftest import TODAY
from tests.factories import SessionFactory
from zhengxie.archives import services
from zhengxie.archives.stats import archive_figures

THIS_YEAR = datetime.date(TODAY.year, 1, 2)
LAST_YEAR = datetime.date(TODAY.year - 1, 6, 1)


def test_figures_count_accepted_materials_volumes_and_issues_in_the_period(archives):
    (_u0, m0), (_u1, m1), _rest = archives.members
    text = archives.material(title="酱园", text="老街酱园始创于清光绪年间。", received_on=THIS_YEAR)
    archives.material(title="旧照", kind="photos", text="", image_count=300, membership=m1,
                      received_on=THIS_YEAR)  # fmt: skip
    archives.material(title="口述", kind="oral", text="", word_count=8000, duration_minutes=60,
                      received_on=THIS_YEAR)  # fmt: skip
    archives.material(title="契约", kind="scans", text="", word_count=4200, image_count=36,
                      outsider="陈老伯", received_on=THIS_YEAR)  # fmt: skip
    archives.material(title="商铺账簿", kind="scans", text="", word_count=100, image_count=4,
                      outsider="陈老伯", received_on=THIS_YEAR)  # fmt: skip
    # Not counted: waiting, returned, and received last year.
    archives.material(title="待审", text="待审稿件", received_on=THIS_YEAR, accept=False)
    returned = archives.material(title="退回", text="退回稿件", received_on=THIS_YEAR, accept=False)
    services.material_act(actor=archives.staff, material=returned, action="return", note="重复")
    old = archives.material(title="去年", text="去年的稿件", received_on=LAST_YEAR)

    published = archives.volume()
    chapter = services.chapter_add(actor=archives.staff, volume=published, title="商号")
    services.chapter_place(actor=archives.staff, chapter=chapter, materials=[text, old])
    services.volume_act(actor=archives.staff, volume=published, action="start_editing")
    services.volume_act(
        actor=archives.staff,
        volume=published,
        action="publish",
        published_on=THIS_YEAR,
        print_run=1000,
    )
    archives.volume(title="老茶厂", number="第13辑")  # still collecting
    periodical = services.periodical_create(
        actor=archives.staff, committee=archives.committee, name="政协之声"
    )
    for day in (THIS_YEAR, THIS_YEAR, LAST_YEAR, None):
        services.issue_create(
            actor=archives.staff, periodical=periodical, data={"published_on": day}
        )

    assert archive_figures(committee=archives.committee, year=TODAY.year) == {
        "archive_volumes": 1,
        "periodical_issues": 2,
        "archive_words": 12 + 0 + 8000 + 4200 + 100,
        "archive_images": 300 + 36 + 4,
        "archive_materials": 5,
        "archive_contributors": 3,  # 李明, 王芳 and 陈老伯 (twice)
    }
    assert archive_figures(committee=archives.committee, year=TODAY.year - 1) == {
        "archive_volumes": 0,
        "periodical_issues": 1,
        "archive_words": 5,
        "archive_images": 0,
        "archive_materials": 1,
        "archive_contributors": 1,
    }
    with scopes_disabled():
        assert (
            archive_figures(committee=archives.committee, year=TODAY.year)["archive_materials"] == 5
        )


def test_a_session_counts_from_its_opening_day(archives, term):
    session = SessionFactory(
        committee=archives.committee,
        term=term,
        opens_on=TODAY - datetime.timedelta(days=10),
        closes_on=TODAY - datetime.timedelta(days=8),
    )
    archives.material(received_on=TODAY - datetime.timedelta(days=11))
    archives.material(title="会后收到", received_on=TODAY - datetime.timedelta(days=9))
    figures = archive_figures(committee=archives.committee, session=session)
    assert (figures["archive_materials"], figures["archive_words"]) == (1, 10)
    # The term also counts from its first plenary, here this session.
    assert archive_figures(committee=archives.committee, term=term)["archive_materials"] == 1

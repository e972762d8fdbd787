"""The portal app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime

from django.core.files.base import ContentFile


def _image(committee, name):
    from zhengxie.core.models import Attachment
    from zhengxie.demo.portal import scene_png

    attachment = Attachment(
        committee=committee,
        original_name=name,
        content_type="image/png",
        size=10,
        sha256="2" * 64,
    )
    attachment.file.save(name, ContentFile(scene_png(width=8, height=6)), save=False)
    attachment.save()
    return attachment


def build(committee, world):
    """Records of the portal app in ``committee``; ``world`` holds the base records."""
    from zhengxie.portal.models import (
        CommitteeProfile,
        MediaReport,
        NewsImage,
        NewsItem,
        PublicProfile,
    )

    author = world["account"]
    news = NewsItem.objects.create(
        committee=committee,
        title="县政协召开专题协商会",
        body="正文",
        author=author,
        state="published",
        published_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
        first_published_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
    )
    image = NewsImage.objects.create(
        committee=committee,
        news=news,
        attachment=_image(committee, "news.png"),
        caption="会场",
        is_cover=True,
    )
    CommitteeProfile.objects.create(committee=committee, introduction="本会简介")
    profile = PublicProfile.objects.create(
        committee=committee,
        membership=world["membership"],
        photo=_image(committee, "photo.png"),
        show_photo=True,
        consent_given_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    report = MediaReport.objects.create(
        committee=committee,
        outlet="人民政协报",
        level="national",
        published_on=datetime.date(2026, 3, 5),
        title="示范县政协协商纪实",
    )
    return {
        "portal_news": news,
        "portal_image": image,
        "portal_photo": profile.photo,
        "portal_report": report,
    }


def _news(w, i):
    return {"pk": i(w["portal_news"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "portal:news_detail": _news,
    "portal:news_edit": _news,
    "portal:news_act": lambda w, i: {"pk": i(w["portal_news"]), "action": "withdraw"},
    "portal:news_image_add": _news,
    "portal:news_image_remove": lambda w, i: {"pk": i(w["portal_image"])},
    "portal:news_image_cover": lambda w, i: {"pk": i(w["portal_image"])},
    "portal:image": lambda w, i: {"pk": i(w["portal_photo"])},
    "portal:media_edit": lambda w, i: {"pk": i(w["portal_report"])},
    "portal:media_delete": lambda w, i: {"pk": i(w["portal_report"])},
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere:
# tests/portal/test_public.py checks another committee's records under this code answer 404).
PUBLIC_ROUTES = {
    "portal:public_home",
    "portal:public_news",
    "portal:public_news_detail",
    "portal:public_members",
    "portal:public_about",
    "portal:public_image",
}

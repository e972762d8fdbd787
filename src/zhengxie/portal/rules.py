"""Who may do what with the portal app (django-rules). Staff and admin edit news, the portal
settings and the media log; a reviewer is staff or admin other than the news item's author;
chair and leader read every internal page; members read the internal news list (published
items) and edit only their own public profile; units nothing; the public only the public pages
(which need no permission)."""

import rules

from zhengxie.core.rules import is_admin, is_chair, is_leader, is_member, is_staff


@rules.predicate
def is_news_author(user, news):
    return news is not None and news.author_id == user.pk


@rules.predicate
def is_own_profile(user, profile):
    """The member whose public profile this is (no object: any member may have one)."""
    if profile is None:
        return True
    return profile.membership.person.user_id == user.pk


is_manager = is_staff | is_admin
is_reader = is_manager | is_chair | is_leader

rules.add_perm("portal.view_news", is_reader | is_member)
rules.add_perm("portal.view_all_news", is_reader)
rules.add_perm("portal.edit_news", is_manager)
rules.add_perm("portal.review_news", is_manager & ~is_news_author)
rules.add_perm("portal.withdraw_news", is_manager)
rules.add_perm("portal.view_settings", is_reader)
rules.add_perm("portal.edit_settings", is_manager)
rules.add_perm("portal.view_consents", is_reader)
rules.add_perm("portal.edit_own_profile", is_member & is_own_profile)
rules.add_perm("portal.view_media", is_reader)
rules.add_perm("portal.manage_media", is_manager)
rules.add_perm("portal.open_public_site", is_reader | is_member)

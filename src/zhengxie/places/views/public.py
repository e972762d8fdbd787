"""The public's pages (mobile first), addressed by committee code: the places in use and a
message form. A message waits in the moderation queue; only published ones are shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhengxie.core.context import client_ip
from zhengxie.core.forms import error_messages
from zhengxie.core.public import public_role
from zhengxie.core.scoping import scope, scopes_disabled
from zhengxie.organisation.models import Committee
from zhengxie.places import forms, queries, services


def _committee(code):
    with scopes_disabled():
        return get_object_or_404(Committee, code=code)


def public_list(request, code):
    committee = _committee(code)
    with scope(committee=committee):
        rooms = list(queries.public_rooms())
        return render(request, "places/public_list.html", {"committee": committee, "rooms": rooms})


def _signed_in_public(request, committee):
    user = request.user
    return user.is_authenticated and public_role(user, committee) is not None


def public_room(request, code, pk):
    committee = _committee(code)
    with scope(committee=committee):
        room = get_object_or_404(queries.public_rooms(), pk=pk)
        can_post = _signed_in_public(request, committee)
        form = forms.MessageForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if not can_post:
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.message_submit(
                        committee=committee,
                        room=room,
                        text=form.cleaned_data["text"],
                        author=request.user,
                        ip=client_ip(request),
                    )
                except ValidationError as exc:
                    form.add_error("text", error_messages(exc))
                    status = 429 if isinstance(exc, services.TooManyMessages) else 400
                else:
                    messages.success(request, _("留言已提交,审核通过后将在本页显示。"))
                    return redirect("places:public_room", code=code, pk=room.pk)
            else:
                status = 400
        login_url = (
            f"{reverse('core:public_login')}?"
            f"{urlencode({'c': committee.code, 'next': request.get_full_path()})}"
        )
        return render(
            request,
            "places/public_room.html",
            {
                "committee": committee,
                "room": room,
                "form": form if can_post else None,
                "login_url": login_url,
                "published": list(queries.published_messages(room)[:50]),
            },
            status=status,
        )


urlpatterns = [
    path("public/<slug:code>/", public_list, name="public_list"),
    path("public/<slug:code>/<int:pk>/", public_room, name="public_room"),
]

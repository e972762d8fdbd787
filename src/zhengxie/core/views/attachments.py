"""Downloading an attachment: scoped to the committee, sent under its original name."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from zhengxie.core.models import Attachment


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.all(), pk=pk)
    if not request.user.has_perm("core.view_attachment", attachment):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Always a download, never rendered in our origin; not kept by shared caches; not
    # embeddable by other sites.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

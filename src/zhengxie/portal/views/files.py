"""Serving a portal image inline (news images, members' photos): only checked JPEG or PNG
attachments reach here, sent with their stored content type and no sniffing."""

from django.http import FileResponse, Http404

from zhengxie.core.attachments import MIME_TYPES

IMAGE_TYPES = {MIME_TYPES["jpg"], MIME_TYPES["png"]}


def image_response(attachment, *, public):
    if attachment.content_type not in IMAGE_TYPES:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Cached five minutes at most: a withdrawn item's images stop being served at once and
    # leave caches soon after.
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    return response

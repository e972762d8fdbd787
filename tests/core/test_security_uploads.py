"""Uploads: kept only when their content (not their name) is an allowed kind within the size
limit; served as downloads under a safe name, never sniffed or run in the site's origin."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.test_attachments import png_bytes
from zhengxie.core.attachments import attachment_create
from zhengxie.core.models import Attachment
from zhengxie.core.scoping import scope


def test_html_disguised_as_a_picture_is_refused(committee_scope, staff_user):
    upload = SimpleUploadedFile(
        "照片.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages[0].startswith("文件“照片.png”的实际内容不是允许的类型")
    assert Attachment.objects.count() == 0


def test_a_picture_under_a_document_name_is_refused(committee_scope, staff_user):
    upload = SimpleUploadedFile("报告.pdf", png_bytes())
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages == ["文件“报告.pdf”的扩展名与实际内容(PNG 图片)不符。"]


def _download(login, user, committee, name):
    with scope(committee=committee):
        attachment = attachment_create(
            committee=committee, upload=SimpleUploadedFile(name, png_bytes()), actor=None
        )
    return login(user).get(reverse("core:attachment_download", args=[attachment.pk]))


def test_downloads_are_attachments_with_safe_headers(login, staff_user, committee):
    response = _download(login, staff_user, committee, "现场照片.png")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    )
    assert response["Content-Type"] == "image/png"  # the checked kind, not the browser's claim
    assert response["X-Content-Type-Options"] == "nosniff"
    # The file's own policy, not the pages': nothing in it may run, even if opened.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_name_with_quotes_cannot_break_the_header(login, staff_user, committee):
    response = _download(login, staff_user, committee, 'a"; filename=evil.html; x=".png')
    # One quoted filename, its quotes escaped: no second parameter slips in.
    assert response["Content-Disposition"] == (
        'attachment; filename="a\\"; filename=evil.html; x=\\".png"'
    )

import hashlib
import io
import struct
import zlib

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengxie.core import config
from zhengxie.core.attachments import attachment_create
from zhengxie.core.models import Attachment, AuditEntry, Role


def png_bytes():
    """A real 1×1 PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes():
    document = docx.Document()
    document.add_paragraph("关于加强农村饮水安全的建议")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_keeps_a_real_png_with_its_digest_and_type(committee_scope, staff_user):
    data = png_bytes()
    upload = SimpleUploadedFile("现场照片.png", data, content_type="application/octet-stream")
    attachment = attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "现场照片.png",
        "image/png",
        len(data),
    )
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    with attachment.file.open("rb") as handle:
        assert handle.read() == data
    assert AuditEntry.objects.filter(object_type="core.Attachment", action="create").count() == 1


def test_it_keeps_a_word_document(committee_scope, staff_user):
    upload = SimpleUploadedFile("提案.docx", docx_bytes())
    attachment = attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert attachment.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_it_rejects_a_text_file_named_pdf(committee_scope, staff_user):
    upload = SimpleUploadedFile(
        "报告.pdf", "这其实是一段文字".encode(), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages == [
        "文件“报告.pdf”的实际内容不是允许的类型(允许:PDF 文档、JPEG 图片、PNG 图片、"
        "Word 文档(docx)、Word 97-2003 文档(doc)、Excel 表格(xlsx)、Excel 97-2003 表格(xls)、"
        "MP3 录音、M4A 录音)。"
    ]
    assert Attachment.objects.count() == 0


def test_it_rejects_a_png_whose_name_says_pdf(committee_scope, staff_user):
    upload = SimpleUploadedFile("扫描件.pdf", png_bytes())
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages == ["文件“扫描件.pdf”的扩展名与实际内容(PNG 图片)不符。"]
    assert Attachment.objects.count() == 0


def test_it_rejects_a_file_over_the_committees_size_limit(committee_scope, staff_user, admin_user):
    config.set_setting(
        committee=committee_scope, key="attachment_max_size_mb", value=1, actor=admin_user
    )
    upload = SimpleUploadedFile("大图.png", png_bytes() + b"\x00" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages == ["文件“大图.png”超过大小上限 1 MB。"]
    assert Attachment.objects.count() == 0


def test_it_rejects_a_type_the_committee_does_not_allow(committee_scope, staff_user, admin_user):
    config.set_setting(
        committee=committee_scope, key="attachment_types", value=["pdf"], actor=admin_user
    )
    upload = SimpleUploadedFile("照片.png", png_bytes())
    with pytest.raises(ValidationError) as exc:
        attachment_create(committee=committee_scope, upload=upload, actor=staff_user)
    assert exc.value.messages == ["文件“照片.png”的实际内容不是允许的类型(允许:PDF 文档)。"]


def test_it_rejects_an_empty_file(committee_scope, staff_user):
    with pytest.raises(ValidationError) as exc:
        attachment_create(
            committee=committee_scope, upload=SimpleUploadedFile("空.pdf", b""), actor=staff_user
        )
    assert exc.value.messages == ["文件“空.pdf”是空文件。"]


def test_download_sends_the_file_under_its_original_name(login, staff_user, committee):
    from zhengxie.core.scoping import scope

    with scope(committee=committee):
        attachment = attachment_create(
            committee=committee, upload=SimpleUploadedFile("现场照片.png", png_bytes()), actor=None
        )
    response = login(staff_user).get(reverse("core:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    )
    assert b"".join(response.streaming_content) == png_bytes()


def test_another_committees_attachment_answers_404(login, make_user, committee, other_committee):
    from zhengxie.core.scoping import scope

    with scope(committee=other_committee):
        attachment = attachment_create(
            committee=other_committee, upload=SimpleUploadedFile("a.png", png_bytes()), actor=None
        )
    staff = make_user(committee, Role.STAFF)
    response = login(staff).get(reverse("core:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    missing = login(staff).get(reverse("core:attachment_download", args=[attachment.pk + 1000]))
    assert missing.status_code == 404


def test_a_unit_may_not_download_committee_attachments_yet(login, make_user, committee):
    from zhengxie.core.scoping import scope

    with scope(committee=committee):
        attachment = attachment_create(
            committee=committee, upload=SimpleUploadedFile("a.png", png_bytes()), actor=None
        )
    unit = make_user(committee, Role.UNIT)
    response = login(unit).get(reverse("core:attachment_download", args=[attachment.pk]))
    assert response.status_code == 403

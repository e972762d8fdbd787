import logging
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhengxie.core import public
from zhengxie.core.fields import digest
from zhengxie.core.models import PhoneCode, Role, RoleAssignment, User

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sent_code(caplog):
    """The last code the development sender logged."""
    found = re.findall(r"SMS verification code for 139\*\*\*\*5678: (\d{6})", caplog.text)
    assert found, caplog.text
    return found[-1]


def test_the_development_sender_logs_the_code_and_only_its_digest_is_stored(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        row = public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    code = sent_code(caplog)
    assert row.phone_digest == digest(PHONE)
    assert code not in row.code_digest
    assert PHONE not in caplog.text
    assert abs((row.expires - timezone.now()) - timedelta(minutes=10)) < timedelta(seconds=5)


def test_the_right_code_creates_a_public_account_with_a_role_in_the_committee(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    user = public.verify_code(
        phone=PHONE, code=sent_code(caplog), ip="10.0.0.1", committee=committee
    )
    assert user.username == "p_" + digest(PHONE)[:12]
    assert user.phone_digest == digest(PHONE)
    assert user.display_name == "公众139****5678"
    assert user.has_usable_password() is False
    roles = list(RoleAssignment.objects.filter(user=user).values_list("committee_id", "role"))
    assert roles == [(committee.pk, Role.PUBLIC)]


def test_signing_in_again_finds_the_same_account(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
        first = public.verify_code(
            phone=PHONE, code=sent_code(caplog), ip="10.0.0.1", committee=committee
        )
        public.request_code(phone="139-1234-5678", ip="10.0.0.1", committee=committee)
        second = public.verify_code(
            phone="+86 13912345678", code=sent_code(caplog), ip="10.0.0.1", committee=committee
        )
    assert first.pk == second.pk
    assert User.objects.count() == 1
    assert RoleAssignment.objects.filter(user=first).count() == 1


def test_a_code_works_once(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    code = sent_code(caplog)
    public.verify_code(phone=PHONE, code=code, ip="10.0.0.1", committee=committee)
    with pytest.raises(ValidationError) as exc:
        public.verify_code(phone=PHONE, code=code, ip="10.0.0.1", committee=committee)
    assert exc.value.messages == ["验证码已失效,请重新获取。"]


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "139123456789", "abc", ""])
def test_it_rejects_a_number_that_is_not_a_mainland_mobile(phone, committee):
    with pytest.raises(ValidationError) as exc:
        public.request_code(phone=phone, ip="10.0.0.1", committee=committee)
    assert exc.value.messages == ["请输入正确的11位手机号码。"]
    assert PhoneCode.objects.count() == 0


def test_a_wrong_code_is_counted_and_says_how_many_tries_are_left(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        row = public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    wrong = "000000" if sent_code(caplog) != "000000" else "111111"
    with pytest.raises(ValidationError) as exc:
        public.verify_code(phone=PHONE, code=wrong, ip="10.0.0.1", committee=committee)
    assert exc.value.messages == ["验证码不正确,还可尝试 4 次。"]
    row.refresh_from_db()
    assert row.attempts == 1
    assert User.objects.count() == 0


def test_after_five_wrong_tries_even_the_right_code_is_refused(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    code = sent_code(caplog)
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            public.verify_code(phone=PHONE, code=wrong, ip="10.0.0.1", committee=committee)
        messages.append(exc.value.messages[0])
    assert messages[-1] == "验证码错误次数过多,请重新获取。"
    with pytest.raises(ValidationError) as exc:
        public.verify_code(phone=PHONE, code=code, ip="10.0.0.1", committee=committee)
    assert exc.value.messages == ["验证码错误次数过多,请重新获取。"]
    assert User.objects.count() == 0


def test_an_expired_code_is_refused(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        row = public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    PhoneCode.objects.filter(pk=row.pk).update(expires=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        public.verify_code(phone=PHONE, code=sent_code(caplog), ip="10.0.0.1", committee=committee)
    assert exc.value.messages == ["验证码已失效,请重新获取。"]


def test_a_new_code_retires_the_previous_one(caplog, committee):
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
        old = sent_code(caplog)
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
        new = sent_code(caplog)
    if old != new:
        with pytest.raises(ValidationError):
            public.verify_code(phone=PHONE, code=old, ip="10.0.0.1", committee=committee)
    assert public.verify_code(phone=PHONE, code=new, ip="10.0.0.1", committee=committee)


def test_codes_per_phone_are_rate_limited(committee):
    for _ in range(5):
        public.request_code(phone=PHONE, ip="10.0.0.1", committee=committee)
    with pytest.raises(public.TooManyRequests) as exc:
        public.request_code(phone=PHONE, ip="10.0.0.2", committee=committee)
    assert exc.value.messages == ["该手机号获取验证码过于频繁,请一小时后再试。"]
    assert PhoneCode.objects.count() == 5


def test_codes_per_ip_are_rate_limited(committee):
    for n in range(20):
        public.request_code(phone=f"139{n:08d}", ip="10.0.0.9", committee=committee)
    with pytest.raises(public.TooManyRequests) as exc:
        public.request_code(phone=PHONE, ip="10.0.0.9", committee=committee)
    assert exc.value.messages == ["该网络获取验证码过于频繁,请一小时后再试。"]
    assert PhoneCode.objects.count() == 20
    public.request_code(phone=PHONE, ip="10.0.0.10", committee=committee)


def test_the_sign_in_page_goes_from_phone_to_code_to_signed_in(client, caplog, committee):
    url = reverse("core:public_login")
    with caplog.at_level(logging.INFO, logger="zhengxie.core.sms"):
        response = client.post(url, {"action": "send", "c": committee.code, "phone": PHONE})
    assert response.status_code == 302
    assert response["Location"] == url + "?step=code"
    page = client.get(response["Location"])
    assert "139****5678" in page.content.decode()
    response = client.post(url, {"action": "verify", "code": sent_code(caplog)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.context["role"].role == Role.PUBLIC
    assert home.context["role"].committee_id == committee.pk


def test_the_sign_in_page_shows_a_wrong_code_in_chinese(client, caplog, committee):
    url = reverse("core:public_login")
    client.post(url, {"action": "send", "c": committee.code, "phone": PHONE})
    response = client.post(url, {"action": "verify", "code": "12345"})
    assert response.status_code == 200
    assert response.context["code_form"].errors["code"] == ["请输入6位数字验证码。"]
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_answers_429_when_rate_limited(client, committee):
    url = reverse("core:public_login")
    for _ in range(5):
        client.post(url, {"action": "send", "c": committee.code, "phone": PHONE})
    response = client.post(url, {"action": "send", "c": committee.code, "phone": PHONE})
    assert response.status_code == 429
    assert response.context["phone_form"].errors["phone"] == [
        "该手机号获取验证码过于频繁,请一小时后再试。"
    ]


def test_the_sign_in_page_asks_for_the_phone_of_the_chosen_committee(client, committee):
    response = client.get(reverse("core:public_login") + f"?c={committee.code}")
    assert response.status_code == 200
    assert response.context["committee"] == committee
    assert response.context["step"] == "phone"
    assert 'id="public-phone-form"' in response.content.decode()

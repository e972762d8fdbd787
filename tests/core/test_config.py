import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhengxie.core import config
from zhengxie.core.models import AuditEntry, CommitteeSetting, Role


def test_defaults_are_returned_until_a_committee_sets_a_value(committee):
    assert config.get_setting(committee, "proposal_reply_deadline_months") == 3
    assert config.get_setting(committee, "return_request_working_days") == 5
    assert config.get_setting(committee, "extension_max_months") == 6
    assert config.get_setting(committee, "proposal_max_length") == 2500
    assert config.get_setting(committee, "opinion_max_length") == 1500
    assert config.get_setting(committee, "attachment_max_size_mb") == 20
    assert config.get_setting(committee, "reply_categories") == {
        "A": "已解决或采纳",
        "B": "列入计划逐步解决",
        "C": "因条件限制留作参考",
    }
    assert config.get_setting(committee, "adopted_reply_categories") == ["A", "B"]


def test_an_admin_sets_a_value_for_their_committee_only(committee, other_committee, admin_user):
    value = config.set_setting(
        committee=committee, key="proposal_reply_deadline_months", value="4", actor=admin_user
    )
    assert value == 4
    assert config.get_setting(committee, "proposal_reply_deadline_months") == 4
    assert config.get_setting(other_committee, "proposal_reply_deadline_months") == 3
    entry = AuditEntry.objects.get(object_type="core.CommitteeSetting")
    assert (entry.action, entry.before, entry.after, entry.committee_id) == (
        "update",
        {"proposal_reply_deadline_months": 3},
        {"proposal_reply_deadline_months": 4},
        committee.pk,
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("proposal_reply_deadline_months", "0", "不能小于 1。"),
        ("proposal_reply_deadline_months", "13", "不能大于 12。"),
        ("proposal_reply_deadline_months", "三", "请输入整数。"),
        ("attachment_types", ["pdf", "exe"], "不支持的选项:exe。"),
        ("reply_categories", "{not json", "格式不正确,请填写有效的 JSON。"),
        ("reply_categories", "{}", '请填写至少一个答复类别,格式如 {"A": "已解决或采纳"}。'),
        ("adopted_reply_categories", "A\nD", "类别“D”未在答复类别中定义。"),
    ],
)
def test_it_rejects_invalid_values_with_a_chinese_message(
    committee, admin_user, key, value, message
):
    with pytest.raises(ValidationError) as exc:
        config.set_setting(committee=committee, key=key, value=value, actor=admin_user)
    assert exc.value.message_dict == {key: [message]}
    assert CommitteeSetting.objects.count() == 0


def test_nothing_is_saved_when_one_of_several_values_is_invalid(committee, admin_user):
    with pytest.raises(ValidationError) as exc:
        config.set_settings(
            committee=committee,
            values={"proposal_max_length": "3000", "opinion_max_length": "99"},
            actor=admin_user,
        )
    assert exc.value.message_dict == {"opinion_max_length": ["不能小于 200。"]}
    assert CommitteeSetting.objects.count() == 0
    assert config.get_setting(committee, "proposal_max_length") == 2500


def test_setting_a_value_back_to_its_default_keeps_the_row_and_audits(committee, admin_user):
    config.set_setting(committee=committee, key="opinion_max_length", value=2000, actor=admin_user)
    config.set_setting(committee=committee, key="opinion_max_length", value=1500, actor=admin_user)
    assert config.get_setting(committee, "opinion_max_length") == 1500
    assert AuditEntry.objects.filter(object_type="core.CommitteeSetting").count() == 2


def test_only_an_admin_may_change_settings(committee, staff_user):
    with pytest.raises(PermissionDenied):
        config.set_setting(
            committee=committee, key="opinion_max_length", value=2000, actor=staff_user
        )
    assert CommitteeSetting.objects.count() == 0


def _as_posted(setting):
    """The text a settings form posts for a setting's default (apps register their own)."""
    value = setting.default
    if setting.type == config.LIST:
        return list(value) if setting.choices else "\n".join(value)
    if setting.type == config.JSON:
        return json.dumps(value)
    if setting.type == config.BOOL:
        return "on" if value else ""
    return str(value)


def _post_data(**overrides):
    data = {key: _as_posted(setting) for key, setting in config.SETTINGS.items()}
    data |= {
        "proposal_reply_deadline_months": "3",
        "return_request_working_days": "5",
        "extension_max_months": "6",
        "proposal_max_length": "2500",
        "reply_categories": json.dumps(config.SETTINGS["reply_categories"].default),
        "adopted_reply_categories": "A\nB",
        "unrated_reply_flag_days": "30",
        "not_registered_grounds": "\n".join(config.SETTINGS["not_registered_grounds"].default),
        "signature_days": "5",
        "bulletin_title": "政协社情民意",
        "opinion_approver_roles": "staff:research_office\nstaff:general_office",
        "opinion_signer_roles": "chair",
        "key_proposal_share_percent": "10",
        "opinion_max_length": "1500",
        "attachment_max_size_mb": "20",
        "attachment_types": ["pdf", "jpg", "png"],
        "blocked_words": "",
        "codes_per_phone_per_hour": "5",
        "codes_per_ip_per_hour": "20",
    }
    data.update(overrides)
    return data


def test_the_settings_page_saves_every_changed_value(login, admin_user, committee):
    response = login(admin_user).post(
        reverse("core:settings"), _post_data(blocked_words="赌博\n 代开发票 \n")
    )
    assert response.status_code == 302
    assert config.get_setting(committee, "blocked_words") == ["赌博", "代开发票"]
    assert config.get_setting(committee, "attachment_types") == ["pdf", "jpg", "png"]
    assert config.get_setting(committee, "proposal_max_length") == 2500


def test_the_settings_page_shows_errors_per_field_and_saves_nothing(login, admin_user, committee):
    response = login(admin_user).post(
        reverse("core:settings"),
        _post_data(proposal_max_length="10", blocked_words="赌博", extension_max_months="x"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "proposal_max_length": ["不能小于 200。"],
        "extension_max_months": ["请输入整数。"],
    }
    assert CommitteeSetting.objects.count() == 0


def test_the_settings_page_is_for_admins_only(login, make_user, committee):
    staff = make_user(committee, Role.STAFF)
    assert login(staff).get(reverse("core:settings")).status_code == 403

from django.urls import path

from zhengxie.core.views import accounts, accounts_admin, audit, home, notifications
from zhengxie.core.views import attachments as attachment_views
from zhengxie.core.views import calendar as calendar_views
from zhengxie.core.views import config as config_views
from zhengxie.core.views import followup as followup_views
from zhengxie.core.views import moderation as moderation_views
from zhengxie.core.views import public as public_views

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("password/", accounts.password_change_view, name="password_change"),
    path("role/", accounts.switch_role, name="switch_role"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    path("settings/", config_views.settings_page, name="settings"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path(
        "calendar/<int:pk>/delete/", calendar_views.calendar_day_delete, name="calendar_day_delete"
    ),
    path(
        "attachments/<int:pk>/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
    path("public/login/", public_views.public_login, name="public_login"),
    path("moderation/", moderation_views.moderation_queue, name="moderation"),
    path(
        "moderation/<int:pk>/decide/",
        moderation_views.moderation_decide,
        name="moderation_decide",
    ),
    path("followup/instructions/", followup_views.instruction_add, name="instruction_add"),
    path("followup/recommendations/", followup_views.recommendation_add, name="recommendation_add"),
    path(
        "followup/recommendations/<int:pk>/",
        followup_views.recommendation_act,
        name="recommendation_act",
    ),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/export/", audit.audit_export, name="audit_export"),
    path("accounts/", accounts_admin.account_list, name="accounts"),
    path("accounts/new/", accounts_admin.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts_admin.account_detail, name="account_detail"),
    path("accounts/<int:pk>/action/", accounts_admin.account_action, name="account_action"),
]

from django.urls import path

from zhengxie.core.views import accounts, audit, home, notifications

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("role/", accounts.switch_role, name="switch_role"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    path("audit/", audit.audit_list, name="audit"),
]

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhengxie.portal"
    label = "portal"
    verbose_name = "门户与宣传"

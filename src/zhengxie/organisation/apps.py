from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "zhengxie.organisation"
    label = "organisation"
    verbose_name = "组织与委员"

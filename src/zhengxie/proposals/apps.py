from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "zhengxie.proposals"
    label = "proposals"
    verbose_name = "提案"

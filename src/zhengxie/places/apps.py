from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "zhengxie.places"
    label = "places"
    verbose_name = "委员之家"

    def ready(self):
        from django.utils.translation import gettext_lazy

        from zhengxie.core.config import INT, Setting, register_setting

        register_setting(
            Setting(
                "place_messages_per_hour",
                INT,
                5,
                gettext_lazy("每个公众账号每小时在委员之家留言条数上限"),
                "public",
                min=1,
                max=100,
            )
        )

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "zhengxie.places"
    label = "places"
    verbose_name = "委员之家"

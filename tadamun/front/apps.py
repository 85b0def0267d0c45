from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "tadamun.front"
    verbose_name = "Front pages"

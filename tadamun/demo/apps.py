from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tadamun.demo"
    verbose_name = "Demo content"

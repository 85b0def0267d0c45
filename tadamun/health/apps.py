from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tadamun.health"
    verbose_name = "Health"

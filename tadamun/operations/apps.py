from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tadamun.operations"
    verbose_name = "Operations"

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Staff accounts: the two-step login's views, templates and tests."""

    name = "tadamun.staff"
    default = True

    def ready(self):
        from tadamun.staff import enrolment

        enrolment.connect()


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, served by a site that lets in only staff who passed both login steps."""

    default = False
    default_site = "tadamun.staff.site.StaffAdminSite"

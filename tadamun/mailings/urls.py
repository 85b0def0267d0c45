from django.urls import path

from tadamun.mailings import clicks, views

app_name = "mailings"

urlpatterns = [
    path("unsubscribe/mailing/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # A mailing's link, counted when settings.MAILING_COUNT_CLICKS is on (mailings.clicks).
    path("m/<str:token>/", clicks.follow, name="link"),
]
# Outside the language prefix: the mail provider posts here.
provider_urlpatterns = [
    path("mailings/bounces", views.bounces, name="mailing_bounces"),
]

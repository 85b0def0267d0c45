from django.urls import path

from tadamun.publications import views
from tadamun.publications.feeds import PublicationsFeed

app_name = "publications"

urlpatterns = [
    path("publications/", views.index, name="index"),
    path("publications/feed.atom", PublicationsFeed(), name="feed"),
    path("publications/<slug:slug>/", views.detail, name="detail"),
]

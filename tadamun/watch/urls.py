from django.urls import path

from tadamun.watch import views
from tadamun.watch.feeds import WatchFeed

app_name = "watch"

urlpatterns = [
    path("watch/", views.index, name="index"),
    path("watch/feed.atom", WatchFeed(), name="feed"),
    path("watch/<slug:slug>/", views.detail, name="detail"),
]

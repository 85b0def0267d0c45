from django.urls import path

from tadamun.rebuttals import views
from tadamun.rebuttals.feeds import RebuttalsFeed

app_name = "rebuttals"

urlpatterns = [
    path("rebuttals/", views.index, name="index"),
    path("rebuttals/feed.atom", RebuttalsFeed(), name="feed"),
    path("rebuttals/<slug:slug>/", views.detail, name="detail"),
    path("rebuttals/<slug:slug>/card.png", views.card, name="card"),
]

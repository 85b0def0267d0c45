from django.urls import path

from tadamun.front import views

app_name = "front"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/members/", views.members, name="members"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
]

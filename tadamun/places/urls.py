from django.urls import path

from tadamun.places import views

app_name = "places"

urlpatterns = [
    path("places/world.svg", views.world_outline, name="world"),
]

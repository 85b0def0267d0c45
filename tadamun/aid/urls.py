from django.urls import path

from tadamun.aid import views

app_name = "aid"

urlpatterns = [
    path("aid/", views.index, name="index"),
    path("aid/<slug:slug>/", views.detail, name="detail"),
]

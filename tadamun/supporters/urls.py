from django.urls import path

from tadamun.supporters import views

app_name = "supporters"

urlpatterns = [
    path("my-data/", views.my_data_request, name="my_data_request"),
    path("my-data/<str:token>/", views.my_data, name="my_data"),
    path("my-data/<str:token>/download/", views.my_data_download, name="my_data_download"),
    path("my-data/<str:token>/erase/", views.erase, name="erase"),
    path("share/<str:token>/", views.share, name="share"),
    path("news/<str:token>/", views.confirm_news, name="confirm_news"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

from django.urls import path

from tadamun.letters import views

app_name = "letters"

urlpatterns = [
    path("letters/", views.campaign_list, name="list"),
    path("letters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("letters/<slug:slug>/", views.detail, name="detail"),
    path("letters/<slug:slug>/card.png", views.card, name="card"),
    path("letters/<slug:slug>/compose", views.compose, name="compose"),
    path("letters/<slug:slug>/send", views.send, name="send"),
    path("letters/<slug:slug>/check-your-email", views.check_email, name="check_email"),
    path("letters/<slug:slug>/sent", views.confirmed, name="confirmed"),
]

from django.urls import path

from tadamun.petitions import views

app_name = "petitions"

urlpatterns = [
    path("petitions/", views.petition_list, name="list"),
    path("petitions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("petitions/<slug:slug>/", views.detail, name="detail"),
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("petitions/<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
    path("petitions/<slug:slug>/embed/", views.embed, name="embed"),
    path("petitions/<slug:slug>/card.png", views.card, name="card"),
    path("petitions/<slug:slug>/signatures.json", views.signatures_json, name="json"),
]

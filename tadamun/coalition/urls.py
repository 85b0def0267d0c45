from django.urls import path

from tadamun.coalition import views

app_name = "coalition"

urlpatterns = [
    path("campaigns/<slug:slug>/card.png", views.campaign_card, name="campaign_card"),
    path("card.png", views.site_card, name="site_card"),
    path("campaigns/<slug:slug>/endorse/", views.endorse, name="endorse"),
    path("campaigns/<slug:slug>/endorse/thanks/", views.endorse_thanks, name="endorse_thanks"),
    path("campaigns/<slug:slug>/endorsements/", views.endorsements, name="endorsements"),
    path("endorsements/confirm/<str:token>/", views.confirm, name="confirm"),
]

from django.urls import path

from tadamun.events import organiser_views as organiser
from tadamun.events import views
from tadamun.questions import views as questions

app_name = "events"

urlpatterns = [
    path("days/", views.day_list, name="days"),
    path("days/<slug:slug>/", views.day_detail, name="day"),
    path("days/<slug:slug>/propose/", views.propose, name="propose"),
    path("days/<slug:slug>/proposed/", views.proposed, name="proposed"),
    path("days/<slug:slug>/calendar.ics", views.day_ics, name="day_ics"),
    path("events/", views.find, name="find"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/card.png", views.event_card, name="card"),
    path("events/confirm/<str:token>/", views.confirm, name="confirm"),
    path("events/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:pk>/rsvp/thanks/", views.rsvp_thanks, name="rsvp_thanks"),
    path("events/rsvp/confirm/<str:token>/", views.rsvp_confirm, name="rsvp_confirm"),
    path("events/rsvp/cancel/<str:token>/", views.rsvp_cancel, name="rsvp_cancel"),
    path("events/<int:pk>/organiser/", organiser.request_link, name="manage_request"),
    path("events/manage/<str:token>/", organiser.manage, name="manage"),
    path("events/manage/<str:token>/edit/", organiser.edit, name="manage_edit"),
    path(
        "events/manage/<str:token>/questions/", questions.event_questions, name="manage_questions"
    ),
    path("events/manage/<str:token>/write/", organiser.write, name="manage_write"),
    path("events/manage/<str:token>/cancel/", organiser.cancel, name="manage_cancel"),
    path("events/manage/<str:token>/shifts/", organiser.add_shift, name="manage_shift"),
    path(
        "events/manage/<str:token>/shifts/change/",
        organiser.change_shift,
        name="manage_shift_change",
    ),
    path(
        "events/manage/<str:token>/shifts/remove/",
        organiser.remove_shift,
        name="manage_shift_remove",
    ),
    path("events/manage/<str:token>/attendees.csv", organiser.attendees_csv, name="attendees_csv"),
    path("campaigns/<slug:slug>/calendar.ics", views.campaign_ics, name="campaign_ics"),
]

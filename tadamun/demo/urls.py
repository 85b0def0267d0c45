from django.urls import path

from tadamun.demo import views

app_name = "demo"

urlpatterns = [
    path("demo/mail/", views.mail_list, name="mail"),
    path("demo/mail/<str:file>/<int:index>/", views.mail_detail, name="message"),
]

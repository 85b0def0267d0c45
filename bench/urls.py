"""The site's URLs plus the ceilings the benchmarks compare against: a bare view returning a
short string, and a bare view doing one INSERT (into a table the benchmark creates)."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tadamun.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello")


@csrf_exempt
def insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ceiling (email) VALUES (%s)", [request.POST["email"]])
    return HttpResponse(status=302, headers={"Location": "/"})


urlpatterns = [
    path("bench/hello", hello),
    path("bench/insert", insert),
    *site_urlpatterns,
]

from django.urls import path

from twintrack.reports import views

app_name = "reports"

# Every pattern here is classified in tests/access_tables/reports.py (see tests/access_tables/url_access.py).
urlpatterns = [
    path("", views.bulletins, name="bulletins"),
    path("<str:code>/<period:period>/publish/", views.publish, name="publish"),
    path("<str:code>/<period:period>/<str:lang>/v<int:version>.<str:fmt>", views.download_file, name="download"),
    path("<str:code>/<period:period>/<str:lang>/draft.<str:fmt>", views.draft, name="draft"),
]

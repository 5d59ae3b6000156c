from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("energy/", include("twintrack.energy.urls")),
    path("diagnosis/", include("twintrack.diagnosis.urls")),
    path("supervision/", include("twintrack.supervision.urls")),
    path("bulletins/", include("twintrack.reports.urls")),
    path("", include("twintrack.web.urls")),
]

handler500 = "twintrack.operations.views.server_error"  # "database busy" answers 503, not 500

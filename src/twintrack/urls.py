from django.urls import include, path, register_converter

from twintrack.display.periods import PeriodConverter, YearConverter

# before the apps' patterns below are read
register_converter(PeriodConverter, "period")
register_converter(YearConverter, "year")

handler400 = "twintrack.web.views.bad_request"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("energy/", include("twintrack.energy.urls")),
    path("diagnosis/", include("twintrack.diagnosis.urls")),
    path("supervision/", include("twintrack.supervision.urls")),
    path("bulletins/", include("twintrack.reports.urls")),
    path("notices/", include("twintrack.notify.urls")),
    path("api/v1/", include("twintrack.api.urls")),
    path("jobs/", include("twintrack.jobs.urls")),
    path("field/", include("twintrack.field.urls")),
    path("", include("twintrack.web.urls")),
]

handler500 = "twintrack.operations.views.server_error"  # "database busy" answers 503, not 500

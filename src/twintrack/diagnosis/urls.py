from django.urls import path

from twintrack.diagnosis import views

app_name = "diagnosis"

# Every pattern here is classified in tests/access_tables/diagnosis.py (see tests/access_tables/url_access.py).
urlpatterns = [
    path("", views.home, name="home"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/self-assessment/", views.self_assess, name="self_assess"),
    path("enterprises/<int:pk>/diagnosis/", views.diagnose, name="diagnose"),
    path("enterprises/<int:pk>/adoptions/", views.add_adoption, name="add_adoption"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("reports/<int:pk>/", views.report_file, name="report_file"),
    path("sub-industries/", views.subindustries, name="subindustries"),
    path("sub-industries/<str:code>/", views.subindustry, name="subindustry"),
    path("demonstrations/", views.demonstrations, name="demonstrations"),
    path("demonstrations/new/", views.demonstration_new, name="demonstration_new"),
    path("demonstrations/<int:pk>/", views.demonstration, name="demonstration"),
    path("demonstrations/<int:pk>/edit/", views.demonstration_edit, name="demonstration_edit"),
    path("demonstrations/<int:pk>/status/", views.demonstration_status, name="demonstration_status"),
    path("solutions/", views.solutions, name="solutions"),
    path("solutions/new/", views.solution_new, name="solution_new"),
    path("solutions/<int:pk>/", views.solution, name="solution"),
    path("solutions/<int:pk>/edit/", views.solution_edit, name="solution_edit"),
    path("providers/", views.providers, name="providers"),
    path("providers/<int:pk>/", views.provider, name="provider"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/<int:pk>/", views.framework, name="framework"),
    path("settings/", views.coverage_settings, name="settings"),
]

from django.urls import path

from twintrack.jobs import views

# Classified in tests/access_tables/jobs.py.
app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
]

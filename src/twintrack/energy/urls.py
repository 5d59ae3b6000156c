from django.urls import path

from twintrack.energy import views

app_name = "energy"

urlpatterns = [
    path("", views.index, name="index"),
    path("coefficients/", views.coefficients, name="coefficients"),
    path("coefficients/add/", views.add_version, name="add_version"),
    path("basis/", views.year_basis, name="year_basis"),
    path("grid/add/", views.grid_factor, name="grid_factor"),
    path("projects/", views.projects, name="projects"),
    path("projects/<str:code>/", views.project, name="project"),
]

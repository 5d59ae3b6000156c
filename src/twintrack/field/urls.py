from django.urls import path

from twintrack.field import views

app_name = "field"

urlpatterns = [
    path("", views.app, name="app"),
    path("device-token", views.device_token, name="device_token"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]

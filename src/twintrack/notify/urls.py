from django.urls import path

from twintrack.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("channels/", views.channels, name="channels"),
    path("channels/robots/<int:pk>/toggle/", views.robot_toggle, name="robot_toggle"),
    path("channels/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]

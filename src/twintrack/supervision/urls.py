from django.urls import path

from twintrack.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/delete/", views.round_delete, name="round_delete"),
    path("rounds/<int:pk>/bulletin.docx", views.round_bulletin, name="round_bulletin"),
    path("rounds/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("rounds/<int:pk>/requirements/new/", views.requirement_create, name="requirement_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("groups/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("visits/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
    path("findings/<int:pk>/attachments/new/", views.attachment_create, name="attachment_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("requirements/", views.requirement_list, name="requirements"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement"),
    path("requirements/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("requirements/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
    path("requirements/<int:pk>/respond/", views.requirement_respond, name="requirement_respond"),
    path("requirements/<int:pk>/evidence/", views.requirement_evidence, name="requirement_evidence"),
    path("requirements/<int:pk>/send-back/", views.requirement_send_back, name="requirement_send_back"),
    path("requirements/<int:pk>/verify/", views.requirement_verify, name="requirement_verify"),
    path("units/<str:code>/", views.unit_page, name="unit"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from twintrack.web import (views, views_admin, views_edit, views_monthly, views_quality, views_registry,
                           views_tokens)

# Every pattern here is classified in tests/access_tables/web.py (see tests/access_tables/url_access.py):
# tests/web/test_url_access.py fails for a pattern without a classification.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language, name="language"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", views_tokens.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    # units and targets
    path("units/", views_registry.orgunit_list, name="orgunit_list"),
    path("units/<str:code>/", views_registry.orgunit_detail, name="orgunit_detail"),
    path("units/<str:code>/targets/<year:year>/", views_admin.target_edit, name="target_edit"),
    # enterprises
    path("enterprises/", views_registry.enterprise_list, name="enterprise_list"),
    path("enterprises/export.xlsx", views_registry.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", views_edit.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views_registry.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views_edit.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/delete/", views_registry.enterprise_delete, name="enterprise_delete"),
    path("enterprises/<int:pk>/restore/", views_registry.enterprise_restore, name="enterprise_restore"),
    # projects and monthly progress
    path("projects/", views_registry.project_list, name="project_list"),
    path("projects/export.xlsx", views_registry.project_export, name="project_export"),
    path("projects/new/", views_edit.project_create, name="project_create"),
    path("projects/<int:pk>/", views_registry.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views_edit.project_edit, name="project_edit"),
    path("projects/<int:pk>/progress/", views_registry.progress_save, name="progress_save"),
    path("projects/<int:pk>/progress/<period:period>/remove/", views_edit.progress_remove, name="progress_remove"),
    path("projects/<int:pk>/delete/", views_registry.project_delete, name="project_delete"),
    path("projects/<int:pk>/restore/", views_registry.project_restore, name="project_restore"),
    # history of any record
    path("history/<str:kind>/<int:pk>/", views_registry.history, name="history"),
    # the monthly cycle
    path("monthly/", views_monthly.monthly, name="monthly"),
    path("monthly/templates/<str:kind>.xlsx", views_monthly.template_download, name="template_download"),
    path("monthly/upload/", views_monthly.upload, name="upload"),
    path("monthly/upload/<str:token>/", views_monthly.upload_preview, name="upload_preview"),
    path("monthly/upload/<str:token>/confirm/", views_monthly.upload_confirm, name="upload_confirm"),
    path("monthly/upload/<str:token>/discard/", views_monthly.upload_discard, name="upload_discard"),
    path("monthly/<str:code>/<period:period>/progress.xlsx", views_monthly.progress_template,
         name="progress_template"),
    path("monthly/<str:code>/<period:period>/submit/", views_monthly.month_submit_confirm,
         name="month_submit_confirm"),
    path("approvals/", views_monthly.approval_list, name="approvals"),
    path("approvals/all-below/", views_monthly.approval_bulk, name="approval_bulk"),
    path("approvals/<str:code>/<period:period>/submit/", views_monthly.approval_submit, name="approval_submit"),
    path("approvals/<str:code>/<period:period>/approve/", views_monthly.approval_approve, name="approval_approve"),
    path("approvals/<str:code>/<period:period>/reopen/", views_monthly.approval_reopen, name="approval_reopen"),
    # data quality (data contract section 5)
    path("quality/", views_quality.quality, name="quality"),
    path("quality/export.xlsx", views_quality.quality_export, name="quality_export"),
    path("quality/confirm/", views_quality.quality_confirm, name="quality_confirm"),
    path("quality/rules/", views_quality.quality_rules, name="quality_rules"),
    # the bureau's user management
    path("users/", views_admin.user_list, name="user_list"),
    path("users/new/", views_admin.user_create, name="user_create"),
    path("users/<int:pk>/", views_admin.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views_admin.user_password, name="user_password"),
]

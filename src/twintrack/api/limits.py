"""The API's answer to a body over the upload limit: a problem document (413), as for every
other API error, where the pages answer with web.security.UploadLimitMiddleware's HTML page."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from twintrack.api.problems import problem
from twintrack.web.security import body_too_large, max_upload_megabytes


class ApiUploadLimitMiddleware:
    """Placed right before UploadLimitMiddleware: API paths get JSON, pages keep their page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("api:api-root")
        if request.path.startswith(self.prefix) and body_too_large(request):
            return problem(413, "too-large", _("Content too large"),
                           _("the request body is over the upload limit of %(limit)d MB") % {
                               "limit": max_upload_megabytes()})
        return self.get_response(request)

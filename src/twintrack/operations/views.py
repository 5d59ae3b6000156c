"""The page a request gets when the database stayed locked: 503, "try again", in the user's
language; any other fault keeps Django's plain 500."""
import sys

from django.shortcuts import render
from django.views.defaults import server_error as plain_server_error

from twintrack.busy import is_database_busy

RETRY_AFTER_SECONDS = 30


def server_error(request, *args, **kwargs):
    if is_database_busy(sys.exc_info()[1]):
        response = render(request, "operations/busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return plain_server_error(request, *args, **kwargs)

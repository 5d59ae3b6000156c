"""Driving uploads through their background jobs in tests: the worker runs in this process."""
from django.urls import reverse

from twintrack.jobs.worker import run_pending


def token_of(response) -> str:
    return response["Location"].rstrip("/").split("/")[-1]


def post_upload(client, data: dict):
    """POST the upload form, then let the worker run the check; the response is the redirect."""
    response = client.post(reverse("upload"), data)
    run_pending()
    return response


def confirm(client, token: str, follow: bool = False):
    """Confirm, let the worker import, then open the preview page as the browser's refresh does
    (the redirect to the month page once the import is written)."""
    queued = client.post(reverse("upload_confirm", args=[token]))
    assert queued.status_code == 302 and queued["Location"] == reverse("upload_preview", args=[token])
    run_pending()
    return client.get(queued["Location"], follow=follow)

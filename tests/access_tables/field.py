"""Who gets what from the field app (issue 18): the page and the device token for whoever is
logged in (the token acts with exactly its user's scope); the service worker and the manifest
carry no data and are public (a browser fetches a manifest without cookies)."""
from access_tables.url_access import LOGGED_IN, PUBLIC, Case

URLS = {
    "field:app": Case(expect=LOGGED_IN),
    "field:device_token": Case(method="POST", expect=LOGGED_IN),
    "field:service_worker": Case(expect=PUBLIC),
    "field:manifest": Case(expect=PUBLIC),
}

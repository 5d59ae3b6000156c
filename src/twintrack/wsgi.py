import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")

# A threaded server's worker runs a page from the cache (a dozen I/O calls, each giving up the
# GIL and waiting to take it back) beside a thread that computes (an import, a cold render). With
# the default 5 ms switch interval each of those waits may last 5 ms, so a 2 ms answer takes
# tens of ms whenever its neighbour computes (the convoy effect); 1 ms bounds the wait.
SWITCH_INTERVAL_SECONDS = float(os.environ.get("TWINTRACK_SWITCH_INTERVAL", "0.001"))
sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)

application = get_wsgi_application()

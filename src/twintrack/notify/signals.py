"""What notify tells the layers above: a user's notices changed (new, read), so that cached
pages showing the unread count are stale. Connected by the app that keeps the page cache."""
from django.dispatch import Signal

notices_changed = Signal()

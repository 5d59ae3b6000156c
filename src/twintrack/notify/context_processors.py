from twintrack.notify.services import unread_count


def unread_notices(request):
    """The top bar's unread count: one indexed count, only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(user)}

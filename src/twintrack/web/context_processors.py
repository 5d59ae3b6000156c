from twintrack.web.roles import navigation

# Pages that belong to a menu entry (the entry stays marked while they are open).
SECTIONS = {
    "orgunit_detail": "orgunit_list", "target_edit": "orgunit_list",
    "enterprise_detail": "enterprise_list", "project_detail": "project_list", "progress_save": "project_list",
    "upload_preview": "monthly", "quality_rules": "quality", "user_create": "user_list", "user_edit": "user_list", "user_password": "user_list",
}


def menu(request):
    """The navigation entries of the current user, and which one is open."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None else None
    section = getattr(request, "menu_section", None) or SECTIONS.get(current, current)  # a view may set its own
    return {"menu": navigation(user), "menu_section": section}

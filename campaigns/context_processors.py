from . import access


def navigation(request):
    """Which menu entries the signed-in user has (the pages check again)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = access.roles_of(user)
    Role = access.Role
    return {
        "nav": {
            "unit": bool(roles & {Role.LIAISON, Role.UNIT_HEAD}),
            "office": user.is_superuser or bool(roles & {Role.OFFICE_STAFF, Role.LEADER}),
        }
    }

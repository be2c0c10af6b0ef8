from django.utils.functional import SimpleLazyObject

from . import access


def navigation(request):
    """Which menu entries the signed-in user has (the pages check again).
    Lazy: pages that draw no menu, such as the admin, pay no query."""
    user = request.user

    def entries():
        if not user.is_authenticated:
            return {}
        roles = access.roles_of(user)
        Role = access.Role
        return {
            "unit": bool(roles & {Role.LIAISON, Role.UNIT_HEAD}),
            "office": user.is_superuser or bool(roles & {Role.OFFICE_STAFF, Role.LEADER}),
            "deliveries": user.is_superuser or Role.OFFICE_STAFF in roles,
            "today": user.is_superuser or Role.OFFICE_STAFF in roles,
        }

    return {"nav": SimpleLazyObject(entries)}

from django.utils.functional import SimpleLazyObject

from . import access


def bell(request):
    """The unread count on the navbar's bell. Lazy, like the menu: pages that
    draw no navbar, such as the admin, pay no query."""
    user = request.user

    def counts():
        if not user.is_authenticated:
            return {"unread": 0}
        return {"unread": access.own_notifications(user).filter(read_at__isnull=True).count()}

    return {"bell": SimpleLazyObject(counts)}

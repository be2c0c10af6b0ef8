from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from campaigns import access


@login_required
def home(request):
    """Each role lands where its work is. (Placeholder: refined with sign-in.)"""
    roles = access.roles_of(request.user)
    if roles & {access.Role.LIAISON, access.Role.UNIT_HEAD}:
        return redirect("reports:unit_home")
    if request.user.is_superuser or roles & {access.Role.OFFICE_STAFF, access.Role.LEADER}:
        return redirect("reports:review_queue")
    return redirect("admin:index")

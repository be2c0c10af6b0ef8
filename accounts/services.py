from axes.utils import reset as reset_failed_sign_ins


def end_lockout(*, username):
    """Forget the failed sign-ins counted against `username`: a lockout ends at once."""
    return reset_failed_sign_ins(username=username)

"""Log records of refused requests, kept short.

A 404, a 403 or a refused step (core.errors.Refused) is the product working
as intended: the log says which address was refused and why, in one line,
without the traceback Django attaches, so that real errors stand out.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import Refused

REFUSALS = (Http404, PermissionDenied, Refused)


class RefusedWithoutTraceback(logging.Filter):
    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, REFUSALS):
            reason = str(error)
            if reason:
                record.msg = f"{record.msg}（{reason}）"
            record.exc_info = None
            record.exc_text = None
        return True

"""The office's pages: the review queue and the office's actions on a report.

Placeholder: implemented with issue 5's office pages.
"""

from django.http import Http404


def review_queue(request):
    raise Http404


def review(request, pk):
    raise Http404


def exempt(request, pk):
    raise Http404


def reopen(request, pk):
    raise Http404


def extension_decide(request, pk):
    raise Http404

"""审计查询: the auditor's search of the trail, its CSV export, and the
sign-in log. Only auditors (audit.access); everyone else gets 404."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import access, selectors
from .forms import AuditSearchForm
from .models import AuditEvent
from .services import record

PAGE_SIZE = 50
CSV_MAX_ROWS = 50_000


def _cell(value):
    """A cell Excel will not run as a formula (a description typed by a user
    may start with = or +)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _filters(request):
    form = AuditSearchForm(request.GET or None, object_types=selectors.object_types())
    if form.is_bound and form.is_valid():
        return form, {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    return form, ({} if not form.is_bound else None)


@login_required
@require_GET
def search(request):
    access.require_auditor(request.user)
    form, filters = _filters(request)
    events = selectors.search(**filters) if filters is not None else AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": query.urlencode(), "nav_active": "audit"},
        status=200 if filters is not None else 400,
    )


@login_required
@require_GET
def export(request):
    """The search's result as CSV (UTF-8 with BOM, so Excel reads the Chinese);
    the export is itself on the trail."""
    access.require_auditor(request.user)
    form, filters = _filters(request)
    if filters is None:
        return render(request, "audit/search.html", {"form": form, "page": None, "query": "", "nav_active": "audit"}, status=400)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["时间", "操作人", "IP 地址", "操作", "对象类型", "对象编号", "说明", "活动编号", "变更内容"])
    for event in selectors.search(**filters)[:CSV_MAX_ROWS]:
        writer.writerow(
            _cell(value)
            for value in [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor.get_username() if event.actor else "",
                event.address or "",
                event.get_action_display(),
                event.object_type_label,
                event.object_id,
                event.description,
                event.campaign_id or "",
                "；".join(f"{field}：{old} → {new}" for field, old, new in event.change_lines),
            ]
        )
    filename = f"审计记录_{timezone.localdate():%Y-%m-%d}.csv"
    record(
        action=AuditEvent.Action.DOWNLOADED,
        object_type=AuditEvent._meta.label_lower,
        description=f"导出审计记录 {filename}",
        request=request,
        changes={"查询条件": [None, {key: str(value) for key, value in filters.items()}]},
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def sign_ins(request):
    access.require_auditor(request.user)
    form = AuditSearchForm(request.GET or None)
    start = end = None
    username = ""
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        username = form.cleaned_data.get("actor", "").strip()
    logs = selectors.sign_ins(start=start, end=end, username=username)
    return render(
        request,
        "audit/sign_ins.html",
        {
            "form": form,
            "logs": Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page")),
            "nav_active": "audit",
        },
    )

"""The office's aggregated Excel workbooks: request, watch, download, retry.

The campaign's office staff (and system admins) generate and retry them;
its leaders read and download them (a 403 if they post); anyone else gets a
404, as for any object they may not see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from core.http import file_response
from reports import access

from .. import exports
from ..models import WorkbookExport
from ..office_forms import WorkbookRequestForm

Status = WorkbookExport.Status
LIST_SIZE = 30


def _export(request, pk):
    return get_object_or_404(
        WorkbookExport.objects.filter(campaign__in=access.workbook_campaigns(request.user).values("id")).select_related(
            "campaign"
        ),
        pk=pk,
    )


@login_required
def workbooks(request, campaign_id):
    campaign = get_object_or_404(access.workbook_campaigns(request.user), pk=campaign_id)
    may_generate = access.workbook_office_campaigns(request.user).filter(pk=campaign.pk).exists()
    if request.method == "POST" and not may_generate:
        raise PermissionDenied("汇总表由领导小组办公室生成，领导可查看和下载。")
    if request.method == "POST":
        form = WorkbookRequestForm(request.POST, campaign=campaign)
        if form.is_valid():
            exports.request_export(
                campaign=campaign,
                by=request.user,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                at=timezone.now(),
            )
            messages.success(request, "已开始生成汇总表，完成后可在下方下载。")
            return redirect("reports:workbooks", campaign.pk)
    else:
        date_from, date_to = exports.previous_month(timezone.localdate())
        form = WorkbookRequestForm(initial={"date_from": date_from, "date_to": date_to}, campaign=campaign)
    return render(
        request,
        "reports/workbooks.html",
        {
            "campaign": campaign,
            "form": form,
            "may_generate": may_generate,
            "exports": exports.with_may_retry(
                WorkbookExport.objects.filter(campaign=campaign).select_related("requested_by"), at=timezone.now()
            )[:LIST_SIZE],
            "nav_active": "review",
        },
    )


@login_required
def workbook_status(request, pk):
    export = _export(request, pk)
    done = export.status == Status.DONE
    return JsonResponse(
        {
            "status": export.status,
            "status_display": export.get_status_display(),
            "percent": export.percent,
            "error": export.error,
            "download_url": reverse("reports:workbook_download", args=[export.pk]) if done else None,
        }
    )


@login_required
def workbook_download(request, pk):
    export = _export(request, pk)
    if export.status != Status.DONE or not export.file:
        raise Http404("该汇总表尚未生成完成。")
    audit.downloaded(request, export, filename=export.download_name)
    return file_response(
        request,
        export.file,
        as_attachment=True,
        filename=export.download_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def workbook_retry(request, pk):
    export = _export(request, pk)
    if not access.workbook_office_campaigns(request.user).filter(pk=export.campaign_id).exists():
        raise PermissionDenied("汇总表由领导小组办公室生成，领导可查看和下载。")
    if exports.retry_export(export=export, at=timezone.now()):
        messages.success(request, "已重新开始生成汇总表。")
    else:
        messages.warning(request, "该汇总表正在生成或已生成完成，无需重新生成。")
    return redirect("reports:workbooks", export.campaign_id)

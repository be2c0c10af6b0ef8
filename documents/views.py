"""The year-end report page: office staff download the draft, leaders read it.

Who may: `documents.access.annual_report_campaigns`; a campaign the user
may not see is a 404, like a stranger's.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.official import render_docx

from . import access
from .annual import build_annual_report, file_name, valid_years
from .forms import AnnualReportForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(data, filename):
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def annual(request):
    """GET without a choice shows the form; GET with campaign and year
    downloads the document (reading only, so a link can be bookmarked)."""
    campaigns = list(
        access.annual_report_campaigns(request.user).select_related("issuing_unit").order_by("-starts_on", "title")
    )
    if not campaigns:
        raise Http404("年度情况报告由领导小组办公室起草、领导查阅。")
    if "campaign" in request.GET:
        try:
            asked = int(request.GET["campaign"])
        except ValueError:
            raise Http404("没有这个创建活动。") from None
        if asked not in {campaign.pk for campaign in campaigns}:
            raise Http404("没有这个创建活动，或您无权查看。")
        form = AnnualReportForm(request.GET, campaigns=campaigns)
        if form.is_valid():
            campaign, year = form.cleaned_data["campaign"], form.cleaned_data["year"]
            document = build_annual_report(campaign=campaign, year=year, at=timezone.now())
            return docx_response(render_docx(document), file_name(campaign, year))
    else:
        today = timezone.localdate()
        first = campaigns[0]
        form = AnnualReportForm(
            campaigns=campaigns,
            initial={"campaign": first.pk, "year": min(max(today.year, valid_years(first)[0]), valid_years(first)[-1])},
        )
    return render(
        request,
        "documents/annual.html",
        {"form": form, "nav_active": "annual"},
        status=400 if form.is_bound else 200,
    )

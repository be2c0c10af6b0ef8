"""文稿起草: the year-end reports and summaries a campaign is drafted into,
edited section by section and kept as versions.

Who may: `documents.access`. The campaign's office (and system admins)
create, edit, restore and regenerate; its leaders read every page and
download every version; anyone else gets 404, like a stranger. A reader's
POST gets 404 too: the editable queryset does not hold the draft.
Downloads are GET, so a version's file can be bookmarked.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from core import pdf
from core.official import from_data, render_docx

from . import access, draft_selectors, services
from .drafting import scopes
from .forms import DraftForm, sections
from .models import Draft

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters a file name may not hold on the clerks' machines.
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def file_response(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def file_name(document, draft, suffix):
    stem = UNSAFE_NAME.sub("", document.title).strip() or draft.label
    return f"{stem}{suffix}"


def readable(request, pk):
    try:
        return draft_selectors.readable_draft(request.user, pk)
    except Draft.DoesNotExist:
        raise Http404("没有这份文稿，或您无权查看。") from None


def editable(request, pk):
    return get_object_or_404(access.editable_drafts(request.user).select_related("campaign", "phase"), pk=pk)


def version_of(draft, number, *, with_data=True):
    versions = draft.versions.select_related("created_by")
    if not with_data:
        versions = versions.defer("data")
    return get_object_or_404(versions, number=number)


@login_required
@require_GET
def annual(request):
    """The index: every campaign the user may read, the documents it can be
    drafted into, and each draft's latest version."""
    entries = draft_selectors.index(request.user)
    if not entries:
        raise Http404("年度报告与总结由领导小组办公室起草、领导查阅。")
    return render(request, "documents/index.html", {"entries": entries, "nav_active": "annual"})


@login_required
@require_POST
def start(request, campaign_id):
    """生成初稿 of one scope of the campaign; an existing draft is opened."""
    campaign = get_object_or_404(access.editable_campaigns(request.user), pk=campaign_id)
    wanted = request.POST.get("scope", "")
    matching = [scope for scope in scopes(campaign) if draft_selectors.scope_value(scope) == wanted]
    if not matching:
        messages.error(request, "没有这项文稿，请在列表中重新选择。")
        return redirect("documents:annual")
    scope = matching[0]
    try:
        draft, created = services.start_draft(
            campaign=campaign, kind=scope.kind, year=scope.year, phase=scope.phase, by=request.user, at=timezone.now()
        )
    except services.DraftRefused as refused:
        messages.error(request, refused.message)
        return redirect("documents:annual")
    if created:
        messages.success(request, f"已生成{draft.label}的初稿（第1版），请逐部分审阅修改。")
    else:
        messages.info(request, f"{draft.label}已有文稿，已为您打开最新版本。")
    return redirect(draft)


def draft_context(draft, version, versions):
    return {
        "draft": draft,
        "campaign": draft.campaign,
        "version": version,
        "versions": versions,
        "pdf_available": pdf.available(),
        "nav_active": "annual",
    }


@login_required
@require_http_methods(["GET", "POST"])
def draft(request, pk):
    """The draft's latest version: an edit form for the office, the text for
    readers. POST saves the edits as the next version."""
    found = readable(request, pk)
    if request.method == "POST" and not found.editable:
        raise Http404("没有这份文稿，或您无权修改。")
    versions = draft_selectors.versions(found)
    latest = versions[0]
    if request.method == "POST":
        base_number = request.POST.get("base", "")
        base = next((v for v in versions if str(v.number) == base_number), None)
        if base is None:
            messages.error(request, "无法确定您修改的是哪一版，请重新打开文稿后再修改。")
            return redirect(found)
        base = version_of(found, base.number)
        form = DraftForm(request.POST, document=from_data(base.data))
        if form.is_valid():
            saved = services.save_edit(
                draft=found,
                document=form.edited_document(),
                note=form.cleaned_data["note"].strip(),
                by=request.user,
                at=timezone.now(),
            )
            if base.number != latest.number:
                messages.warning(
                    request,
                    f"您是在第{base.number}版上修改的，其间已有第{latest.number}版；"
                    f"已保存为第{saved.number}版，第{latest.number}版的修改请在版本记录中查看。",
                )
            else:
                messages.success(request, f"已保存为第{saved.number}版。")
            return redirect(found)
        status = 400
    else:
        base = version_of(found, latest.number)
        form = DraftForm(document=from_data(base.data)) if found.editable else None
        status = 200
    context = draft_context(found, base, versions)
    context["form"] = form
    context["document"] = from_data(base.data)
    context["sections"] = form.sections if form else sections(context["document"].blocks)
    return render(request, "documents/draft.html", context, status=status)


@login_required
@require_GET
def version(request, pk, number):
    """One version, read only."""
    found = readable(request, pk)
    shown = version_of(found, number)
    context = draft_context(found, shown, draft_selectors.versions(found))
    context["document"] = document = from_data(shown.data)
    context["sections"] = sections(document.blocks)
    return render(request, "documents/version.html", context)


@login_required
@require_POST
def restore(request, pk, number):
    found = editable(request, pk)
    older = version_of(found, number)
    saved = services.restore(draft=found, version=older, by=request.user, at=timezone.now())
    messages.success(request, f"已将第{older.number}版的内容恢复为第{saved.number}版。")
    return redirect(found)


@login_required
@require_http_methods(["GET", "POST"])
def regenerate(request, pk):
    """按最新数据重新生成: the confirmation, then a new version."""
    found = editable(request, pk)
    if request.method == "POST":
        try:
            saved = services.regenerate(draft=found, by=request.user, at=timezone.now())
        except services.DraftRefused as refused:
            messages.error(request, refused.message)
            return redirect(found)
        messages.success(request, f"已按最新数据重新生成第{saved.number}版；之前的修改保留在较早的版本中。")
        return redirect(found)
    latest = draft_selectors.versions(found)[0]
    return render(
        request,
        "documents/regenerate.html",
        {"draft": found, "campaign": found.campaign, "latest": latest, "nav_active": "annual"},
    )


@login_required
@require_GET
def download_docx(request, pk, number):
    found = readable(request, pk)
    shown = version_of(found, number)
    document = from_data(shown.data)
    filename = file_name(document, found, ".docx")
    audit.downloaded(request, found, filename=f"{filename}（第{shown.number}版）")
    return file_response(render_docx(document), filename, DOCX)


@login_required
@require_GET
def download_pdf(request, pk, number):
    found = readable(request, pk)
    shown = version_of(found, number)
    document = from_data(shown.data)
    try:
        data = pdf.docx_to_pdf(render_docx(document))
    except pdf.PdfUnavailable as refused:
        messages.error(request, refused.message)
        return redirect("documents:version", pk=found.pk, number=shown.number)
    filename = file_name(document, found, ".pdf")
    audit.downloaded(request, found, filename=f"{filename}（第{shown.number}版）")
    return file_response(data, filename, "application/pdf")


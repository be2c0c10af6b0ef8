"""The pages of a mock assessment (模拟测评): the office prepares it (the
draw, the observers), starts and closes it and reads its 得分率; an observer
fills each assigned site's form on a phone. Whoever may not see an
assessment or a site gets 404."""

import datetime
import io
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from core.files import size_text, sniff
from core.http import parse_id

from . import access, bulletin, mock, rechecks, selectors, workbook
from .forms import CloseForm, DrawForm, MockCreateForm, RecheckForm
from .models import MockAssessment, Observation, SampledSite, Standard
from .services import AssessmentError
from .views import _errors

PHOTO_MAX_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def mock_list(request, campaign_id):
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    can_manage = access.managed_campaigns(request.user).filter(pk=campaign.pk).exists()
    form = MockCreateForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        system = selectors.current_system(campaign)
        if system is None:
            messages.error(request, "请先导入测评体系，再组织模拟测评。")
        elif form.is_valid():
            assessment = MockAssessment.objects.create(
                campaign=campaign, system=system, created_by=request.user, **form.cleaned_data
            )
            return redirect("assessments:mock_detail", pk=assessment.pk)
        else:
            _errors(request, form)
    assessments = (
        MockAssessment.objects.filter(campaign=campaign)
        .annotate(sites=Count("sampled_sites", distinct=True))
        .order_by("-held_on", "-pk")
    )
    return render(
        request,
        "assessments/mock_list.html",
        {"campaign": campaign, "assessments": assessments, "form": form, "can_manage": can_manage, "nav_active": "assessments"},
    )


def _results_rows(results, names):
    return [(names.get(key, "—"), rate) for key, rate in sorted(results.items(), key=lambda pair: (pair[1].rate is None, pair[1].rate or 0))]


@login_required
def mock_detail(request, pk):
    assessment = get_object_or_404(access.readable_assessments(request.user).select_related("campaign", "system"), pk=pk)
    can_manage = access.managed_assessments(request.user).filter(pk=pk).exists()
    sampled = list(
        SampledSite.objects.filter(assessment=assessment)
        .select_related("site__site_type", "site__unit", "observer")
        .order_by("site__site_type__name", "site__name")
    )
    # Read once, for the 得分率 and each site's counts (a site is sampled once).
    observed = mock.observations(assessment)
    made = Counter(o.site for o in observed)
    failed = Counter(o.site for o in observed if o.result == Observation.Result.NOT_MET)
    applies = mock.standards_for(assessment.system, {s.site.site_type_id for s in sampled})
    for s in sampled:
        s.expected = len(applies.get(s.site.site_type_id, []))
        s.observed, s.failed = made[s.site_id], failed[s.site_id]
    results = mock.results(assessment, observed)
    standards = {s.pk: s for s in Standard.objects.filter(system=assessment.system).select_related("content__item")}
    units = {s.site.unit_id: s.site.unit.display_name for s in sampled}
    types = {s.site.site_type_id: s.site.site_type.name for s in sampled}
    items = {s.content.item_id: s.content.item.name for s in standards.values()}
    types_list = selectors.site_types(assessment.campaign)
    return render(
        request,
        "assessments/mock_detail.html",
        {
            "assessment": assessment,
            "campaign": assessment.campaign,
            "sampled": sampled,
            "results": results,
            "by_item": _results_rows(results.by_item, items),
            "by_unit": _results_rows(results.by_unit, units),
            "by_type": _results_rows(results.by_site_type, types),
            "by_standard": _results_rows(results.by_standard, {pk: s.text for pk, s in standards.items()})[:20],
            "can_manage": can_manage,
            "draw_form": DrawForm(site_types=types_list) if can_manage else None,
            "close_form": CloseForm(initial={"deadline": timezone.localdate() + datetime.timedelta(days=15)}),
            "observers": list(access.observers(assessment.campaign)) if can_manage else [],
            "nav_active": "assessments",
        },
    )


def _managed(request, pk):
    return get_object_or_404(access.managed_assessments(request.user).select_related("campaign", "system"), pk=pk)


def _act(request, assessment, step, done=""):
    try:
        step()
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        if done:
            messages.success(request, done)
    return redirect("assessments:mock_detail", pk=assessment.pk)


@login_required
@require_POST
def mock_draw(request, pk):
    assessment = _managed(request, pk)
    form = DrawForm(request.POST, site_types=selectors.site_types(assessment.campaign))
    if not form.is_valid():
        _errors(request, form)
        return redirect("assessments:mock_detail", pk=pk)
    if not form.counts():
        messages.error(request, "请至少为一种点位类型填写抽取数量。")
        return redirect("assessments:mock_detail", pk=pk)

    def step():
        chosen = mock.draw(assessment=assessment, counts=form.counts(), seed=form.cleaned_data["seed"])
        assessment.refresh_from_db()
        messages.success(request, f"已抽取 {len(chosen)} 个点位，随机数种子 {assessment.seed}（已记录，可复现）。")

    return _act(request, assessment, step)


@login_required
@require_POST
def mock_assign(request, pk):
    assessment = _managed(request, pk)
    observer = access.observers(assessment.campaign).filter(pk=parse_id(request.POST.get("observer"))).first()
    ids = [parse_id(v) for v in request.POST.getlist("sites")]
    sites = list(SampledSite.objects.filter(assessment=assessment, pk__in=[i for i in ids if i]))
    if observer is None or not sites:
        messages.error(request, "请勾选点位并选择测评员。")
        return redirect("assessments:mock_detail", pk=pk)
    return _act(
        request,
        assessment,
        lambda: mock.assign(assessment=assessment, sampled_sites=sites, observer=observer),
        f"已将 {len(sites)} 个点位交给{observer.full_name or observer.username}测评。",
    )


@login_required
@require_POST
def mock_start(request, pk):
    assessment = _managed(request, pk)
    return _act(
        request,
        assessment,
        lambda: mock.start(assessment=assessment),
        "模拟测评已开始：测评员在“我的测评点位”中逐个点位填写。",
    )


@login_required
@require_POST
def mock_close(request, pk):
    assessment = _managed(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("assessments:mock_detail", pk=pk)

    if request.POST.get("confirmed") != "1" and assessment.status == MockAssessment.Status.OPEN:
        incomplete = mock.incomplete_sites(assessment)
        if incomplete:
            return render(
                request,
                "assessments/mock_close_confirm.html",
                {
                    "assessment": assessment,
                    "campaign": assessment.campaign,
                    "incomplete": incomplete,
                    "missing": sum(s.expected - s.observed for s in incomplete),
                    "observers": sorted({s.observer.full_name or s.observer.username for s in incomplete if s.observer}),
                    "deadline": form.cleaned_data["deadline"],
                    "nav_active": "assessments",
                },
            )

    def step():
        inspection = mock.close(assessment=assessment, by=request.user, at=timezone.now(), deadline=form.cleaned_data["deadline"])
        messages.success(request, f"测评已结束，{inspection.findings.count()} 处不达标已列入整改台账。")

    return _act(request, assessment, step)


def _readable(request, pk):
    related = ["campaign__office_unit", "campaign__issuing_unit", "system"]
    return get_object_or_404(access.readable_assessments(request.user).select_related(*related), pk=pk)


def _download_name(assessment, kind, extension, at):
    return f"{assessment.name}{kind}_{timezone.localdate(at):%Y-%m-%d}.{extension}"


@login_required
def mock_workbook(request, pk):
    """The results workbook (得分率, 测评标准, 问题清单), for the office and leaders."""
    assessment = _readable(request, pk)
    now = timezone.now()
    out = io.BytesIO()
    workbook.build(assessment=assessment, out=out, at=now)
    out.seek(0)
    filename = _download_name(assessment, "结果", "xlsx", now)
    audit.downloaded(request, assessment, filename=filename, campaign=assessment.campaign_id)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def mock_bulletin(request, pk):
    """The bulletin's draft (.docx) written from the results, for the office and leaders."""
    assessment = _readable(request, pk)
    now = timezone.now()
    filename = _download_name(assessment, "情况通报（草稿）", "docx", now)
    data = bulletin.render(assessment, at=now)
    audit.downloaded(request, assessment, filename=filename, campaign=assessment.campaign_id)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX)


@login_required
def my_sites(request):
    """An observer's sites to check, on a phone."""
    sites = (
        access.observed_sites(request.user)
        .select_related("site__site_type", "assessment")
        .annotate(observed=Count("observations"))
        .order_by("assessment__held_on", "site__name")
    )
    return render(request, "assessments/my_sites.html", {"sites": sites, "nav_active": "assessments"})


@login_required
def observe(request, pk):
    """One site's form: each standard that applies, 达标 / 不达标 (what is wrong, a photo
    where the standard asks) / 不适用; saved together, all or none, correctable until the close."""
    sampled = get_object_or_404(access.observed_sites(request.user).select_related("site__site_type", "assessment__system"), pk=pk)
    standards = mock.standards_for(sampled.assessment.system, [sampled.site.site_type_id]).get(sampled.site.site_type_id, [])
    recorded = {o.standard_id: o for o in Observation.objects.filter(sampled_site=sampled)}
    problems = []
    if request.method == "POST":
        marks = []
        for standard in standards:
            result = request.POST.get(f"s{standard.pk}", "")
            if not result:
                continue
            note = request.POST.get(f"n{standard.pk}", "")[:1000]
            # A photo only where the standard asks for one (uploads only where the work needs them).
            photo = request.FILES.get(f"p{standard.pk}") if standard.needs_photo else None
            if photo is not None and (photo.size > PHOTO_MAX_BYTES or sniff(photo) not in ("jpeg", "png")):
                problems.append(f"“{standard}”的照片须为 JPG 或 PNG，且不超过 {size_text(PHOTO_MAX_BYTES)}。")
            marks.append(mock.Mark(standard, result, note, photo))
        if not problems:
            try:
                mock.observe_many(sampled_site=sampled, marks=marks, by=request.user, at=timezone.now())
            except mock.MarksRefused as error:
                problems = error.problems
            except AssessmentError as error:
                problems = [str(error)]
        if not problems:
            messages.success(request, f"已保存 {len(marks)} 条。")
            return redirect("assessments:observe", pk=sampled.pk)
        for problem in problems:
            messages.error(request, problem)
        # Nothing was saved: the form shows what was sent, so nothing typed is lost.
        for mark in marks:
            kept = recorded.get(mark.standard.pk)
            recorded[mark.standard.pk] = Observation(
                standard=mark.standard, result=mark.result, note=mark.note, photo=kept.photo.name if kept else ""
            )
    rows = [(standard, recorded.get(standard.pk)) for standard in standards]
    return render(
        request,
        "assessments/observe.html",
        {"sampled": sampled, "rows": rows, "done": sum(1 for _, o in rows if o and o.pk), "nav_active": "assessments"},
        status=400 if problems else 200,
    )


@login_required
@require_POST
def recheck(request, pk):
    """复查 of the failure behind rectification item `pk`, from the item's page
    (supervision's template shows the buttons through `assessment_tags`)."""
    observation = get_object_or_404(
        access.readable_observations(request.user).select_related("sampled_site__assessment"), finding__rectification__pk=pk
    )
    if not access.may_recheck(request.user, observation):
        raise PermissionDenied
    form = RecheckForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("supervision:item_detail", pk=pk)
    met = form.cleaned_data["result"] == "met"
    try:
        rechecks.recheck(
            observation=observation, met=met, note=form.cleaned_data["note"], by=request.user, at=timezone.now()
        )
    except AssessmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "已记录复查达标，整改事项已核验销号。" if met else "已记录复查仍不达标，整改事项已退回单位重新整改。"
        )
    return redirect("supervision:item_detail", pk=pk)

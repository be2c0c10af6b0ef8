"""任务督办: each task against its deadline, and its 办结 (apply, confirm, return).

Tasks come through `reports.access`: a task the user may not follow is a 404;
one they follow but may not act on is a 404 for that action too.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from core.http import stored_file_response

from .. import access, deadlines
from ..files import ALLOWED_DISPLAY


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DeclareForm(forms.Form):
    text = forms.CharField(
        label="办结情况", widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="写明完成了哪些工作、取得什么成效。",
    )
    files = forms.FileField(
        label="佐证材料", required=False, widget=MultipleFileInput(attrs={"multiple": True}),
        help_text=f"可选，可多选。支持 {ALLOWED_DISPLAY}。",
    )


class DecideForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


STANDING_FILTERS = {
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "declared": "办结待确认",
    "yellow": "黄灯",
}


@login_required
def task_list(request, campaign_id):
    campaign = get_object_or_404(access.deadline_campaigns(request.user), pk=campaign_id)
    tasks = access.supervised_tasks(request.user).filter(campaign=campaign)
    today = timezone.localdate()
    rows = deadlines.supervised_tasks(tasks.filter(lead_unit__isnull=False), today=today)
    shown = request.GET.get("show", "")
    if shown == "yellow":
        rows = [task for task in rows if task.standing.light == "yellow"]
    elif shown in STANDING_FILTERS:
        rows = [task for task in rows if task.standing.key == shown]
    return render(
        request,
        "reports/deadline_list.html",
        {"campaign": campaign, "tasks": rows, "today": today, "filters": STANDING_FILTERS, "shown": shown},
    )


@login_required
def task_detail(request, pk):
    task = get_object_or_404(access.supervised_tasks(request.user), pk=pk)
    today = timezone.localdate()
    task = deadlines.supervised_tasks(type(task).objects.filter(pk=task.pk), today=today)[0]
    may_declare = access.led_tasks(request.user).filter(pk=pk).exists()
    may_decide = access.confirmable_tasks(request.user).filter(pk=pk).exists()
    return render(
        request,
        "reports/deadline_detail.html",
        {
            "task": task,
            "campaign": task.campaign,
            "may_declare": may_declare and task.status == task.Status.OPEN,
            "may_decide": may_decide and task.status == task.Status.DECLARED,
            "declare_form": DeclareForm(),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def task_declare(request, pk):
    task = get_object_or_404(access.led_tasks(request.user), pk=pk)
    try:
        deadlines.declare(
            task=task, by=request.user, at=timezone.now(), text=request.POST.get("text", ""),
            files=request.FILES.getlist("files"),
        )
    except deadlines.DeadlineRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已提交办结申请：{task}，请等待领导小组办公室确认。")
    return redirect("reports:deadline_task", pk=pk)


@login_required
@require_POST
def task_decide(request, pk):
    task = get_object_or_404(access.confirmable_tasks(request.user), pk=pk)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    try:
        if decision == "confirm":
            deadlines.confirm(task=task, by=request.user, at=timezone.now(), comment=comment)
            messages.success(request, f"已确认办结：{task}。")
        elif decision == "return":
            deadlines.send_back(task=task, by=request.user, at=timezone.now(), reason=comment)
            messages.success(request, f"已退回办结申请：{task}，牵头单位将继续办理。")
        else:
            raise Http404("未知的操作。")
    except deadlines.DeadlineRefused as error:
        messages.error(request, error.message)
    return redirect("reports:deadline_task", pk=pk)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(access.task_evidence(request.user), pk=pk)
    audit.downloaded(request, evidence, filename=evidence.original_name)
    return stored_file_response(request, evidence)

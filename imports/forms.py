"""The upload form, and the preview's form of corrections.

Between the pages the proposal travels as JSON signed with
django.core.signing (the `payload` field): nothing is kept in a process's
memory or on a host's disk, and a tampered or foreign payload is refused.
"""

import datetime as dt
import re

from django import forms
from django.core import signing

from core.files import size_text
from core.forms import BoundedTextMixin
from reports.models import MONTH_OFFSETS, ReportingRule
from reports.schedule import END_CADENCES, MAX_DAYS_AFTER, month_offset_range

from .matching import unit_names
from .parser.rules import month_in_quarter
from .reading import PlanReadError, max_bytes, plan_kind

SALT = "imports.plan-proposal"
# A preview left open over a weekend is read again, not trusted.
PAYLOAD_MAX_AGE = 2 * 24 * 3600
NEW_UNIT = "new"

WEEKDAYS = [("", "请选择"), (1, "星期一"), (2, "星期二"), (3, "星期三"), (4, "星期四"), (5, "星期五"), (6, "星期六"), (7, "星期日")]
CADENCES = ReportingRule.Cadence.choices
CYCLIC = ("quarterly", "half_yearly", "yearly")
COMPARISONS = [("gte", "不低于"), ("lte", "不高于"), ("eq", "等于")]
POSITIONS = [("", "请选择"), ("组长", "组长"), ("副组长", "副组长"), ("成员", "成员"), ("办公室主任", "办公室主任")]
# How a plan (and a clerk) separates unit names: 区卫健委、区教育局，区公安局
UNIT_SEPARATORS = re.compile(r"[、，,；;]")
# A task's up/down button posts "3:up": the task's place in the preview's list, and the way.
TASK_MOVE = re.compile(r"^(\d+):(up|down)$")


def dump_payload(*, text, proposal, filename, year):
    data = {"text": text, "proposal": proposal, "filename": filename, "year": year}
    return signing.dumps(data, salt=SALT, compress=True)


def load_payload(value):
    """The signed data, or None when it is missing, altered or stale. Whoever
    posts it may still make only their own office's unit the campaign's office."""
    try:
        data = signing.loads(value or "", salt=SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or not {"text", "proposal"} <= data.keys():
        return None
    return data


def _control(field, kind="form-control"):
    field.widget.attrs.setdefault("class", kind)
    return field


class UploadForm(forms.Form):
    # A whole plan pasted is bounded in bytes, as a file is (clean_text).

    file = forms.FileField(
        label="方案文件",
        required=False,
        help_text="支持 Word（.docx）、带文字层的 PDF 和文本文件（.txt）。旧版 .doc 请先另存为 .docx。",
        error_messages={"empty": "文件是空的，没有文字内容。", "invalid": "没有收到文件，请重新选择。"},
    )
    text = forms.CharField(
        label="或粘贴方案全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    year = forms.IntegerField(
        label="方案年份",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="方案中没有写年份的日期（如 3月6日至6月5日）按此年份补全；不填则按标题中的年份。",
        error_messages={"min_value": "请填写四位年份，例如 2016。", "max_value": "请填写四位年份，例如 2016。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self.fields["file"])
        _control(self.fields["text"])
        _control(self.fields["year"])
        # The limit stated is the one checked (clean_text, plan_kind).
        limit = size_text(max_bytes())
        self.fields["file"].help_text += f"文件不超过 {limit}。"
        self.fields["text"].help_text = f"全文不超过 {limit}。"
        self.filename = ""

    def clean_text(self):
        text = self.cleaned_data.get("text") or ""
        size = len(text.encode("utf-8"))
        if size > max_bytes():
            raise forms.ValidationError(
                f"粘贴的文字太长（{size_text(size)}），方案全文不能超过 {size_text(max_bytes())}。"
                "请删去附件、表格等与方案无关的内容，或上传方案文件。"
            )
        return text

    def clean(self):
        cleaned = super().clean()
        uploaded, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if self.errors:
            return cleaned
        if uploaded and text:
            raise forms.ValidationError("请只上传文件或只粘贴文字，不要同时提供。")
        if not uploaded and not text:
            raise forms.ValidationError("请选择方案文件，或粘贴方案全文。")
        if uploaded:
            # Only its size, name and first bytes (a zip's directory) are
            # looked at here: a worker reads it (imports/uploads.py).
            try:
                plan_kind(uploaded.name, uploaded)
            except PlanReadError as exc:
                raise forms.ValidationError(str(exc)) from exc
            self.filename = uploaded.name
        else:
            cleaned["plan_text"] = text
            self.filename = ""
        return cleaned


class RereadForm(forms.Form):
    """Read the same text again with another year."""

    payload = forms.CharField(widget=forms.HiddenInput)
    year = UploadForm.base_fields["year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self.fields["year"])


def split_units(value):
    return list(dict.fromkeys(name.strip() for name in UNIT_SEPARATORS.split(value or "") if name.strip()))


def walk_tasks(tasks, depth=0):
    """(task, depth) of a task tree, parents before their children: the
    preview's order, which numbers the task rows."""
    for task in tasks:
        yield task, depth
        yield from walk_tasks(task.get("children", []), depth + 1)


def renumber(tasks, prefix=""):
    """The tree codes 1, 1.1, 1.2, 2 … after the clerk moved, added or removed tasks."""
    for position, task in enumerate(tasks, start=1):
        task["code"] = f"{prefix}{position}"
        renumber(task.get("children", []), f"{task['code']}.")


def _number(value):
    """A target value as the proposal holds it: an int when whole."""
    return int(value) if value == value.to_integral_value() else float(value)


class RowForm(BoundedTextMixin, forms.Form):
    """One row of the preview: its fields are named phase_0_start, rule_1_day …
    (the names the preview has always posted), not Django's phase-0-start."""

    def add_prefix(self, field_name):
        return f"{self.prefix}_{field_name}" if self.prefix else field_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # The rows sit under a table's column headings, not beside labels.
            field.widget.attrs.setdefault("aria-label", field.label)
            if isinstance(field, forms.BooleanField):
                _control(field, "form-check-input")
            elif isinstance(field, forms.ChoiceField):
                _control(field, "form-select form-select-sm")
            else:
                _control(field, "form-control form-control-sm")

    @property
    def is_added(self):
        """The blank 新增 row, not an item of the plan."""
        return not self.initial


class RowFormSet(forms.BaseFormSet):
    """Rows of a list the clerk edits: the plan's items, one blank 新增 row,
    删除 on each, and 顺序 to reorder them."""

    deletion_field = "DELETE"

    def add_prefix(self, index):
        return f"{self.prefix}_{index}"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields.pop("DELETE", None)
        if self.deletion_field == "DELETE":
            form.fields["DELETE"] = _control(forms.BooleanField(label="删除", required=False), "form-check-input")
        form.fields[self.deletion_field].widget.attrs["data-marks-row"] = ""

    def _should_delete_form(self, form):
        return bool(getattr(form, "cleaned_data", {}).get(self.deletion_field))

    def edited(self, items):
        """The items as the clerk left them, in their order (by 顺序, then as
        shown): each kept row's `item()` of the plan's item it edits, or of {}
        for a filled-in 新增 row."""
        kept = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or self._should_delete_form(form) or not form.has_changed() and form.is_added:
                continue
            order = data.get("order")
            item = items[index] if index < len(items) and not form.is_added else {}
            kept.append((order if order is not None else 10**6, index, form.item(item)))
        return [item for _, _, item in sorted(kept, key=lambda row: row[:2])]

    def attach(self, items):
        """Give each row the plan's item it shows (its 原文); a 新增 row has none."""
        for index, form in enumerate(self.forms):
            form.source_item = items[index] if index < len(items) and not form.is_added else None
        return self


ORDER = {"label": "顺序", "required": False, "min_value": 1, "error_messages": {"min_value": "顺序请填写 1 以上的数字。", "invalid": "顺序请填写数字。"}}
DATE = forms.DateInput(attrs={"type": "date"})


class PhaseForm(RowForm):
    name = forms.CharField(label="阶段名称", max_length=100, error_messages={"required": "请填写阶段名称。"})
    goal = forms.CharField(label="目标", required=False)
    description = forms.CharField(label="主要工作", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start = forms.DateField(label="开始日期", widget=DATE, error_messages={"invalid": "请按 2016-01-01 的格式填写日期。"})
    end = forms.DateField(label="结束日期", widget=DATE, error_messages={"invalid": "请按 2016-01-01 的格式填写日期。"})
    order = forms.IntegerField(**ORDER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.initial.get("name")
        missing = f"请填写“{name}”的日期（方案中没有或遮盖了年份）。" if name else "请填写新增阶段的起止日期。"
        for end in ("start", "end"):
            self.fields[end].error_messages["required"] = missing

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期。")
        return cleaned

    def item(self, phase):
        data = self.cleaned_data
        return {
            **phase,
            "name": data["name"],
            "goal": data["goal"] or None,
            "description": data["description"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
        }


class RuleForm(RowForm):
    text = forms.CharField(label="报送要求", required=False)
    cadence = forms.ChoiceField(label="频次", choices=CADENCES, initial="weekly")
    weekday = forms.TypedChoiceField(label="每周报送日", choices=WEEKDAYS, coerce=int, empty_value=None, required=False)
    day = forms.IntegerField(
        label="报送日", min_value=1, max_value=31, required=False,
        help_text="每月、每季度、每半年、每年报送的截止日（几日）",
        error_messages={"min_value": "请填写 1–31。", "max_value": "请填写 1–31。", "invalid": "请填写 1–31。"},
    )
    month_offset = forms.TypedChoiceField(
        label="报送月份", choices=MONTH_OFFSETS, coerce=int, initial=0, required=False,
        help_text="每季度、每半年、每年报送时填写",
    )
    due_on = forms.DateField(
        label="截止日期", required=False, help_text="一次性报送时填写",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的日期。"},
    )
    days_after = forms.IntegerField(
        label="结束后几日内", min_value=0, max_value=MAX_DAYS_AFTER, required=False,
        help_text="每阶段结束后、活动结束后报送时填写：结束后第几日截止（0 即结束当日）",
        error_messages={
            "min_value": f"请填写 0–{MAX_DAYS_AFTER} 的天数。",
            "max_value": f"请填写 0–{MAX_DAYS_AFTER} 的天数。",
            "invalid": f"请填写 0–{MAX_DAYS_AFTER} 的天数。",
        },
    )
    time = forms.TimeField(
        label="截止时间", required=False, initial=dt.time(17, 30), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    # The rule's 删除: the plan's sentence stays in the source, the campaign gets no such rule.
    skip = forms.BooleanField(label="删除（不导入）", required=False)
    order = forms.IntegerField(**ORDER)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("skip"):
            return cleaned
        cadence = cleaned.get("cadence")
        if cadence == "weekly" and not cleaned.get("weekday") and "weekday" not in self.errors:
            self.add_error("weekday", "请选择每周报送日，或勾选“删除（不导入）”。")
        if cadence in ("monthly", *CYCLIC) and not cleaned.get("day") and "day" not in self.errors:
            what = "每月报送日" if cadence == "monthly" else "报送日"
            self.add_error("day", f"请填写{what}（1–31），或勾选“删除（不导入）”。")
        if cadence in CYCLIC and (cleaned.get("month_offset") or 0) not in month_offset_range(cadence):
            self.add_error("month_offset", "报送月份须在本周期内或周期结束后三个月内。")
        if cadence == "once" and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "一次性报送请填写截止日期，或勾选“删除（不导入）”。")
        return cleaned

    def item(self, rule):
        data = self.cleaned_data
        cadence = data["cadence"]
        due_on = data.get("due_on") if cadence == "once" else None
        return {
            **rule,
            "text": data["text"] or rule.get("text") or "",
            "cadence": cadence,
            "weekday": data.get("weekday") if cadence == "weekly" else None,
            "day_of_month": data.get("day") if cadence in ("monthly", *CYCLIC) else (due_on.day if due_on else None),
            "month_offset": (data.get("month_offset") or 0) if cadence in CYCLIC else 0,
            "month_in_quarter": month_in_quarter(data.get("month_offset") or 0) if cadence == "quarterly" else None,
            "due_on": due_on.isoformat() if due_on else None,
            "days_after": (data.get("days_after") or 0) if cadence in END_CADENCES else 0,
            "time": (data.get("time") or dt.time(17, 30)).strftime("%H:%M"),
        }


class TargetForm(RowForm):
    name = forms.CharField(label="指标名称", max_length=100, error_messages={"required": "请填写指标名称。"})
    comparison = forms.ChoiceField(label="比较", choices=COMPARISONS, initial="gte")
    value = forms.DecimalField(
        label="目标值", min_value=0, max_digits=14, decimal_places=2,
        error_messages={
            "required": "请填写目标值（数字），例如 95。",
            "invalid": "目标值请填写数字，例如 95。",
            "min_value": "目标值不能是负数。",
            "max_digits": "目标值太大，请核对。",
            "max_decimal_places": "目标值最多保留两位小数。",
            "max_whole_digits": "目标值太大，请核对。",
        },
    )
    unit = forms.CharField(label="单位", max_length=20, required=False)
    order = forms.IntegerField(**ORDER)

    def item(self, target):
        data = self.cleaned_data
        return {**target, "name": data["name"], "comparison": data["comparison"], "value": _number(data["value"]), "unit": data["unit"]}


class MemberForm(RowForm):
    position = forms.ChoiceField(label="职务", choices=POSITIONS, error_messages={"required": "请选择组长、副组长、成员或办公室主任。"})
    name = forms.CharField(label="姓名或职务", max_length=100, error_messages={"required": "请填写姓名。"})
    order = forms.IntegerField(**ORDER)

    def item(self, member):
        return {**member, "position": self.cleaned_data["position"], "name": self.cleaned_data["name"]}


class SkippedRowFormSet(RowFormSet):
    # A rule's 删除 is its “不导入” box, as before rows could be added.
    deletion_field = "skip"


def _formset(form, formset=RowFormSet):
    return forms.formset_factory(
        form, formset=formset, extra=1, can_delete=True, max_num=200, absolute_max=200, validate_max=True
    )


PhaseFormSet = _formset(PhaseForm)
RuleFormSet = _formset(RuleForm, SkippedRowFormSet)
TargetFormSet = _formset(TargetForm)
MemberFormSet = _formset(MemberForm)


class TaskForm(RowForm):
    """A task of the tree: its title, units and deadline; removing it removes its sub-tasks."""

    title = forms.CharField(label="任务", required=False)
    lead_units = forms.CharField(label="牵头单位", required=False)
    co_units = forms.CharField(label="配合单位", required=False)
    due_on = forms.DateField(
        label="完成时限", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的日期。"},
    )
    DELETE = forms.BooleanField(label="删除（含下级任务）", required=False, widget=forms.CheckboxInput(attrs={"data-marks-row": ""}))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("DELETE") and not cleaned.get("title") and "title" not in self.errors:
            self.add_error("title", "请填写任务名称，或勾选“删除”。")
        return cleaned


class NewTaskForm(RowForm):
    """The 新增任务 row: at the top level or under a task."""

    title = forms.CharField(label="新增任务", required=False)
    lead_units = forms.CharField(label="牵头单位", required=False)
    co_units = forms.CharField(label="配合单位", required=False)
    parent = forms.ChoiceField(label="位置", required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "一级任务（排在最后）")] + [
            (str(t), f"{task.get('code') or ''} {task['title'][:24]} 的下级") for t, (task, _) in enumerate(walk_tasks(tasks))
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and (cleaned.get("lead_units") or cleaned.get("co_units") or cleaned.get("parent")):
            self.add_error("title", "请填写新增任务的名称，或清空这一行。")
        return cleaned


class ConfirmForm(BoundedTextMixin, forms.Form):
    """The preview's corrections: header, office, the campaign's dates, the
    plan's prose (主送单位, 指导思想, 工作目标, 工作要求), each unit name's match;
    and the lists the clerk edits, adds to, removes from and reorders:
    phases, reporting rules, targets, the leading group (formsets) and the
    task tree (a form per task, one 新增任务 row, up/down buttons)."""

    payload = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="方案名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=50, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    office_unit = forms.ModelChoiceField(
        label="领导小组办公室所在单位",
        queryset=None,
        empty_label="请选择",
        help_text="负责日常工作、审核报送的单位。",
        error_messages={"required": "请选择领导小组办公室所在单位。", "invalid_choice": "请从列表中选择单位。"},
    )

    contact_person = forms.CharField(label="办公室联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    contact_email = forms.EmailField(
        label="联系邮箱", required=False, error_messages={"invalid": "请填写有效的电子邮箱地址。"}
    )

    addressees = forms.CharField(
        label="主送单位",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="方案印发给哪些单位，例如：区卫生监督所，机关各相关科室。",
    )
    starts_on = forms.DateField(
        label="活动开始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="不填则取各阶段的起止日期；方案没有阶段时按标题中的年份推断。",
    )
    ends_on = forms.DateField(label="活动结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    guiding_principle = forms.CharField(label="指导思想", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    goals = forms.CharField(label="工作目标", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    # Posted by a task's 上移/下移 button; never rendered as a field.
    task_move = forms.CharField(required=False)

    HEADER_FIELDS = (
        "title", "document_number", "issued_on", "office_unit", "starts_on", "ends_on",
        "contact_person", "contact_phone", "contact_email", "addressees",
    )
    TEXT_FIELDS = ("guiding_principle", "goals", "requirements")

    def __init__(self, *args, proposal, matches, units, office_units, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["office_unit"].queryset = office_units
        contact = proposal.get("contact") or {}
        for key in ("person", "phone", "email"):
            self.initial.setdefault(f"contact_{key}", contact.get(key) or "")
        self.initial.setdefault("title", proposal.get("title") or "")
        self.initial.setdefault("document_number", proposal.get("document_number") or "")
        self.initial.setdefault("issued_on", proposal.get("issued_on"))
        for key in ("addressees", *self.TEXT_FIELDS):
            self.initial.setdefault(key, proposal.get(key) or "")
        if not proposal.get("phases"):
            # Otherwise the phases' dates decide, and editing one must move the campaign's span.
            self.initial.setdefault("starts_on", proposal.get("starts_on"))
            self.initial.setdefault("ends_on", proposal.get("ends_on"))

        data = self.data if self.is_bound else None
        phases = proposal.get("phases", [])
        rules = proposal.get("reporting_rules", [])
        targets = proposal.get("targets", [])
        members = proposal.get("leading_group", [])
        self.phases = PhaseFormSet(data, prefix="phase", initial=[
            {"name": p["name"], "goal": p.get("goal") or "", "description": p.get("description") or "",
             "start": p.get("start"), "end": p.get("end"), "order": i}
            for i, p in enumerate(phases, start=1)
        ]).attach(phases)
        self.rules = RuleFormSet(data, prefix="rule", initial=[
            {"text": r.get("text") or "", "cadence": r["cadence"], "weekday": r.get("weekday"),
             "day": r.get("day_of_month") if r["cadence"] != "once" else None,
             "month_offset": r.get("month_offset") or 0, "due_on": r.get("due_on"), "days_after": r.get("days_after") or 0,
             "time": r.get("time") or "17:30", "skip": bool(r.get("skip")), "order": k}
            for k, r in enumerate(rules, start=1)
        ]).attach(rules)
        self.targets = TargetFormSet(data, prefix="target", initial=[
            {"name": t["name"], "comparison": t.get("comparison") or "gte", "value": t.get("value"), "unit": t.get("unit") or "", "order": n}
            for n, t in enumerate(targets, start=1)
        ]).attach(targets)
        self.members = MemberFormSet(data, prefix="member", initial=[
            {"position": m["position"], "name": m["name"], "order": n} for n, m in enumerate(members, start=1)
        ]).attach(members)

        self.flat_tasks = list(walk_tasks(proposal.get("tasks", [])))
        self.task_forms = [
            TaskForm(data, prefix=f"task_{t}", initial={
                "title": task["title"], "lead_units": "、".join(task.get("lead_units", [])), "co_units": "、".join(task.get("co_units", [])),
                "due_on": task.get("due_on") or None,
            })
            for t, (task, _) in enumerate(self.flat_tasks)
        ]
        self.new_task = NewTaskForm(data, prefix="new_task", tasks=proposal.get("tasks", []))

        self.units = units
        choices = [(NEW_UNIT, "新建单位")] + [(str(u.pk), u.name) for u in units]
        self.unit_names = unit_names(proposal.get("tasks", []))
        self.matches = matches
        for j, name in enumerate(self.unit_names):
            match = matches[name]
            chosen = (unit_choices or {}).get(name, str(match.unit_id) if match.unit_id else NEW_UNIT)
            self.fields[f"unit_{j}"] = forms.ChoiceField(label=name, choices=choices, initial=chosen)
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                _control(field, "form-select form-select-sm" if name.startswith("unit_") else "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                _control(field, "form-control")

    def lists(self):
        return [self.phases, self.rules, self.targets, self.members]

    def is_valid(self):
        valid = super().is_valid()
        for part in [*self.lists(), *self.task_forms, self.new_task]:
            valid = part.is_valid() and valid
        return valid

    def has_errors(self):
        """Anything to correct, in the header or in any row."""
        if not self.is_bound:
            return False
        return not self.is_valid()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        move = TASK_MOVE.match(cleaned.get("task_move") or "")
        cleaned["task_move"] = (int(move.group(1)), move.group(2)) if move and int(move.group(1)) < len(self.flat_tasks) else None
        if self.new_task.is_valid() and (parent := self.new_task.cleaned_data.get("parent")):
            if int(parent) in self.removed_tasks():
                self.new_task.add_error("parent", "上级任务已勾选删除，请另选位置。")
        return cleaned

    def removed_tasks(self):
        """Indices of the tasks checked 删除, with their sub-tasks."""
        removed, cut_below = set(), None
        for t, (_, depth) in enumerate(self.flat_tasks):
            if cut_below is not None and depth > cut_below:
                removed.add(t)
                continue
            cut_below = None
            form = self.task_forms[t]
            if form["DELETE"].value():
                removed.add(t)
                cut_below = depth
        return removed

    # The corrected proposal, as the service takes it.

    def corrected(self):
        data = self.cleaned_data
        proposal = {**self.proposal}
        proposal["title"] = data["title"]
        proposal["document_number"] = data["document_number"]
        proposal["issued_on"] = data["issued_on"].isoformat() if data["issued_on"] else None
        proposal["contact"] = {key: data[f"contact_{key}"] for key in ("person", "phone", "email")}
        for key in ("addressees", *self.TEXT_FIELDS):
            proposal[key] = data[key]
        for key in ("starts_on", "ends_on"):
            proposal[key] = data[key].isoformat() if data[key] else None
        proposal["phases"] = self.phases.edited(self.proposal.get("phases", []))
        proposal["reporting_rules"] = self.rules.edited(self.proposal.get("reporting_rules", []))
        proposal["targets"] = self.targets.edited(self.proposal.get("targets", []))
        proposal["leading_group"] = self.members.edited(self.proposal.get("leading_group", []))
        proposal["tasks"] = self._edited_tasks()
        return proposal

    def _edited_tasks(self):
        removed = self.removed_tasks()
        places = {}  # task index -> (the list it is in, its node)

        def rebuild(items, counter):
            kept = []
            for item in items:
                t = next(counter)
                children = rebuild(item.get("children", []), counter)
                if t in removed:
                    continue
                data = self.task_forms[t].cleaned_data
                node = {
                    **item,
                    "title": data["title"],
                    "lead_units": split_units(data["lead_units"]),
                    "co_units": split_units(data["co_units"]),
                    "due_on": data["due_on"].isoformat() if data.get("due_on") else None,
                    "children": children,
                }
                kept.append(node)
                places[t] = (kept, node)
            return kept

        tree = rebuild(self.proposal.get("tasks", []), iter(range(len(self.flat_tasks))))
        reshaped = bool(removed)
        if move := self.cleaned_data.get("task_move"):
            t, way = move
            if t in places:
                siblings, node = places[t]
                at = next(i for i, sibling in enumerate(siblings) if sibling is node)
                to = at - 1 if way == "up" else at + 1
                if 0 <= to < len(siblings):
                    siblings[at], siblings[to] = siblings[to], siblings[at]
                    reshaped = True
        new = self.new_task.cleaned_data
        if new.get("title"):
            node = {"code": "", "title": new["title"], "lead_units": split_units(new["lead_units"]),
                    "co_units": split_units(new["co_units"]), "children": []}
            parent = new.get("parent")
            (places[int(parent)][1]["children"] if parent else tree).append(node)
            reshaped = True
        if reshaped:
            renumber(tree)
        return tree

    def unit_choices(self):
        """{name: the posted choice} of the unit names shown, to keep them across a round trip."""
        return {name: self.cleaned_data[f"unit_{j}"] for j, name in enumerate(self.unit_names)}

    def unseen_units(self, proposal):
        """Unit names the edited tasks print that the clerk has not yet seen matched."""
        return [name for name in unit_names(proposal.get("tasks", [])) if name not in self.unit_names]

    def unit_matches(self):
        chosen = {}
        for name, value in self.unit_choices().items():
            chosen[name] = None if value == NEW_UNIT else int(value)
        return chosen

    # Rows for the template: each finding with its fields.

    def header_fields(self):
        return [self[name] for name in self.HEADER_FIELDS]

    def text_fields(self):
        return [self[name] for name in self.TEXT_FIELDS]

    def unit_rows(self):
        return [{"name": n, "match": self.matches[n], "field": self[f"unit_{j}"]} for j, n in enumerate(self.unit_names)]

    def task_rows(self):
        """Each task's row: its form, depth, and whether it can move up or down among its siblings."""
        rows = []
        for t, (task, depth) in enumerate(self.flat_tasks):
            rows.append({"index": t, "task": task, "depth": depth, "form": self.task_forms[t], "first": True, "last": True})
        last_at_depth = {}
        for row in rows:
            for deeper in [d for d in last_at_depth if d > row["depth"]]:
                del last_at_depth[deeper]
            if (previous := last_at_depth.get(row["depth"])) is not None:
                previous["last"] = False
                row["first"] = False
            last_at_depth[row["depth"]] = row
        return rows

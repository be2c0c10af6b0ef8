import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.forms import BoundedTextMixin

from .files import ALLOWED, ALLOWED_DISPLAY, validate_upload
from .models import TaskProgress


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        limit = settings.ATTACHMENTS_PER_UPLOAD
        if len(files) > limit:
            raise ValidationError(f"一次最多上传 {limit} 个文件，您选择了 {len(files)} 个。请分几次上传。")
        errors, cleaned = [], []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                cleaned.append(uploaded)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ReportForm(BoundedTextMixin, forms.Form):
    """The unit's report: text, the progress of each of its tasks, the
    figures the rule asks for, and new attachments."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    work_done = forms.CharField(
        label="开展情况", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明本期开展的工作：时间、地点、参加人数、取得的成效。",
    )
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(
        label="逾期说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已超过截止时间，报送时请简要说明逾期原因。",
    )
    files = MultipleFileField(
        label="上传附件",
        required=False,
        help_text=(
            f"一次最多 {settings.ATTACHMENTS_PER_UPLOAD} 个文件，每个不超过 {settings.ATTACHMENT_MAX_BYTES // 1048576} MB。"
            f"支持 {ALLOWED_DISPLAY}。"
        ),
        widget=MultipleFileInput(attrs={"accept": ",".join(ALLOWED)}),
    )

    def __init__(self, *args, tasks, indicators, show_late_reason, joint_candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks, self.indicators = tasks, indicators
        if not show_late_reason:
            del self.fields["late_reason"]
        self.joint_candidates = {str(r.pk): r for r in joint_candidates}
        if self.joint_candidates:
            self.fields["also_answers"] = forms.MultipleChoiceField(
                label="同时作为以下报送报送",
                required=False,
                choices=[(pk, f"{r.period.rule.name} {r.period.label}") for pk, r in self.joint_candidates.items()],
                widget=forms.CheckboxSelectMultiple,
                help_text="报送要求相同、时段相同的，勾选后点“报送”，本报送的内容同时报出，无需重复填写。",
                error_messages={"invalid_choice": "所选报送已不能同时报送，请刷新页面后重新选择。"},
            )
        for task in tasks:
            self.fields[f"task_{task.pk}_status"] = forms.ChoiceField(
                label="进展状态", choices=TaskProgress.Status.choices
            )
            self.fields[f"task_{task.pk}_percent"] = forms.IntegerField(
                label="完成进度（%）",
                min_value=0,
                max_value=100,
                error_messages={
                    "min_value": "完成进度须在 0 到 100 之间。",
                    "max_value": "完成进度须在 0 到 100 之间。",
                    "invalid": "完成进度请填写 0 到 100 之间的整数。",
                    "required": "请填写完成进度（0 到 100）。",
                },
            )
            self.fields[f"task_{task.pk}_note"] = forms.CharField(
                label="进展说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=str(indicator),
                required=False,
                max_digits=14,
                decimal_places=2,
                error_messages={
                    "invalid": f"“{indicator.name}”请填写数字，例如 12 或 12.5。",
                    "max_decimal_places": f"“{indicator.name}”最多保留两位小数。",
                    "max_digits": f"“{indicator.name}”数值过大，请核对。",
                    "max_whole_digits": f"“{indicator.name}”数值过大，请核对。",
                },
            )

    def task_rows(self):
        """(task, status field, percent field, note field) for the template."""
        return [
            (task, self[f"task_{task.pk}_status"], self[f"task_{task.pk}_percent"], self[f"task_{task.pk}_note"])
            for task in self.tasks
        ]

    def indicator_fields(self):
        return [(indicator, self[f"indicator_{indicator.pk}"]) for indicator in self.indicators]

    def clean(self):
        cleaned = super().clean()
        # Said at the field, on a long phone form, rather than only at the top;
        # the workflow still refuses a late first submission without a reason.
        if "late_reason" in self.fields and "submit" in self.data and not (cleaned.get("late_reason") or "").strip():
            self.add_error("late_reason", "本期已超过截止时间，请填写逾期说明后再报送。")
        for indicator in self.indicators:
            name = f"indicator_{indicator.pk}"
            value = cleaned.get(name)
            if value is None:
                continue
            if value < 0 and not indicator.allow_negative:
                self.add_error(name, f"“{indicator.name}”不能为负数，请填写 0 或正数。")
            elif indicator.max_value is not None and value > indicator.max_value:
                self.add_error(
                    name,
                    f"“{indicator.name}”填写了 {value.normalize():f}{indicator.measure_unit}，"
                    f"超过了单次填报上限 {indicator.max_value.normalize():f}{indicator.measure_unit}，请核对。",
                )
        return cleaned

    def task_progress(self):
        return {
            task.pk: (
                self.cleaned_data[f"task_{task.pk}_status"],
                self.cleaned_data[f"task_{task.pk}_percent"],
                self.cleaned_data[f"task_{task.pk}_note"],
            )
            for task in self.tasks
        }

    def answered_reports(self):
        """The unit's other reports ticked to be answered by this submission."""
        return [self.joint_candidates[pk] for pk in self.cleaned_data.get("also_answers") or []]

    def indicator_values(self):
        return {indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}") for indicator in self.indicators}


def draft_initial(draft):
    """The form's initial values from a `reports.drafting.Draft`: only the
    parts the draft has, so the rest keeps the report's own defaults."""
    initial = {}
    for name in ("work_done", "problems", "next_steps"):
        if getattr(draft, name):
            initial[name] = getattr(draft, name)
    for task_id, (status, percent, note) in draft.task_progress.items():
        initial[f"task_{task_id}_status"] = status
        initial[f"task_{task_id}_percent"] = percent
        initial[f"task_{task_id}_note"] = note
    for indicator_id, value in draft.indicator_values.items():
        initial[f"indicator_{indicator_id}"] = f"{value.normalize():f}"
    return initial


# Text that says nothing: punctuation, whitespace and stock phrases.
FILLER = re.compile(r"[\s\d，。、；：,.;:!！?？（）()\-—…]|无|暂无|同上|本周|本月|工作|正常|开展|情况")


def substance_warnings(*, work_done, previous_work_done):
    """Warnings (not errors) shown before a report is sent."""
    warnings = []
    if len(FILLER.sub("", work_done)) < 10:
        warnings.append("“开展情况”几乎没有实际内容。请写明本期具体做了什么：时间、地点、参加人数、取得的成效。")
    if previous_work_done and _normalise(work_done) == _normalise(previous_work_done):
        warnings.append("“开展情况”与本单位上一期报送的内容完全相同。请确认不是复制了上一期的内容。")
    return warnings


def _normalise(text):
    return re.sub(r"\s+", "", text or "")


class ExtensionRequestForm(BoundedTextMixin, forms.Form):
    until = forms.DateTimeField(
        label="申请延期至",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写申请延期到的时间。", "invalid": "时间格式不正确，请重新选择。"},
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写延期理由。"}
    )


class SignOffForm(BoundedTextMixin, forms.Form):
    comment = forms.CharField(label="退回意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))



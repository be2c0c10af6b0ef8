from django import forms
from django.conf import settings
from django.utils import timezone

from core.forms import YEARS_AROUND, BoundedTextMixin, check_date_near_today, years_from
from reports.files import ALLOWED, ALLOWED_DISPLAY
from reports.forms import MultipleFileField, MultipleFileInput

from .models import Inspection, RectificationItem, kind_has_score
from .services import FindingInput

FILES_HELP = (
    f"一次最多 {settings.ATTACHMENTS_PER_UPLOAD} 个文件，每个不超过 {settings.ATTACHMENT_MAX_BYTES // 1048576} MB。"
    f"支持 {ALLOWED_DISPLAY}。"
)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _files(label):
    return MultipleFileField(
        label=label, required=False, help_text=FILES_HELP, widget=MultipleFileInput(attrs={"accept": ",".join(ALLOWED)})
    )


class InspectionForm(BoundedTextMixin, forms.Form):
    """An inspection: its kind, date, inspectors, summary, the units it
    covered (a tick and a score for each of the campaign's units) and files."""

    kind = forms.ChoiceField(
        label="检查方式", choices=Inspection.Kind.choices, error_messages={"required": "请选择检查方式。"}
    )
    inspected_on = forms.DateField(
        label="检查日期",
        widget=DATE_INPUT,
        error_messages={"required": "请填写检查日期。", "invalid": "日期格式不正确，请重新选择。"},
    )
    inspectors = forms.CharField(
        label="检查人员", max_length=200, error_messages={"required": "请填写检查人员。"}, help_text="例如：樊丽娜、李蓉"
    )
    summary = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    files = _files("检查附件")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            self.fields[f"unit_{unit.pk}"] = forms.BooleanField(label=unit.display_name, required=False)
            self.fields[f"score_{unit.pk}"] = forms.DecimalField(
                label=f"{unit.display_name}得分",
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=1,
                error_messages={
                    "invalid": "得分请填写 0 到 100 之间的数字。",
                    "min_value": "得分须在 0 到 100 之间。",
                    "max_value": "得分须在 0 到 100 之间。",
                    "max_decimal_places": "得分最多保留一位小数。",
                    "max_digits": "得分须在 0 到 100 之间。",
                    "max_whole_digits": "得分须在 0 到 100 之间。",
                },
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100", "inputmode": "decimal"}),
            )

    def unit_rows(self):
        return [(unit, self[f"unit_{unit.pk}"], self[f"score_{unit.pk}"]) for unit in self.units]

    def clean_inspected_on(self):
        day = self.cleaned_data["inspected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("检查日期不能晚于今天，请登记已经开展的检查。")
        if day < years_from(timezone.localdate(), -YEARS_AROUND):
            raise forms.ValidationError(f"检查日期不能早于{YEARS_AROUND}年前，请检查年份是否填错。")
        return day

    def clean(self):
        cleaned = super().clean()
        chosen = [unit for unit in self.units if cleaned.get(f"unit_{unit.pk}")]
        if not chosen:
            raise forms.ValidationError("请至少勾选一个被检查单位。")
        kind = cleaned.get("kind")
        for unit in self.units:
            score = cleaned.get(f"score_{unit.pk}")
            if score is None:
                continue
            if unit not in chosen:
                self.add_error(f"score_{unit.pk}", f"填写了{unit.display_name}的得分，但没有勾选该单位。")
            elif kind and not kind_has_score(kind):
                self.add_error(f"score_{unit.pk}", f"“{Inspection.Kind(kind).label}”不评分，请不要填写得分。")
        self.chosen_units = chosen
        return cleaned

    def unit_scores(self):
        return [(unit, self.cleaned_data.get(f"score_{unit.pk}")) for unit in self.chosen_units]


class FindingForm(BoundedTextMixin, forms.Form):
    """One problem found, and what the unit must do by when. A row left
    empty is skipped; a row begun must be complete."""

    unit = forms.ModelChoiceField(label="责任单位", queryset=None, required=False, empty_label="请选择")
    description = forms.CharField(label="发现问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requirement = forms.CharField(label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(
        label="整改期限", required=False, widget=DATE_INPUT, error_messages={"invalid": "日期格式不正确，请重新选择。"}
    )

    def __init__(self, *args, units, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if unit_choices is not None:
            # The formset lists the units once for all its rows (and the empty row it clones).
            self.fields["unit"].widget.choices = unit_choices

    def clean(self):
        cleaned = super().clean()
        filled = [name for name in ("unit", "description", "requirement", "deadline") if cleaned.get(name)]
        if not filled and not self.errors:
            cleaned["empty"] = True
            return cleaned
        cleaned["empty"] = False
        messages = {
            "unit": "请选择责任单位。",
            "description": "请填写发现的问题。",
            "requirement": "请填写整改要求。",
            "deadline": "请填写整改期限。",
        }
        for name, message in messages.items():
            value = cleaned.get(name)
            if (value is None or (isinstance(value, str) and not value.strip())) and name not in self.errors:
                self.add_error(name, message)
        deadline = cleaned.get("deadline")
        if deadline and deadline <= timezone.localdate():
            self.add_error("deadline", "整改期限须晚于今天。")
        else:
            check_date_near_today(self, "deadline")
        return cleaned


class BaseFindingFormSet(forms.BaseFormSet):
    def findings(self):
        return [
            FindingInput(form.cleaned_data["unit"], form.cleaned_data["description"], form.cleaned_data["requirement"], form.cleaned_data["deadline"])
            for form in self.forms
            if not form.cleaned_data.get("empty", True)
        ]


def finding_formset(*, units, data=None, rows=3, initial=None):
    FormSet = forms.formset_factory(FindingForm, formset=BaseFindingFormSet, extra=rows, max_num=50)
    field = FindingForm.base_fields["unit"]
    choices = [("", field.empty_label)] + [(unit.pk, field.label_from_instance(unit)) for unit in units]
    return FormSet(data, prefix="findings", initial=initial, form_kwargs={"units": units, "unit_choices": choices})


class AnswerForm(BoundedTextMixin, forms.Form):
    text = forms.CharField(
        label="整改情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明采取了哪些整改措施、完成时间和效果。",
        error_messages={"required": "请填写整改情况：做了哪些整改、取得什么效果。"},
    )
    files = _files("佐证材料")


class DecisionForm(BoundedTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="核验结果",
        choices=[("verify", "核验通过，销号"), ("reject", "退回重新整改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核验通过或退回。"},
    )
    comment = forms.CharField(
        label="核验意见", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="退回时必须填写理由。"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "退回时请填写理由，说明还需要整改什么。")
        return cleaned


class LedgerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态")] + list(RectificationItem.Status.choices)
    )
    unit = forms.ModelChoiceField(label="责任单位", queryset=None, required=False, empty_label="全部单位")
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

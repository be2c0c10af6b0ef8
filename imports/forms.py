"""The upload form, and the preview's form of corrections.

Between the pages the proposal travels as JSON signed with
django.core.signing (the `payload` field): nothing is kept in a process's
memory or on a host's disk, and a tampered or foreign payload is refused.
"""

import datetime as dt

from django import forms
from django.core import signing

from .matching import unit_names
from .reading import PlanReadError, max_bytes, read_plan_file

SALT = "imports.plan-proposal"
# A preview left open over a weekend is read again, not trusted.
PAYLOAD_MAX_AGE = 2 * 24 * 3600
NEW_UNIT = "new"

WEEKDAYS = [("", "请选择"), (1, "星期一"), (2, "星期二"), (3, "星期三"), (4, "星期四"), (5, "星期五"), (6, "星期六"), (7, "星期日")]
CADENCES = [("weekly", "每周"), ("monthly", "每月")]


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
        self.filename = ""

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
            if uploaded.size > max_bytes():
                # Checked before reading it into memory.
                raise forms.ValidationError(
                    f"文件太大（{uploaded.size / 1024 / 1024:.1f} MB），方案文件不能超过 {max_bytes() // 1024 // 1024} MB。"
                )
            try:
                cleaned["plan_text"] = read_plan_file(uploaded.name, uploaded.read())
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


class ConfirmForm(forms.Form):
    """The preview's corrections: header, office, the campaign's dates, the
    plan's prose (主送单位, 指导思想, 工作目标, 工作要求), phases' dates and
    work, each unit name's match, and the reporting rules."""

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

    HEADER_FIELDS = (
        "title", "document_number", "issued_on", "office_unit", "starts_on", "ends_on",
        "contact_person", "contact_phone", "contact_email", "addressees",
    )
    TEXT_FIELDS = ("guiding_principle", "goals", "requirements")

    def __init__(self, *args, proposal, matches, units, office_units, **kwargs):
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
        for i, phase in enumerate(proposal.get("phases", [])):
            missing = {"required": f"请填写“{phase['name']}”的日期（方案中没有或遮盖了年份）。"}
            self.fields[f"phase_{i}_name"] = forms.CharField(label="阶段名称", max_length=100, initial=phase["name"])
            self.fields[f"phase_{i}_description"] = forms.CharField(
                label="主要工作",
                required=False,
                initial=phase.get("description") or "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            for end in ("start", "end"):
                self.fields[f"phase_{i}_{end}"] = forms.DateField(
                    label="开始日期" if end == "start" else "结束日期",
                    initial=phase.get(end),
                    widget=forms.DateInput(attrs={"type": "date"}),
                    error_messages=missing,
                )
        choices = [(NEW_UNIT, "新建单位")] + [(str(u.pk), u.name) for u in units]
        self.unit_names = unit_names(proposal.get("tasks", []))
        self.matches = matches
        for j, name in enumerate(self.unit_names):
            match = matches[name]
            self.fields[f"unit_{j}"] = forms.ChoiceField(
                label=name, choices=choices, initial=str(match.unit_id) if match.unit_id else NEW_UNIT
            )
        for k, rule in enumerate(proposal.get("reporting_rules", [])):
            self.fields[f"rule_{k}_skip"] = forms.BooleanField(label="不导入", required=False)
            self.fields[f"rule_{k}_cadence"] = forms.ChoiceField(label="频次", choices=CADENCES, initial=rule["cadence"])
            self.fields[f"rule_{k}_weekday"] = forms.TypedChoiceField(
                label="每周报送日", choices=WEEKDAYS, coerce=int, empty_value=None, required=False, initial=rule.get("weekday")
            )
            self.fields[f"rule_{k}_day"] = forms.IntegerField(
                label="每月报送日", min_value=1, max_value=31, required=False, initial=rule.get("day_of_month"),
                error_messages={"min_value": "请填写 1–31。", "max_value": "请填写 1–31。"},
            )
            self.fields[f"rule_{k}_time"] = forms.TimeField(
                label="截止时间", required=False, initial=rule.get("time") or "17:30",
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        for name, field in self.fields.items():
            if name.endswith("_skip"):
                _control(field, "form-check-input")
            elif isinstance(field, forms.ChoiceField):
                _control(field, "form-select form-select-sm" if name.startswith(("unit_", "rule_")) else "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                _control(field, "form-control form-control-sm" if name.startswith(("phase_", "rule_")) else "form-control")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        for i, _ in enumerate(self.proposal.get("phases", [])):
            start, end = cleaned.get(f"phase_{i}_start"), cleaned.get(f"phase_{i}_end")
            if start and end and end < start:
                self.add_error(f"phase_{i}_end", "结束日期不能早于开始日期。")
        for k, _ in enumerate(self.proposal.get("reporting_rules", [])):
            if cleaned.get(f"rule_{k}_skip"):
                continue
            cadence = cleaned.get(f"rule_{k}_cadence")
            if cadence == "weekly" and not cleaned.get(f"rule_{k}_weekday"):
                self.add_error(f"rule_{k}_weekday", "请选择每周报送日，或勾选“不导入”。")
            if cadence == "monthly" and not cleaned.get(f"rule_{k}_day"):
                self.add_error(f"rule_{k}_day", "请填写每月报送日（1–31），或勾选“不导入”。")
        return cleaned

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
        proposal["phases"] = [
            {
                **phase,
                "name": data[f"phase_{i}_name"],
                "description": data[f"phase_{i}_description"],
                "start": data[f"phase_{i}_start"].isoformat(),
                "end": data[f"phase_{i}_end"].isoformat(),
            }
            for i, phase in enumerate(self.proposal.get("phases", []))
        ]
        rules = []
        for k, rule in enumerate(self.proposal.get("reporting_rules", [])):
            cadence = data[f"rule_{k}_cadence"]
            time = data.get(f"rule_{k}_time") or dt.time(17, 30)
            rules.append({
                **rule,
                "skip": bool(data.get(f"rule_{k}_skip")),
                "cadence": cadence,
                "weekday": data.get(f"rule_{k}_weekday") if cadence == "weekly" else None,
                "day_of_month": data.get(f"rule_{k}_day") if cadence == "monthly" else None,
                "time": time.strftime("%H:%M"),
            })
        proposal["reporting_rules"] = rules
        return proposal

    def unit_matches(self):
        chosen = {}
        for j, name in enumerate(self.unit_names):
            value = self.cleaned_data[f"unit_{j}"]
            chosen[name] = None if value == NEW_UNIT else int(value)
        return chosen

    # Rows for the template: each finding with its fields.

    def header_fields(self):
        return [self[name] for name in self.HEADER_FIELDS]

    def text_fields(self):
        return [self[name] for name in self.TEXT_FIELDS]

    def phase_rows(self):
        return [
            {
                "phase": p,
                "name": self[f"phase_{i}_name"],
                "description": self[f"phase_{i}_description"],
                "start": self[f"phase_{i}_start"],
                "end": self[f"phase_{i}_end"],
            }
            for i, p in enumerate(self.proposal.get("phases", []))
        ]

    def unit_rows(self):
        return [{"name": n, "match": self.matches[n], "field": self[f"unit_{j}"]} for j, n in enumerate(self.unit_names)]

    def rule_rows(self):
        return [
            {
                "rule": r,
                "skip": self[f"rule_{k}_skip"],
                "cadence": self[f"rule_{k}_cadence"],
                "weekday": self[f"rule_{k}_weekday"],
                "day": self[f"rule_{k}_day"],
                "time": self[f"rule_{k}_time"],
            }
            for k, r in enumerate(self.proposal.get("reporting_rules", []))
        ]

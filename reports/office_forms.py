"""The office's forms: review, exemption, reopening, extension decisions and
the review queue's filter.

Each action form is rendered on the report page (and the queue) and parsed
by the view it posts to. Required fields carry a Chinese message here; the
workflow refuses the same input again, so a request that skips the form
cannot slip through.
"""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.urls import reverse

from core.forms import BoundedTextMixin, LongSelect, check_date_within, years_from

from .models import Period
from .selectors import QueueStatus


def _helper(action_url, *layout):
    helper = FormHelper()
    helper.form_action = action_url
    helper.form_method = "post"
    helper.layout = Layout(*layout)
    return helper


def _submit(label, *, value, css_class, name="action", confirm=None):
    attrs = {"type": "submit", "name": name, "value": value}
    if confirm:
        attrs["data-confirm"] = confirm
    return StrictButton(label, css_class=css_class, **attrs)


class ReviewForm(BoundedTextMixin, forms.Form):
    """Accept or return a submitted report. The report page shows it twice:
    an accept form (optional comment) and a return form (comment required)."""

    ACCEPT, RETURN = "accept", "return"

    action = forms.ChoiceField(choices=[(ACCEPT, "审核通过"), (RETURN, "退回")])
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The report's version when the page was drawn: an office member who
    # reviews an old page must not accept a resubmission they have not read.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, report=None, action=None, **kwargs):
        if action:
            kwargs.setdefault("auto_id", f"id_{action}_%s")
            kwargs.setdefault("initial", {"version": report.version})
        super().__init__(*args, **kwargs)
        if not action:
            return
        url = reverse("reports:review", args=[report.pk])
        comment = self.fields["comment"]
        if action == self.ACCEPT:
            comment.label = "审核意见（选填）"
            comment.widget.attrs.update(rows=2)
            button = _submit("<i class='bi bi-check2-circle'></i> 审核通过", value=self.ACCEPT, css_class="btn-success")
        else:
            comment.label = "退回意见"
            # Required for the browser only; the view reads both forms with one class.
            comment.required = True
            comment.widget.attrs.update(placeholder="请写明需要修改或补充的内容，单位联络员会看到这段意见。")
            button = _submit(
                "<i class='bi bi-arrow-return-left'></i> 退回修改", value=self.RETURN, css_class="btn-outline-danger"
            )
        self.helper = _helper(url, "comment", "version", button)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.RETURN and not data.get("comment"):
            self.add_error("comment", "退回时请填写退回意见，说明需要修改或补充的内容。")
        return data


class ExemptForm(BoundedTextMixin, forms.Form):
    """Excuse the unit from this period (免报)."""

    reason = forms.CharField(
        label="免报理由",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "例如：该单位本期集中参加市级培训，经办公室同意免报。"}),
        error_messages={"required": "免报时请填写理由。"},
    )

    def __init__(self, *args, report=None, **kwargs):
        kwargs.setdefault("auto_id", "id_exempt_%s")
        super().__init__(*args, **kwargs)
        if report is not None:
            self.helper = _helper(
                reverse("reports:exempt", args=[report.pk]),
                "reason",
                _submit("免报", value="exempt", css_class="btn-outline-secondary", confirm="确定本期对该单位免报吗？免报后不计入报送率。"),
            )


class ReopenForm(BoundedTextMixin, forms.Form):
    """Let one unit report into a locked period (重新开放)."""

    reason = forms.CharField(
        label="重新开放理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "重新开放时请填写理由。"},
    )

    def __init__(self, *args, report=None, **kwargs):
        kwargs.setdefault("auto_id", "id_reopen_%s")
        super().__init__(*args, **kwargs)
        if report is not None:
            self.helper = _helper(
                reverse("reports:reopen", args=[report.pk]),
                "reason",
                _submit("重新开放本期报送", value="reopen", css_class="btn-outline-primary"),
            )


class ExtensionDecisionForm(BoundedTextMixin, forms.Form):
    GRANT, REFUSE = "grant", "refuse"

    decision = forms.ChoiceField(choices=[(GRANT, "同意延期"), (REFUSE, "不同意")])
    new_due_at = forms.DateTimeField(
        label="延期至",
        required=False,
        # A datetime-local input sends "2026-03-10T17:30"; Django reads it in
        # the current time zone (Asia/Shanghai).
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="默认为单位申请的时间，可修改。",
        error_messages={"invalid": "请填写正确的日期和时间，例如 2026-03-10 17:30。"},
    )
    comment = forms.CharField(label="审批意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, extension=None, next_url="", **kwargs):
        if extension is not None:
            kwargs.setdefault("auto_id", f"id_extension{extension.pk}_%s")
            kwargs.setdefault("initial", {"new_due_at": extension.requested_due_at, "next": next_url})
        super().__init__(*args, **kwargs)
        if extension is None:
            return
        self.helper = _helper(
            reverse("reports:extension_decide", args=[extension.pk]),
            "new_due_at",
            "comment",
            "next",
            _submit("同意延期", name="decision", value=self.GRANT, css_class="btn-success me-2"),
            _submit("不同意", name="decision", value=self.REFUSE, css_class="btn-outline-danger"),
        )


def panel_forms(report, pending_extension=None):
    """The unbound forms the office panel of a report page shows."""
    return {
        "accept": ReviewForm(report=report, action=ReviewForm.ACCEPT),
        "return": ReviewForm(report=report, action=ReviewForm.RETURN),
        "exempt": ExemptForm(report=report),
        "reopen": ReopenForm(report=report),
        "extension": (
            ExtensionDecisionForm(extension=pending_extension) if pending_extension else None
        ),
    }


class QueueFilterForm(forms.Form):
    campaign = forms.TypedChoiceField(label="创建活动", coerce=int, required=False)
    # Every period the campaign ever had (156 weeks of a three-year campaign):
    # written in one string, not a template per option.
    period = forms.ModelChoiceField(
        label="报送周期", queryset=Period.objects.none(), required=False, empty_label="全部周期", widget=LongSelect
    )
    unit = forms.CharField(
        label="责任单位",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "输入单位名称查找", "type": "search"}),
    )
    status = forms.ChoiceField(choices=QueueStatus.CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, campaigns):
        # The period list depends on the campaign, so the campaign is read
        # before the form validates; none or an unknown one means the first.
        chosen = next((c for c in campaigns if str(c.pk) == data.get("campaign")), None)
        self.campaign = chosen or campaigns[0]
        data = data.copy()
        data["campaign"] = str(self.campaign.pk)
        super().__init__(data)
        self.fields["campaign"].choices = [(c.pk, str(c)) for c in campaigns]
        # Periods of two rules may fall due together: the rule's name, then
        # the period's number, keep their order the same at every visit.
        periods = Period.objects.filter(rule__campaign=self.campaign).order_by("-due_at", "rule__name", "number", "pk")
        self.fields["period"].queryset = periods
        # The options as Period.__str__ writes them, from three columns rather
        # than a model (and its rule) per period: a three-year campaign's
        # weekly rule alone has 156 (ModelChoiceField still checks the choice).
        field = self.fields["period"]
        field.widget.choices = [
            ("", field.empty_label),
            *((pk, f"{rule} {label}") for pk, rule, label in periods.values_list("pk", "rule__name", "label")),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("campaign", css_class="col-md-4"),
                Column("period", css_class="col-md-3"),
                Column("unit", css_class="col-md-3"),
                Column(
                    StrictButton("<i class='bi bi-funnel'></i> 筛选", type="submit", css_class="btn-primary w-100"),
                    css_class="col-md-2 d-flex align-items-end mb-3",
                ),
            ),
            "status",
        )

    def filters(self):
        """(period or None, status); a bad value means no filter, not an error page."""
        self.is_valid()
        period = self.cleaned_data.get("period")
        status = self.cleaned_data.get("status") or QueueStatus.SUBMITTED
        return period, status

    def unit_query(self):
        """The typed part of a unit's name or short name, or "" (too long a text means no filter)."""
        self.is_valid()
        return (self.cleaned_data.get("unit") or "").strip()


WORKBOOK_MARGIN_YEARS = 1


class WorkbookRequestForm(forms.Form):
    """Which reports the workbook covers, by their deadline."""

    date_from = forms.DateField(
        label="截止日期自", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages={"required": "请填写起始日期。"}
    )
    date_to = forms.DateField(
        label="截止日期至", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages={"required": "请填写终止日期。"}
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.helper = _helper(
            reverse("reports:workbooks", args=[campaign.pk]),
            Row(
                Column("date_from", css_class="col-sm-4"),
                Column("date_to", css_class="col-sm-4"),
                Column(
                    StrictButton(
                        '<i class="bi bi-file-earmark-excel" aria-hidden="true"></i> 生成汇总表',
                        type="submit",
                        css_class="btn btn-primary mt-sm-4",
                    ),
                    css_class="col-sm-4",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise forms.ValidationError("终止日期不能早于起始日期。")
        # Reports fall due within the campaign, plus whatever was extended or
        # reopened after it: a year's margin covers them, 1900–9999 does not.
        earliest = years_from(self.campaign.starts_on, -WORKBOOK_MARGIN_YEARS)
        latest = years_from(self.campaign.ends_on, WORKBOOK_MARGIN_YEARS)
        check_date_within(self, "date_from", earliest=earliest, latest=latest, label="起始日期")
        check_date_within(self, "date_to", earliest=earliest, latest=latest, label="终止日期")
        return cleaned

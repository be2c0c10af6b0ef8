from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from campaigns.models import Unit

from .models import Delivery, EventKind


class DeliveryFilterForm(forms.Form):
    """The delivery history's filter. A value the user may not choose (another
    office's campaign) is ignored, never an error page."""

    campaign = forms.ModelChoiceField(label="创建活动", queryset=None, required=False, empty_label="全部活动")
    unit = forms.ModelChoiceField(label="相关单位", queryset=None, required=False, empty_label="全部单位")
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部渠道"), *Delivery.Channel.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Delivery.Status.choices], required=False)

    def __init__(self, data, *, campaigns, deliveries):
        super().__init__(data)
        self.fields["campaign"].queryset = campaigns.order_by("-starts_on", "title")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=deliveries.values("unit_id")).order_by(
            "sort_order", "name"
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("campaign", css_class="col-md-3"),
                Column("unit", css_class="col-md-3"),
                Column("channel", css_class="col-6 col-md-2"),
                Column("status", css_class="col-6 col-md-2"),
                Column(
                    StrictButton("<i class='bi bi-funnel' aria-hidden='true'></i> 筛选", type="submit", css_class="btn-primary w-100"),
                    css_class="col-md-2 d-flex align-items-end mb-3",
                ),
            ),
        )

    def filter(self, deliveries):
        self.is_valid()
        data = self.cleaned_data
        if data.get("campaign"):
            deliveries = deliveries.filter(campaign=data["campaign"])
        if data.get("unit"):
            deliveries = deliveries.filter(unit=data["unit"])
        if data.get("channel"):
            deliveries = deliveries.filter(channel=data["channel"])
        if data.get("status"):
            deliveries = deliveries.filter(status=data["status"])
        return deliveries


class PreferencesForm(forms.Form):
    """通知设置: an e-mail checkbox per kind of event (站内通知 always goes)
    and the daily digest."""

    daily_digest = forms.BooleanField(
        label="每日汇总",
        required=False,
        help_text="勾选后，当天的通知邮件合并为一封，每天17:30发送；不勾选则逐条发送。",
    )

    def __init__(self, data=None, *, preferences):
        initial = {f"email_{kind}": on for kind, on in preferences.email.items()}
        initial["daily_digest"] = preferences.daily_digest
        super().__init__(data, initial=initial)
        for kind in EventKind:
            self.fields[f"email_{kind}"] = forms.BooleanField(label=kind.label, required=False)

    def kinds(self):
        """(kind label, its e-mail field) for the page's table."""
        return [(kind.label, self[f"email_{kind}"]) for kind in EventKind]

    def email_kinds(self):
        return {kind for kind in EventKind if self.cleaned_data[f"email_{kind}"]}

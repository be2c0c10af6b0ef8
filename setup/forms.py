"""The settings area's forms: crispy forms over the models, so that the
models' validation (clean(), constraints) gives the messages."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms import inlineformset_factory

from accounts.models import User
from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from core.forms import BoundedTextMixin, check_date_near_today
from evaluations.models import ScoringComponent, ScoringScheme
from reports.models import ReportingRule
from reports.schedule import CYCLE_MONTHS, END_CADENCES, month_offset_range
from tasks.models import Indicator, Task

from .services import SetupRefused, mobile_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def submit_helper(label="保存"):
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def active_units():
    return Unit.objects.filter(is_active=True)


class CampaignForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "short_title",
            "document_number",
            "starts_on",
            "ends_on",
            "contact_person",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The phases formset shares the page's one <form> and its button.
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        check_date_near_today(self, "starts_on")
        check_date_near_today(self, "ends_on")
        return cleaned


PhaseFormSet = inlineformset_factory(
    Campaign,
    Phase,
    fields=["order", "name", "goal", "spans_whole_campaign", "starts_on", "ends_on"],
    widgets={"starts_on": DATE, "ends_on": DATE},
    extra=1,
    can_delete=True,
)


class TaskForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["code", "title", "description", "lead_unit", "co_units", "phase", "due_on"]
        widgets = {
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "co_units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["lead_unit"].queryset = active_units()
        self.fields["co_units"].queryset = active_units()
        self.fields["phase"].queryset = campaign.phases.all()
        self.helper = submit_helper()

    def clean(self):
        cleaned = super().clean()
        lead, co_units = cleaned.get("lead_unit"), cleaned.get("co_units") or []
        if lead and lead in co_units:
            self.add_error("co_units", f"“{lead}”已是牵头单位，不必再列为配合单位。")
        return cleaned


class RuleForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = ReportingRule
        fields = [
            "name",
            "cadence",
            "weekday",
            "day_of_month",
            "month_offset",
            "days_after",
            "due_time",
            "owners",
            "units",
            "indicators",
            "starts_on",
            "ends_on",
            "shift_holidays",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "due_time": TIME,
            "units": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["units"].queryset = active_units()
        self.fields["indicators"].queryset = campaign.indicators.all()
        # Only the cycles (每季度、每半年、每年) have a month to choose.
        self.fields["month_offset"].required = False
        self.fields["days_after"].required = False
        if not self.instance.pk:
            self.initial.setdefault("starts_on", campaign.starts_on)
            self.initial.setdefault("ends_on", campaign.ends_on)
        self.helper = submit_helper()

    def clean(self):
        cleaned = super().clean()
        # The day that does not belong to the cadence is dropped rather than
        # refused: switching 每周 to 每月 should not require clearing a field.
        cadence = cleaned.get("cadence")
        if cadence == ReportingRule.Cadence.WEEKLY:
            cleaned["day_of_month"] = None
            if not cleaned.get("weekday"):
                self.add_error("weekday", "每周报送请选择每周报送日。")
        elif cadence == ReportingRule.Cadence.ONCE or cadence in END_CADENCES:
            cleaned["weekday"] = cleaned["day_of_month"] = None
        elif cadence:
            cleaned["weekday"] = None
            if not cleaned.get("day_of_month"):
                self.add_error("day_of_month", f"{ReportingRule.Cadence(cadence).label}报送请填写报送日（1–31）。")
        offsets = month_offset_range(cadence)
        if cadence not in CYCLE_MONTHS or cleaned.get("month_offset") is None:
            cleaned["month_offset"] = 0
        elif cleaned.get("month_offset") not in offsets and "month_offset" not in self.errors:
            self.add_error(
                "month_offset", f"{ReportingRule.Cadence(cadence).label}报送的报送月份须在本周期内或周期结束后三个月内。"
            )
        if cadence in END_CADENCES:
            # The last report falls due its days after the campaign: the
            # rule's dates follow, so the clerk need not count them.
            days = cleaned.get("days_after") or 0
            cleaned["days_after"] = days
            if "days_after" not in self.errors:
                cleaned["ends_on"] = self.instance.campaign.ends_on + datetime.timedelta(days=days)
        else:
            cleaned["days_after"] = 0
        if cleaned.get("owners") == ReportingRule.Owners.LISTED and not cleaned.get("units"):
            self.add_error("units", "报送单位选“指定单位”时，请至少选择一个单位。")
        # The campaign is no field of this form, so Django leaves the
        # (campaign, name) constraint to the database: ask here instead.
        name = cleaned.get("name")
        siblings = ReportingRule.objects.filter(campaign=self.instance.campaign, name=name).exclude(pk=self.instance.pk)
        if name and siblings.exists():
            self.add_error("name", "同一活动中报送要求名称不能重复，请换一个名称。")
        return cleaned


class IndicatorForm(BoundedTextMixin, forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # allow_negative is no field here, so the model's check constraint on
        # it is left to the database: ask here, with the model's sentence.
        target = cleaned.get("target_value")
        if target is not None and target < 0 and not self.instance.allow_negative:
            self.add_error("target_value", "不允许负数的指标，目标值也不能为负数。")
        return cleaned


IndicatorFormSet = inlineformset_factory(
    Campaign,
    Indicator,
    form=IndicatorForm,
    fields=["name", "measure_unit", "aggregation", "target_value", "comparison", "position"],
    extra=1,
    can_delete=True,
)


class SharedUnitChoices(forms.BaseInlineFormSet):
    """Every row offers the same units: read them once, not once per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.empty_form.fields["unit"]
        choices = list(field.choices)
        for form in self.forms:
            form.fields["unit"].choices = choices
        self._unit_choices = choices

    @property
    def empty_form(self):
        form = super().empty_form
        if getattr(self, "_unit_choices", None) is not None:
            form.fields["unit"].choices = self._unit_choices
        return form


LeadingGroupFormSet = inlineformset_factory(
    Campaign,
    LeadingGroupMember,
    formset=SharedUnitChoices,
    fields=["position", "name", "title", "unit", "order"],
    extra=1,
    can_delete=True,
)


class SchemeForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = ScoringScheme
        fields = ["cadence", "objection_days", "lead_count", "lag_count", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadence"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_cadence(self):
        # Left out, a scheme evaluates monthly, as every scheme did before cadences.
        return self.cleaned_data.get("cadence") or ScoringScheme._meta.get_field("cadence").default


ComponentFormSet = inlineformset_factory(
    ScoringScheme,
    ScoringComponent,
    fields=["kind", "weight", "deduction", "position"],
    extra=1,
    can_delete=True,
)


UNIT_ROLE_CHOICES = [(role.value, role.label) for role in (Membership.Role.LIAISON, Membership.Role.UNIT_HEAD)]
UNIT_ROLE_ERRORS = {"invalid_choice": "这里只能设置联络员或单位负责人；办公室工作人员和领导请联系系统管理员设置。"}


class PersonForm(BoundedTextMixin, forms.Form):
    """A new person for a unit; setup.services.create_member makes the account."""

    full_name = forms.CharField(label="姓名", max_length=User._meta.get_field("full_name").max_length)
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        help_text="11 位手机号，一般同时作为登录用户名（已被占用时加后缀）。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="角色", choices=UNIT_ROLE_CHOICES, initial=Membership.Role.LIAISON, error_messages=UNIT_ROLE_ERRORS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("新建人员")

    def clean_phone(self):
        try:
            return mobile_number(self.cleaned_data["phone"])
        except SetupRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None


class AssignForm(forms.Form):
    """An existing user chosen from the search results, and the role to give."""

    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, is_staff=False, is_superuser=False),
        error_messages={"invalid_choice": "所选用户不存在或已停用，请重新搜索。", "required": "请选择用户。"},
    )
    role = forms.ChoiceField(choices=UNIT_ROLE_CHOICES, initial=Membership.Role.LIAISON, error_messages=UNIT_ROLE_ERRORS)

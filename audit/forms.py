import datetime

from django import forms

from core.forms import check_date_within

from .models import AuditEvent


class AuditSearchForm(forms.Form):
    """审计查询's filters; every one optional, all combined."""

    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label="操作人", required=False, max_length=150, help_text="用户名或姓名")
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "全部"), *AuditEvent.Action.choices])
    object_type = forms.ChoiceField(label="对象类型", required=False)
    campaign = forms.IntegerField(label="活动编号", required=False, min_value=1)

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "全部"), *object_types]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        # The trail is at most a few decades old: 0001-01-01 or 9999-12-31 is a typo.
        for name in ("start", "end"):
            check_date_within(self, name, earliest=datetime.date(2000, 1, 1), latest=datetime.date(2100, 12, 31))
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期，请重新选择。")
        return data



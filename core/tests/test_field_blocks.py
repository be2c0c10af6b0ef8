"""`field_block` draws a field as crispy-forms' `as_crispy_field` does, for the widgets it takes."""

import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.test.html import parse_html

from core.templatetags.field_blocks import field_block, widget_html


class Form(forms.Form):
    status = forms.ChoiceField(label="进展状态", choices=[("in_progress", "推进中"), ("completed", "已完成")])
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    figure = forms.DecimalField(label="开展宣传活动（场）", required=False, decimal_places=2, help_text="本期新增。")
    name = forms.CharField(label="名称", widget=forms.TextInput(attrs={"class": "w-50"}))
    day = forms.DateField(label="日期", widget=forms.DateInput)
    until = forms.DateTimeField(
        label="申请延期至", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


FIELDS = ["status", "percent", "note", "figure", "name", "until"]


@pytest.mark.parametrize("name", FIELDS)
def test_a_blank_field_is_drawn_as_crispy_draws_it(name):
    form = Form(initial={"status": "completed", "percent": 30})
    assert parse_html(field_block(form[name])) == parse_html(as_crispy_field(form[name]))


@pytest.mark.parametrize("name", FIELDS)
def test_a_field_with_errors_is_drawn_as_crispy_draws_it(name):
    form = Form(data={"status": "lost", "percent": "200", "note": "", "figure": "十二", "name": "", "until": "明天"})
    assert not form.is_valid()
    assert parse_html(field_block(form[name])) == parse_html(as_crispy_field(form[name]))


def test_another_widget_is_refused_rather_than_drawn_wrong():
    with pytest.raises(template.TemplateSyntaxError, match="as_crispy_field"):
        field_block(Form()["day"])


class Awkward(forms.Form):
    """Values and labels that need escaping, optgroups, a decimal and a blank."""

    status = forms.ChoiceField(
        label="状态",
        choices=[("", "——"), ("组一", [("a", "甲 <乙>"), ("b&c", "丙\"丁")]), ("z", "其他")],
        required=False,
    )
    amount = forms.DecimalField(label="金额", decimal_places=2, min_value=0, max_value=100, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如“<无>”"}), required=False)
    name = forms.CharField(label="名称", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "readonly": True}))
    until = forms.DateTimeField(
        label="至", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), required=False
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": "b&c", "amount": "12.50", "note": "第一行\n<b>第二行</b> & 更多", "name": "x\"y'<z>", "until": "2026-03-09T17:30"},
        {"status": "lost", "amount": "一百", "note": "", "name": "", "until": "<明天>"},
    ],
    ids=["blank", "filled", "errors"],
)
@pytest.mark.parametrize("name", ["status", "amount", "note", "name", "until"])
def test_the_control_is_written_exactly_as_djangos_widget_templates_write_it(data, name):
    form = Awkward(
        data=data, initial={"status": "a", "amount": "3", "until": datetime.datetime(2026, 3, 9, 17, 30)} if data is None else None
    )
    if data is not None:
        form.is_valid()
    field = form[name]
    attrs = {"class": "form-control", "aria-invalid": "true"} if field.errors else {"class": "form-control"}
    assert str(widget_html(field, dict(attrs))) == str(field.as_widget(attrs=dict(attrs)))

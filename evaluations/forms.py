"""The evaluation pages' forms. They parse and say what is wrong in Chinese;
the rules themselves are the services' (services.EvaluationError)."""

import datetime

from django import forms

from core.forms import BoundedTextMixin


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class ComputeForm(forms.Form):
    """The month to evaluate, or, when the scheme evaluates by quarter, year
    or phase, one of the spans offered (`spans`, periods.spans_of)."""

    month = forms.DateField(
        label="评定月份",
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"required": "请选择评定月份。", "invalid": "请按“2026-01”的格式选择评定月份。"},
    )
    period = forms.ChoiceField(label="评定期", required=False, error_messages={"invalid_choice": "请选择要评定的评定期。"})

    def __init__(self, *args, spans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spans is not None:
            self.fields["month"].required = False
            self.fields["period"].required = True
            self.fields["period"].error_messages["required"] = "请选择要评定的评定期。"
            self.fields["period"].choices = [(span.key, span.label) for span in spans]


class EnteredScoresForm(BoundedTextMixin, forms.Form):
    """One score out of 100 per unit, or one pasted column; the service
    (services.enter_scores) checks the values and says which is wrong."""

    paste = forms.CharField(
        label="粘贴一列分数（可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="可从表格中复制一列分数粘贴到这里，每行一个，按下表单位顺序；粘贴后以粘贴的为准。",
    )

    def __init__(self, *args, units, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            value = current.get(unit.pk)
            self.fields[f"unit_{unit.pk}"] = forms.CharField(
                label=unit.display_name,
                required=False,
                initial="" if value is None else format(value.normalize(), "f"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )

    def rows(self):
        return [(unit, self[f"unit_{unit.pk}"]) for unit in self.units]

    def scores(self):
        return {unit.pk: self.cleaned_data.get(f"unit_{unit.pk}", "") for unit in self.units}


def last_complete_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class AdjustmentForm(BoundedTextMixin, forms.Form):
    points = forms.DecimalField(
        label="加减分",
        max_digits=5,
        decimal_places=1,
        help_text="加分填正数，扣分填负数，例如 2 或 -1.5",
        error_messages={
            "required": "请填写加减分。",
            "invalid": "加减分请填写数字，例如 2 或 -1.5。",
            "max_decimal_places": "加减分最多保留一位小数。",
            "max_digits": "加减分的绝对值不能超过 100 分。",
        },
    )
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写加减分的理由。"},
    )


class ObjectionForm(BoundedTextMixin, forms.Form):
    text = forms.CharField(
        label="申诉理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申诉理由。"},
    )


class AnswerForm(BoundedTextMixin, forms.Form):
    answer = forms.CharField(
        label="答复意见", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写答复意见。"}
    )
    points = forms.DecimalField(
        label="调整分数（可不填）",
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text="申诉成立需要调整得分时填写，加分为正、扣分为负",
        error_messages={"invalid": "调整分数请填写数字，例如 1 或 -0.5。", "max_decimal_places": "调整分数最多保留一位小数。"},
    )


class BulletinForm(BoundedTextMixin, forms.Form):
    text_limits = {"body": 30000}

    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写通报标题。"})
    number = forms.CharField(label="文号", max_length=50, required=False, help_text="例如：管卫办〔2026〕3号")
    recipients = forms.CharField(label="主送单位", max_length=300, required=False)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="以“一、”开头的行为一级标题，以“（一）”开头的行为二级标题；“【排名表】”一行处插入排名表。",
        error_messages={"required": "请填写通报正文。"},
    )


def first_error(form):
    for errors in form.errors.values():
        return errors[0]
    return "填写有误，请检查后再试。"

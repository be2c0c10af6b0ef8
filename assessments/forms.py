from django import forms
from django.core import signing

from core.files import UnpackedTooLarge, size_text, sniff
from core.forms import BoundedTextMixin

SALT = "assessments.import"
PAYLOAD_MAX_AGE = 6 * 3600  # a preview left open over lunch still confirms
MAX_SHEET_BYTES = 5 * 1024 * 1024
# openpyxl holds a whole sheet in memory: a system of a few hundred standards
# unpacks to well under a megabyte, so 10 MB bounds a request's memory.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024


def _salt(kind, campaign):
    # A preview confirms only what it previewed, for the campaign it was made for.
    return f"{SALT}.{kind}.{campaign.pk}"


def dump_payload(data, *, kind, campaign):
    return signing.dumps(data, salt=_salt(kind, campaign), compress=True)


def load_payload(value, *, kind, campaign):
    """The signed data, or None when it is missing, altered, stale, or made
    for another page or campaign."""
    try:
        data = signing.loads(value or "", salt=_salt(kind, campaign), max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


class SheetField(forms.FileField):
    """An .xlsx of a bounded size, checked by its bytes, not its name."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(f"文件太大（{size_text(upload.size)}），请上传不超过 {size_text(MAX_SHEET_BYTES)} 的工作簿。")
        try:
            kind = sniff(upload, max_unpacked=MAX_UNPACKED_BYTES)
        except UnpackedTooLarge as error:
            raise forms.ValidationError(str(error)) from error
        if kind != "xlsx":
            raise forms.ValidationError("请上传 Excel 工作簿（.xlsx）；.xls 请先在 Excel 或 WPS 中另存为 .xlsx。")
        return upload


class SystemUploadForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label="测评体系名称", max_length=200, initial="全国文明城市测评体系")
    edition = forms.CharField(label="版本", max_length=50, required=False, help_text="例如：2024年版")
    weighted = forms.BooleanField(
        label="按分值计算得分率", required=False, initial=True,
        help_text="勾选：每条标准按分值折算得分，得分率 = 得分 ÷ 应得分；不勾选：得分率 = 达标次数 ÷ 测评次数。",
    )
    file = SheetField(label="测评体系表（.xlsx）", help_text="一行一条测评标准；测评项目、测评内容、测评标准、分值、测评方法、点位类型、牵头单位、配合单位各占一列。")


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, kind, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.campaign = kind, campaign

    def clean_payload(self):
        data = load_payload(self.cleaned_data["payload"], kind=self.kind, campaign=self.campaign)
        if data is None:
            raise forms.ValidationError("预览已过期或被改动，请重新上传表格。")
        return data


class SitesUploadForm(forms.Form):
    file = SheetField(label="点位表（.xlsx）", help_text="一行一个点位：点位名称、点位类型、地址、责任单位，经度纬度可不填。")


class MockCreateForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100, initial="模拟测评")
    held_on = forms.DateField(label="测评日期", widget=forms.DateInput(attrs={"type": "date"}))


class DrawForm(forms.Form):
    """How many sites of each type to draw; the seed is recorded (blank: a new one)."""

    seed = forms.IntegerField(label="随机数种子", required=False, min_value=0, max_value=2**31 - 1,
                              help_text="留空则随机生成并记录；填写以前的种子可复现那次抽样。")

    def __init__(self, *args, site_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_types = site_types
        for site_type in site_types:
            self.fields[f"type_{site_type.pk}"] = forms.IntegerField(
                label=f"{site_type.name}（共 {site_type.site_count} 个）", required=False, min_value=0,
                max_value=site_type.site_count, initial=0,
            )

    def counts(self):
        return {t: self.cleaned_data.get(f"type_{t.pk}") or 0 for t in self.site_types if self.cleaned_data.get(f"type_{t.pk}")}


class CloseForm(forms.Form):
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="每条不达标问题成为责任单位的整改事项，须在此日期前整改到位。")


class RecheckForm(BoundedTextMixin, forms.Form):
    """复查: one button for 复查达标; 复查仍不达标 says what is still wrong."""

    result = forms.ChoiceField(
        label="复查结果",
        choices=[("met", "复查达标"), ("not_met", "复查仍不达标")],
        error_messages={"required": "请选择复查达标或复查仍不达标。", "invalid_choice": "请选择复查达标或复查仍不达标。"},
    )
    note = forms.CharField(
        label="复查意见", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="复查仍不达标时必须填写还存在的问题。"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == "not_met" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "复查仍不达标时，请写明还存在的问题，单位将据此重新整改。")
        return cleaned

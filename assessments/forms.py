from django import forms
from django.conf import settings
from django.core import signing

from core.files import UnpackedTooLarge, size_text, sniff
from core.forms import BoundedTextMixin
from reports.files import ALLOWED, ALLOWED_DISPLAY
from reports.forms import MultipleFileField, MultipleFileInput

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


class MaterialForm(BoundedTextMixin, forms.Form):
    """A unit's material for one standard: what it did, new files, and files
    it already sent with its reports (报一次，用多次)."""

    text = forms.CharField(
        label="材料说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="说明本单位落实这条测评标准的情况，以及所附材料分别证明什么。",
    )

    def __init__(self, *args, reusable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = MultipleFileField(
            label="上传材料文件",
            required=False,
            help_text=(
                f"一次最多 {settings.ATTACHMENTS_PER_UPLOAD} 个文件，每个不超过 {settings.ATTACHMENT_MAX_BYTES // 1048576} MB。"
                f"支持 {ALLOWED_DISPLAY}。"
            ),
            widget=MultipleFileInput(attrs={"accept": ",".join(ALLOWED)}),
        )
        if reusable:
            self.fields["reuse"] = forms.TypedMultipleChoiceField(
                label="选用本单位已报送的附件",
                required=False,
                coerce=int,
                choices=[
                    (a.pk, f"{a.original_name}（{a.report.period.rule.name} {a.report.period.label}）") for a in reusable
                ],
                widget=forms.CheckboxSelectMultiple,
                help_text="进展报送中已经报过的文件，勾选即可列入本条材料，无需重复上传。",
                error_messages={"invalid_choice": "所选附件已不能选用，请刷新页面后重新选择。"},
            )


class MaterialReviewForm(BoundedTextMixin, forms.Form):
    comment = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必须填写：说明材料缺什么、怎样补充。通过时可不填。",
    )


FOREIGN_UNIT = "所选单位不是本活动的责任单位，请从列表中选择。"


def _units_field(queryset, *, label, many=False, help_text=""):
    if many:
        return forms.ModelMultipleChoiceField(
            queryset=queryset, label=label, required=False, help_text=help_text,
            widget=forms.SelectMultiple(attrs={"size": 6}),
            error_messages={"invalid_choice": FOREIGN_UNIT, "invalid_pk_value": FOREIGN_UNIT},
        )
    return forms.ModelChoiceField(
        queryset=queryset, label=label, required=False, empty_label="（不设置）", help_text=help_text,
        error_messages={"invalid_choice": FOREIGN_UNIT},
    )


class AssignForm(forms.Form):
    """The bulk action of 分解责任: the ticked standards get a lead unit and/or more co-units."""

    standards = forms.ModelMultipleChoiceField(
        queryset=None, label="测评标准", widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "请先勾选要分解的测评标准。",
            "invalid_choice": "所选测评标准有的不在现行版本中，请刷新页面后重新选择。",
            "invalid_pk_value": "所选测评标准有的不在现行版本中，请刷新页面后重新选择。",
        },
    )

    def __init__(self, *args, standards, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards
        self.fields["lead_unit"] = _units_field(units, label="设为牵头单位")
        self.fields["co_units"] = _units_field(units, label="增加配合单位", many=True, help_text="按住 Ctrl（手机上直接点选）可选多个；已有的配合单位保留。")

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("lead_unit") is None and not data.get("co_units"):
            raise forms.ValidationError("请选择要设置的牵头单位，或要增加的配合单位。")
        return data


class StandardForm(BoundedTextMixin, forms.Form):
    text = forms.CharField(label="测评标准", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写测评标准的内容。"})
    score = forms.DecimalField(label="分值", required=False, min_value=0, max_digits=6, decimal_places=2,
                               help_text="不计分的标准留空。",
                               error_messages={"min_value": "分值不能为负数。", "invalid": "分值请填写数字，例如 2 或 0.5。",
                                               "max_digits": "分值最多四位整数、两位小数。", "max_decimal_places": "分值最多两位小数。",
                                               "max_whole_digits": "分值最多四位整数。"})
    methods = forms.MultipleChoiceField(label="测评方法", required=False, widget=forms.CheckboxSelectMultiple)
    site_types = forms.ModelMultipleChoiceField(
        queryset=None, label="点位类型", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="实地考察的标准在这些类型的点位上测评。",
        error_messages={"invalid_choice": "所选点位类型不属于本活动，请从列表中选择。"},
    )
    needs_photo = forms.BooleanField(label="不达标时需拍照", required=False, help_text="只有确需照片佐证的标准才勾选。")

    def __init__(self, *args, site_types, units, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Standard

        # The four methods of the national system, and any other the sheet named (数据采集).
        choices = [(m, m) for m in Standard.Method.values if m != Standard.Method.DATA or m in methods]
        self.fields["methods"].choices = choices
        self.fields["site_types"].queryset = site_types
        self.fields["lead_unit"] = _units_field(units, label="牵头单位")
        self.fields["co_units"] = _units_field(units, label="配合单位", many=True, help_text="按住 Ctrl（手机上直接点选）可选多个。")

    @classmethod
    def initial_of(cls, standard):
        return {
            "text": standard.text, "score": standard.score, "methods": list(standard.methods),
            "site_types": list(standard.site_types.all()), "needs_photo": standard.needs_photo,
            "lead_unit": standard.lead_unit, "co_units": list(standard.co_units.all()),
        }


class RenameForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200, required=False)


class CopyForm(BoundedTextMixin, forms.Form):
    edition = forms.CharField(label="新版本名称", max_length=50, required=False, help_text="例如：2026年修订版；留空则在原版本名后加“修订”。")


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

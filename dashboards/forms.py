import datetime

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from calendars.notice import NoticeError, read_notice
from core.forms import LongSelect
from reports.models import ReportingRule

from .selectors import WHOLE_CAMPAIGN, Filters


class DashboardFilterForm(forms.Form):
    """The campaign dashboard's filters. Choices come from lists the view has
    already read, so drawing the form costs no query; a bad value means no
    filter, not an error page."""

    rule = forms.TypedChoiceField(label="报送要求", coerce=int, required=False)
    phase = forms.ChoiceField(label="阶段", required=False)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="终止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    unit = forms.TypedChoiceField(label="责任单位", coerce=int, required=False, widget=LongSelect)
    unit_name = forms.CharField(
        label="责任单位",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "输入单位名称查找", "autocomplete": "off"}),
    )

    def __init__(self, data, *, rules, phases, units, find_units=None):
        """`units`: the units to choose from, or None when there are too many
        to list (selectors.UNIT_LIST_LIMIT): then the unit is found by typing
        part of its name, through `find_units(text=…)` or `find_units(pk=…)`
        (a link to the dashboard of one unit), each one query."""
        super().__init__(data)
        self.rules, self.phases, self.units, self.find_units = rules, phases, units, find_units
        self.searching = units is None
        self.unit_matches, self.unit_text = [], ""
        self.fields["rule"].choices = [(r.pk, f"{r.name}（{r.get_cadence_display()}）") for r in rules]
        self.fields["phase"].choices = [("", "全部阶段")] + [(str(p.pk), p.name) for p in phases] + [
            (WHOLE_CAMPAIGN, "贯穿全程（未分阶段的任务）")
        ]
        if self.searching:
            self.fields["unit"] = forms.IntegerField(required=False, widget=forms.HiddenInput())
            unit_column = Column("unit", "unit_name", css_class="col-sm-8 col-lg-2")
        else:
            del self.fields["unit_name"]
            self.fields["unit"].choices = [("", "全部单位")] + [(u.pk, u.display_name) for u in units]
            if len(units) <= 1:
                self.fields["unit"].widget = forms.HiddenInput()
            unit_column = Column("unit", css_class="col-sm-8 col-lg-2")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "mb-2"
        self.helper.layout = Layout(
            Row(
                Column("rule", css_class="col-sm-6 col-lg-2"),
                Column("phase", css_class="col-sm-6 col-lg-2"),
                Column("start", css_class="col-6 col-lg-2"),
                Column("end", css_class="col-6 col-lg-2"),
                unit_column,
                Column(
                    StrictButton("<i class='bi bi-funnel'></i> 筛选", type="submit", css_class="btn-primary w-100"),
                    css_class="col-sm-4 col-lg-2 d-flex align-items-end mb-3",
                ),
            )
        )

    def filters(self, *, older=0, page=1):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        rules = {r.pk: r for r in self.rules}
        rule = rules.get(data.get("rule"))
        if rule is None:
            # Weekly by default: the office's weekly rhythm.
            weekly = [r for r in self.rules if r.cadence == ReportingRule.Cadence.WEEKLY]
            rule = (weekly or self.rules or [None])[0]
        phase = data.get("phase") or None
        if phase and phase != WHOLE_CAMPAIGN:
            phase = next((p for p in self.phases if str(p.pk) == phase), None)
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            start, end = end, start
        if self.searching:
            unit = self._found_unit(data)
        else:
            unit = next((u for u in self.units if u.pk == data.get("unit")), None)
        return Filters(rule=rule, phase=phase, start=start, end=end, unit=unit, older=older, page=page)

    def _found_unit(self, data):
        """The unit typed (a name matching one unit, or exactly), or linked to
        by id; otherwise None, with the candidates in `unit_matches`."""
        text = (data.get("unit_name") or "").strip()
        if text:
            matches = self.find_units(text=text)
            if len(matches) == 1 or (matches and text in (matches[0].name, matches[0].short_name)):
                matches = matches[:1]
        elif data.get("unit") and "unit_name" not in self.data:
            # A link to one unit's dashboard; a box emptied by the clerk means every unit.
            matches = self.find_units(pk=data["unit"])
        else:
            return None
        if len(matches) == 1:
            # The box shows the unit chosen; the id goes with the next filter.
            unit = matches[0]
            self.data = self.data.copy()
            self.data["unit_name"], self.data["unit"] = unit.display_name, unit.pk
            return unit
        self.unit_matches, self.unit_text = matches, text
        return None


# How far from today a month may be asked for: a typo such as 9999-12 means
# this month rather than dates past what the pages (and Python) can reach.
MONTH_YEARS_AROUND = 10


def parse_month(value, *, today):
    """'2026-01' -> date(2026, 1, 1); anything else, or a month more than
    MONTH_YEARS_AROUND years from today, means None."""
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    if abs(month.year - today.year) > MONTH_YEARS_AROUND:
        return None
    return month


class HolidayNoticeForm(forms.Form):
    """The State Council's yearly notice, pasted; `cleaned_data["notice"]` is
    what `calendars.notice.read_notice` read from it."""

    MAX_LENGTH = 20000

    text = forms.CharField(
        label="通知全文",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 14, "placeholder": "国务院办公厅关于2027年部分节假日安排的通知\n……\n一、元旦：1月1日放假……"}),
        error_messages={
            "required": "请把国务院办公厅关于部分节假日安排的通知全文（含标题）粘贴到文本框中。",
            "max_length": "粘贴的内容超过%(limit_value)d个字，请只粘贴通知本身。",
        },
        help_text="从中国政府网（www.gov.cn）复制通知全文，连同标题一起粘贴。",
    )

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            try:
                cleaned["notice"] = read_notice(cleaned["text"])
            except NoticeError as error:
                self.add_error("text", str(error))
        return cleaned

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from .annual import valid_years


class AnnualReportForm(forms.Form):
    """Which campaign's year-end report, for which year. Choices come from the
    campaigns the view has read, so drawing the form costs no query."""

    campaign = forms.TypedChoiceField(label="创建活动", coerce=int, error_messages={"invalid_choice": "请选择创建活动。"})
    year = forms.TypedChoiceField(label="年度", coerce=int, error_messages={"invalid_choice": "请选择年度。"})

    def __init__(self, data=None, *, campaigns, **kwargs):
        super().__init__(data, **kwargs)
        self.campaigns = {campaign.pk: campaign for campaign in campaigns}
        self.fields["campaign"].choices = [(c.pk, str(c.title)) for c in campaigns]
        years = sorted({year for c in campaigns for year in valid_years(c)}, reverse=True)
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("campaign", css_class="col-md-7"),
                Column("year", css_class="col-6 col-md-2"),
                Column(
                    StrictButton(
                        "<i class='bi bi-download' aria-hidden='true'></i> 下载年度情况报告",
                        type="submit",
                        css_class="btn-primary w-100",
                    ),
                    css_class="col-6 col-md-3 d-flex align-items-end mb-3",
                ),
            )
        )

    def clean(self):
        data = super().clean()
        campaign, year = self.campaigns.get(data.get("campaign")), data.get("year")
        if campaign is not None and year is not None and year not in valid_years(campaign):
            first, last = campaign.starts_on.year, campaign.ends_on.year
            span = f"{first}年" if first == last else f"{first}—{last}年"
            self.add_error("year", f"该活动的起止时间不包括{year}年，请选择{span}。")
        if campaign is not None:
            data["campaign"] = campaign
        return data

"""Free text is bounded in every form, with a message in Chinese."""

from django import forms

from core.forms import LINE_LIMIT, TEXT_LIMIT, BoundedTextMixin


class NoteForm(BoundedTextMixin, forms.Form):
    text_limits = {"long": 20}

    note = forms.CharField(label="说明", required=False, widget=forms.Textarea)
    name = forms.CharField(label="名称", required=False)
    short = forms.CharField(label="简称", required=False, max_length=10)
    long = forms.CharField(label="全文", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added"] = forms.CharField(label="进展说明", required=False, widget=forms.Textarea)


def test_text_at_its_limit_passes():
    form = NoteForm({"note": "字" * TEXT_LIMIT, "name": "名" * LINE_LIMIT, "long": "长" * 20, "added": "进" * TEXT_LIMIT})
    assert form.is_valid(), form.errors


def test_a_megabyte_of_text_is_refused_with_a_message_for_each_field():
    megabyte = "字" * 1_000_000
    form = NoteForm({"note": megabyte, "name": megabyte, "short": "简" * 11, "long": "长" * 21, "added": megabyte})
    assert not form.is_valid()
    assert form.errors["note"] == [f"“说明”最多{TEXT_LIMIT}字，请精简后再提交。"]
    assert form.errors["name"] == [f"“名称”最多{LINE_LIMIT}字，请精简后再提交。"]
    assert form.errors["long"] == ["“全文”最多20字，请精简后再提交。"]
    assert form.errors["added"] == [f"“进展说明”最多{TEXT_LIMIT}字，请精简后再提交。"]
    assert "short" in form.errors


def test_validating_twice_adds_the_bound_once():
    form = NoteForm({"note": "字" * (TEXT_LIMIT + 1)})
    form.full_clean()
    form.full_clean()
    assert form.errors["note"] == [f"“说明”最多{TEXT_LIMIT}字，请精简后再提交。"]



def test_a_long_select_renders_what_djangos_select_renders():
    from django import forms as django_forms

    from core.forms import LongSelect

    choices = [("", "全部单位"), (1, "区卫计委办公室"), (2, '<b>某单位</b> & "引号"')]
    for value in (None, "", 2, "2"):
        ours = LongSelect(choices=choices, attrs={"class": "form-select"}).render("unit", value, attrs={"id": "id_unit"})
        django = django_forms.Select(choices=choices, attrs={"class": "form-select"}).render("unit", value, attrs={"id": "id_unit"})
        assert ours.replace("\n", "") == django.replace("\n", "").replace('  <option', '<option').replace('>  ', '>')

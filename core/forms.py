"""What every form shares: a bound on free text's length, dates in a sane range."""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .dates import date_text

# A report's 开展情况 over a month runs to a few thousand characters; ten
# thousand leaves room, and a pasted megabyte is refused with a message.
TEXT_LIMIT = 10000
LINE_LIMIT = 500


class BoundedTextMixin:
    """Gives every text field of the form that has no max_length of its own a
    bound (TEXT_LIMIT for a text area, LINE_LIMIT for one line; a form's
    `text_limits` names others), with a Chinese message. Applied when the form
    cleans, so that fields a form adds in its __init__ are bounded too."""

    text_limits = {}

    def full_clean(self):
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
                continue
            if field.max_length is not None and name not in self.text_limits:
                continue
            default = TEXT_LIMIT if isinstance(field.widget, forms.Textarea) else LINE_LIMIT
            limit = self.text_limits.get(name, default)
            if any(isinstance(v, MaxLengthValidator) and v.limit_value <= limit for v in field.validators):
                continue
            field.validators.append(
                MaxLengthValidator(limit, message=f"“{field.label or name}”最多{limit}字，请精简后再提交。")
            )
        super().full_clean()


# How far from today a campaign's dates, an inspection and the like may lie:
# wide enough for any real plan, narrow enough to catch 9999 typed for 2026.
YEARS_AROUND = 10


def years_from(day, years):
    """`day` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_date_within(form, name, *, earliest, latest, label=None):
    """Adds a Chinese error to `name` when its cleaned date lies outside
    earliest–latest (a datetime is compared by its local date)."""
    value = form.cleaned_data.get(name)
    if value is None:
        return
    day = timezone.localdate(value) if isinstance(value, datetime.datetime) else value
    if not earliest <= day <= latest:
        label = label or form.fields[name].label
        form.add_error(name, f"{label}应在{date_text(earliest)}至{date_text(latest)}之间，请检查年份是否填错。")


def check_date_near_today(form, name, *, label=None, years=YEARS_AROUND):
    today = timezone.localdate()
    check_date_within(form, name, earliest=years_from(today, -years), latest=years_from(today, years), label=label)


class LongSelect(forms.Select):
    """A <select> of thousands of options (every unit of a city-scale
    campaign) written in one string: Django's Select renders a template per
    option, which costs half a second for 3,000 units. Flat choices only."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        current = {"" if v is None else str(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in current else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{options}</select>')  # noqa: S308 - every part escaped above

"""What every form of free text shares: a bound on its length."""

from django import forms
from django.core.validators import MaxLengthValidator

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

"""`{% load field_blocks %}{% field_block field %}`: a form field in Bootstrap 5's markup, the same
markup crispy-forms' `as_crispy_field` writes for a select, a number, a text
box or a textarea (label, the control, its errors, its help text), written
directly. For fields a page repeats many times (a report's progress and
figures per task and indicator), where crispy's template for each field cost
more than the rest of the page. Other widgets still go through crispy."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

CLASSES = {
    forms.Select: "select form-select",
    forms.NumberInput: "numberinput form-control",
    forms.Textarea: "textarea form-control",
    forms.TextInput: "textinput form-control",
}


def widget_class(widget):
    for kind, classes in CLASSES.items():
        if type(widget) is kind:
            return classes
    raise template.TemplateSyntaxError(f"field_block does not draw a {type(widget).__name__}: use as_crispy_field")


@register.simple_tag
def field_block(field):
    auto_id = field.auto_id
    classes = widget_class(field.field.widget)
    attrs = {}
    if field.errors:
        classes += " is-invalid"
        described = f"{auto_id}_helptext {auto_id}_error" if field.help_text else f"{auto_id}_error"
        attrs.update({"aria-invalid": "true", "aria-describedby": described})
    existing = field.field.widget.attrs.get("class")
    attrs["class"] = f"{existing} {classes}" if existing else classes
    required = field.field.required
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        auto_id,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>', ((i, auto_id, e) for i, e in enumerate(field.errors, 1))),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id, field.help_text)
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>', auto_id, label, field.as_widget(attrs=attrs), errors, help_text
    )

"""`{% load field_blocks %}{% field_block field %}`: a form field in Bootstrap 5's markup, the same
markup crispy-forms' `as_crispy_field` writes for a select, a number, a text
box, a date and time or a textarea (label, the control, its errors, its help text), written
directly. For fields a page repeats many times (a report's progress and
figures per task and indicator), where crispy's template for each field cost
more than the rest of the page. Other widgets still go through crispy.

The control itself is written here too (`widget_html`), as Django's own
widget templates write it (input.html, textarea.html, select.html and
select_option.html with attrs.html), from the widget's own context: a select
of a task's status went through four templates per option."""

from django import forms, template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

CLASSES = {
    forms.Select: "select form-select",
    forms.NumberInput: "numberinput form-control",
    forms.Textarea: "textarea form-control",
    forms.TextInput: "textinput form-control",
    forms.DateTimeInput: "datetimeinput form-control",
}


def widget_class(widget):
    for kind, classes in CLASSES.items():
        if type(widget) is kind:
            return classes
    raise template.TemplateSyntaxError(f"field_block does not draw a {type(widget).__name__}: use as_crispy_field")


def _attrs(attrs):
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return mark_safe(
        "".join(
            "" if value is False
            else f" {conditional_escape(name)}" if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
        )
    )


def _select(context):
    # select_option.html ends in a newline, which its include keeps.
    parts = [format_html('<select name="{}"{}>', context["name"], _attrs(context["attrs"]))]
    for group_name, options, _ in context["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]), _attrs(option["attrs"]), option["label"])
            )
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    parts.append(mark_safe("\n</select>"))
    return mark_safe("".join(parts))


def _textarea(context):
    value = context["value"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>', context["name"], _attrs(context["attrs"]), value if value else ""
    )


def _input(context):
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', str(value)) if value is not None else "",
        _attrs(context["attrs"]),
    )


DRAW = {
    forms.Select: _select,
    forms.Textarea: _textarea,
    forms.NumberInput: _input,
    forms.TextInput: _input,
    forms.DateTimeInput: _input,
}


def widget_html(field, attrs):
    """What `field.as_widget(attrs=attrs)` returns, for the widgets in CLASSES."""
    widget = field.field.widget
    draw = DRAW[type(widget)]
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return draw(widget.get_context(field.html_name, field.value(), attrs)["widget"])


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
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>', auto_id, label, widget_html(field, attrs), errors, help_text
    )

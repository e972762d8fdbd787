"""Bootstrap classes for plain Django forms (see templates/core/includes/form_fields.html)."""

from django import forms


def bootstrap(form):
    """Give every widget its Bootstrap class; mark fields with errors invalid. Returns ``form``."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = css
    return form

"""The error summary every form page shows above its form: each mistake as a link to its field,
in the order of the page, focused when the page loads (static/js/form_errors.js) so keyboard and
screen reader users land on it. `{% error_summary form other_form formset %}`."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Mistake:
    message: str
    label: str = ""
    anchor: str = ""  # the id of the input to go to; empty for errors of no one field


def field_anchor(bound: forms.BoundField) -> str:
    """The id of a field's first input: a radio or checkbox group's first box, else the input."""
    if bound.is_hidden or not bound.auto_id:
        return ""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id


def _mistakes_of_form(form: forms.BaseForm) -> list[Mistake]:
    mistakes = [Mistake(str(error)) for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            label = "" if bound.is_hidden else str(bound.label or "")
            mistakes.append(Mistake(str(error), label, field_anchor(bound)))
    return mistakes


def mistakes_of(*forms_or_formsets) -> list[Mistake]:
    mistakes: list[Mistake] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            mistakes.extend(Mistake(str(error)) for error in item.non_form_errors())
            for form in item.forms:
                if item.can_delete and item._should_delete_form(form):
                    continue
                mistakes.extend(_mistakes_of_form(form))
        elif item.is_bound:
            mistakes.extend(_mistakes_of_form(item))
    return mistakes


@register.inclusion_tag("includes/form_errors.html")
def error_summary(*forms_or_formsets, note: str = ""):
    """`note` adds a sentence after the title (e.g. "Nothing was saved.")."""
    return {"mistakes": mistakes_of(*forms_or_formsets), "note": note}

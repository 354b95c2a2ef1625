"""Formsets of rows a rep adds and removes on a page (js/formset_rows.js): weekly hours, date
overrides, a Meeting Type's questions."""

from django import forms


def row_formset(
    form: type[forms.Form], base: type[forms.BaseFormSet], *, extra: int, max_rows: int
):
    """Rows may be deleted; at most `max_rows`, so a forged form cannot make the server build
    thousands of rows."""
    return forms.formset_factory(
        form,
        formset=base,
        extra=extra,
        can_delete=True,
        max_num=max_rows,
        absolute_max=max_rows,
        validate_max=True,
    )


def rows_shown(data, prefix: str) -> bool:
    """False for a POST that carries no rows at all (a client that never showed them): what the
    rows stand for stays as it is."""
    return data is None or f"{prefix}-TOTAL_FORMS" in data

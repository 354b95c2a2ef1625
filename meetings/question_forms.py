"""The Meeting Type form's questions for the booking form: one row per question (its wording, the
kind of answer, the choices for a list, required or not), in the order guests see them. Rows are
added and removed by static/js/formset_rows.js, and without scripts by a blank row and a "Remove"
box per row (a Django formset)."""

from django import forms
from django.core.exceptions import ValidationError

from .questions import MAX_CHOICES, MAX_QUESTIONS, Question, split_choices
from .row_formsets import row_formset, rows_shown

PREFIX = "questions"


class QuestionForm(forms.Form):
    label = forms.CharField(
        label="Question",
        max_length=200,
        error_messages={"required": "Write the question, or remove this row."},
    )
    kind = forms.ChoiceField(label="Answer", choices=Question.Kind.choices, initial="short")
    choices = forms.CharField(
        label="Choices, one per line",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label="Guests must answer", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Question.Kind.CHOICE:
            # Choices typed before switching to a text answer are dropped.
            cleaned["choices"] = ""
            return cleaned
        choices = split_choices(cleaned.get("choices", ""))
        if len(choices) < 2:
            self.add_error("choices", "Give at least two choices, one per line.")
        elif len(choices) > MAX_CHOICES:
            self.add_error("choices", f"Give at most {MAX_CHOICES} choices.")
        cleaned["choices"] = "\n".join(choices)
        return cleaned


class BaseQuestionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this question"

    def clean(self):
        if any(form.errors for form in self.forms if not self._should_delete_form(form)):
            return
        if len(self.rows) > MAX_QUESTIONS:
            raise ValidationError(f"A booking form can ask at most {MAX_QUESTIONS} questions.")

    @property
    def rows(self) -> list[dict]:
        """The kept questions in their order: {label, kind, choices, required}."""
        return [
            {name: form.cleaned_data[name] for name in ("label", "kind", "choices", "required")}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


QuestionFormSet = row_formset(
    QuestionForm, BaseQuestionFormSet, extra=1, max_rows=MAX_QUESTIONS + 5
)


def question_formset(data, meeting_type) -> BaseQuestionFormSet | None:
    """The rows of `meeting_type`'s questions, bound to `data` when given; None when the POST
    shows none (`rows_shown`)."""
    if not rows_shown(data, PREFIX):
        return None
    initial = [
        {
            "label": question.label,
            "kind": question.kind,
            "choices": question.choices,
            "required": question.required,
        }
        for question in (meeting_type.questions.all() if meeting_type.pk else ())
    ]
    return QuestionFormSet(data, initial=initial, prefix=PREFIX)

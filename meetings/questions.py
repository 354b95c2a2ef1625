"""A Meeting Type's own questions on the booking form (short text, long text, or a choice; required
or not), and the answers a booking keeps.

A booking stores its answers as they were asked: [{"question": "Team size?", "answer": "12"}], so
renaming or removing a question later never changes what a past booking says. The answers reach
the rep's booking page, the invite and the Zoom meeting's agenda (`answers_text`).
"""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_QUESTIONS = 10
MAX_CHOICES = 20
SHORT_ANSWER_LENGTH = 300
LONG_ANSWER_LENGTH = 2000


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT = "short", "Short text"
        LONG = "long", "Long text"
        CHOICE = "choice", "One of a list"

    meeting_type = models.ForeignKey(
        "meetings.MeetingType", on_delete=models.CASCADE, related_name="questions"
    )
    label = models.CharField("question", max_length=200)
    kind = models.CharField("answer", max_length=10, choices=Kind.choices, default=Kind.SHORT)
    # One choice per line; used only by the "choice" kind.
    choices = models.TextField(blank=True, max_length=2000)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "meetings"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(choices=""),
                name="question_choice_has_choices",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["short", "long", "choice"]), name="question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return split_choices(self.choices)

    @property
    def field_name(self) -> str:
        return f"answer_{self.pk}"

    def form_field(self) -> forms.Field:
        """The booking form's field for this question (its label is the rep's words, as typed;
        one guests may skip says so)."""
        label = (
            self.label if self.required else _("%(question)s (optional)") % {"question": self.label}
        )
        common = {"label": label, "required": self.required}
        if self.kind == self.Kind.CHOICE:
            options = [(choice, choice) for choice in self.choice_list]
            if not self.required:
                options = [("", _("No answer")), *options]
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if self.kind == self.Kind.LONG:
            return forms.CharField(
                max_length=LONG_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        return forms.CharField(max_length=SHORT_ANSWER_LENGTH, **common)


def split_choices(text: str) -> list[str]:
    """One choice per line, blank lines and repeats dropped, in order."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        choice = " ".join(line.split())
        if choice and choice not in seen:
            seen.append(choice)
    return seen


def answers_from(questions, cleaned_data: dict) -> list[dict]:
    """The answers a booking keeps: each question answered, with its wording at booking time."""
    answers = []
    for question in questions:
        answer = (cleaned_data.get(question.field_name) or "").strip()
        if answer:
            answers.append({"question": question.label, "answer": answer})
    return answers


def answers_text(answers: list[dict]) -> str:
    """The answers as plain text for invites and the Zoom agenda: "Question: answer" lines (a long
    answer on the lines after its question)."""
    lines = []
    for item in answers or []:
        question, answer = item.get("question", ""), item.get("answer", "")
        if "\n" in answer:
            lines.append(f"{question}:\n{answer}")
        else:
            lines.append(f"{question}: {answer}")
    return "\n".join(lines)

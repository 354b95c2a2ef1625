"""The page that asks a rep before deleting one of their things (a Meeting Type, a schedule), and
deletes it on POST unless the service refuses."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse


def delete_page(
    request,
    thing,
    *,
    delete: Callable,
    refused: type[Exception],
    back: str,
    template: str,
    question: Callable[[], dict],
):
    """On POST `delete(thing)`, its refusal (`refused`) shown as an error; either way back to the
    list (`back`, a URL name). Otherwise the question: `template`, extending meetings/delete.html,
    with `question()`'s context, whose `blocked` is what keeps the thing (false when it can go)."""
    if request.method == "POST":
        try:
            delete(thing)
        except refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"“{thing.name}” is deleted.")
        return redirect(back)
    return render(request, template, {"name": thing.name, "back": reverse(back)} | question())

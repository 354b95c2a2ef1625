"""The control API for meetings that happen (`/_sandbox/meetings/{id}/start|join|admit|leave|end`),
for held events, and for an account's plan. Each step answers the meeting's participants and the
deliveries it caused (sent, held or lost)."""

import functools

from . import live, pagination, ratelimits, webhooks
from .control import ControlError, _account, _meeting, control
from .models import Account, MeetingInstance, Participant


def _step(request, result) -> dict:
    person, happened = result
    return {
        "participant": _as_dict(person) if isinstance(person, Participant) else None,
        "participants": [_as_dict(p) for p in _participants(person)],
        "deliveries": [webhooks.as_dict(d) for d in webhooks.send_happenings(happened)],
    }


def _participants(subject) -> list[Participant]:
    instance = subject.instance if isinstance(subject, Participant) else subject
    return list(instance.participants.select_related("zoom_user").order_by("arrived_at", "id"))


def _as_dict(person: Participant) -> dict:
    return {
        "participant_id": person.participant_id,
        "participant_uuid": person.participant_uuid,
        "name": person.name,
        "email": person.zoom_user.email if person.zoom_user else "",
        "is_host": person.is_host,
        "state": person.state,
        "reached": person.reached,
        "meeting_uuid": person.instance.uuid,
        "arrived_at": person.arrived_at.isoformat(),
        "joined_at": person.joined_at.isoformat() if person.joined_at else None,
        "left_at": person.left_at.isoformat() if person.left_at else None,
    }


def _live_step(view):
    """Turns a refused step (`live.LiveError`) into a clear 400 of the control API."""

    @functools.wraps(view)
    def wrapper(request, data, meeting_id):
        try:
            return view(request, data, _meeting(meeting_id))
        except live.LiveError as exc:
            raise ControlError(str(exc)) from exc

    return wrapper


@control(["POST"])
@_live_step
def start(request, data, meeting):
    """The host opens the start link: the meeting starts (or the host rejoins it)."""
    return _step(request, live.start(meeting))


@control(["POST"])
@_live_step
def join(request, data, meeting):
    """`{"as": "guest" | "host", "name": "…", "email": "<signed-in Zoom user>", "client": "app"
    | "web"}`: someone opens the meeting's link."""
    role = data.get("as", "guest")
    if role not in ("guest", "host"):
        raise ControlError("as must be 'guest' or 'host'")
    return _step(
        request,
        live.join(
            meeting,
            as_host=role == "host",
            name=str(data.get("name") or ""),
            email=str(data.get("email") or ""),
            client=str(data.get("client") or "app"),
        ),
    )


def _named(data: dict, meeting) -> str:
    """The participant a step is about: `{"participant_id": "…"}`, or `{"as": "host" | "guest"}`
    for the latest host or guest still there."""
    return live.find_participant(
        meeting, participant_id=str(data.get("participant_id") or ""), role=data.get("as", "")
    )


@control(["POST"])
@_live_step
def admit(request, data, meeting):
    """The host admits someone from the waiting room."""
    return _step(request, live.admit(meeting, _named(data, meeting)))


@control(["POST"])
@_live_step
def leave(request, data, meeting):
    """Someone leaves, or stops waiting."""
    return _step(request, live.leave(meeting, _named(data, meeting)))


@control(["POST"])
@_live_step
def end(request, data, meeting):
    """The host ends the meeting for everyone."""
    return _step(request, live.end(meeting))


@control(["GET"])
def participants(request, data, meeting_id):
    """Everyone who came to the meeting's latest instance, as the sandbox saw them (unblanked:
    this is the control API, not Zoom's)."""
    meeting = _meeting(meeting_id)
    latest = (
        MeetingInstance.objects.filter(meeting_id=meeting.id, participants__isnull=False)
        .order_by("-id")
        .first()
    )
    return [_as_dict(p) for p in _participants(latest or live.current_instance(meeting))]


@control(["POST"])
def send_held(request, data):
    """Sends every held (late) event now, in the order they happened or `{"order": "reverse"}`."""
    order = data.get("order", "happened")
    if order not in ("happened", "reverse"):
        raise ControlError("order must be 'happened' or 'reverse'")
    return {"sent": webhooks.send_held(reverse=order == "reverse")}


@control(["POST"])
def account_plan(request, data, account_id):
    """`{"plan": "free" | "pro" | "business" | "enterprise"}`: the account's Zoom plan."""
    account = _account(account_id)
    plans = dict(Account.PLANS)
    if data.get("plan") not in plans:
        raise ControlError(f"plan must be one of {', '.join(plans)}")
    account.plan = data["plan"]
    account.save(update_fields=["plan"])
    return {"account_id": account.account_id, "plan": account.plan}


@control(["POST"])
def age_page_tokens(request, data):
    """Every `next_page_token` issued so far becomes `seconds` older (Zoom's expire after 15
    minutes): a test's clock for them instead of waiting."""
    seconds = data.get("seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise ControlError("seconds must be a number, 0 or more")
    pagination.age(seconds)
    return {"aged_by": seconds}


@control(["POST"])
def account_daily_usage(request, data, account_id):
    """`{"category": "Light" | "Medium", "count": n}`: requests the account has made today in
    that category (the Free plan's daily caps count them)."""
    account = _account(account_id)
    if data.get("category") not in (ratelimits.LIGHT, ratelimits.MEDIUM):
        raise ControlError("category must be Light or Medium")
    count = data.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ControlError("count must be a whole number, 0 or more")
    ratelimits.set_account_daily_usage(account, data["category"], count)
    return {"account_id": account.account_id, "category": data["category"], "count": count}

"""Every way connecting Zoom can fail, with what the rep is told and what they can do next.

Services raise `ConnectFailed(problem)`; the callback view renders the problem's page. Nothing here
carries a token, a secret or Zoom's raw answer: pages show these texts only.
"""

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Problem:
    title: str
    explanation: str
    http_status: int
    # What the page offers: "retry" (Connect again), "approval" (the admin help), "operator".
    next_step: str = "retry"


class ConnectProblem(Enum):
    DECLINED = Problem(
        "Zoom was not connected",
        "You chose not to allow the app on Zoom's consent screen, so nothing was connected. "
        "Bookings with a Zoom location need the connection to get their meeting links.",
        200,
    )
    APPROVAL_REQUIRED = Problem(
        "Your Zoom admin must approve the app first",
        "Your Zoom account only lets its members use Marketplace apps an admin has approved, "
        "and this app is not approved yet (or its approval was withdrawn).",
        403,
        "approval",
    )
    STATE_MISSING = Problem(
        "This Zoom connection did not start here",
        "Zoom sent you back without the check we attach to every Connect click, or your session "
        "ended in between (for example after logging out). Nothing was connected. Start again from "
        "My Integrations.",
        400,
    )
    STATE_EXPIRED = Problem(
        "The connection attempt expired",
        "Too much time passed between clicking Connect and coming back from Zoom. "
        "Nothing was connected. Please connect again.",
        400,
    )
    STATE_FORGED = Problem(
        "This Zoom connection could not be verified",
        "The answer from Zoom does not belong to the Connect click made in this browser, so it was "
        "refused to protect your account. Nothing was connected. If you did not just try to "
        "connect Zoom, you can ignore this page.",
        400,
    )
    CODE_EXPIRED = Problem(
        "Zoom's approval expired",
        "Zoom's one-time approval code is valid for 5 minutes and this one was older. "
        "Nothing was connected. Please connect again.",
        400,
    )
    CODE_INVALID = Problem(
        "Zoom's approval was already used",
        "Zoom's one-time approval code was already used or is not valid (this happens when a page "
        "is reloaded or opened twice). Nothing was connected. Please connect again.",
        400,
    )
    SCOPES_MISSING = Problem(
        "Zoom did not grant everything the app needs",
        "Zoom connected, but without some permissions the app needs to create your meetings, "
        "so the connection was not kept. This usually means the Marketplace app's permissions "
        "changed: ask your Scheduler administrator, then connect again.",
        403,
        "operator",
    )
    ZOOM_USER_TAKEN = Problem(
        "This Zoom account is connected to another Scheduler user",
        "A Zoom user can be connected to one Scheduler account only, and this one already is. "
        "Sign in to Zoom as yourself (or disconnect it from the other Scheduler account first), "
        "then connect again.",
        409,
    )
    ZOOM_UNAVAILABLE = Problem(
        "Zoom is not answering right now",
        "Zoom did not answer, or answered something we could not understand. Nothing was "
        "connected. Please try again in a few minutes; status.zoom.us shows Zoom's outages.",
        502,
    )
    ZOOM_BUSY = Problem(
        "Zoom is busy right now",
        "Your company's Zoom account is at its limit of requests for the moment. Nothing was "
        "connected. Please connect again in a minute.",
        503,
    )
    ZOOM_REFUSED = Problem(
        "Zoom refused the connection",
        "Zoom did not allow this connection and did not say why in a way we recognise. "
        "Nothing was connected. Please try again; if it keeps happening, contact support.",
        400,
    )
    APP_MISCONFIGURED = Problem(
        "Zoom connections are misconfigured on our side",
        "This is not something you did: the Scheduler's Zoom app settings do not match what is "
        "registered in the Zoom Marketplace (the redirect URL or the app credentials). Our "
        "administrators have been alerted; please try again later.",
        503,
        "operator",
    )

    @property
    def page(self) -> Problem:
        return self.value


class ConnectFailed(Exception):
    """A connect attempt failed in a way the rep must be told about."""

    def __init__(self, problem: ConnectProblem, *, missing_scopes: tuple[str, ...] = ()):
        super().__init__(problem.name)
        self.problem = problem
        self.missing_scopes = missing_scopes

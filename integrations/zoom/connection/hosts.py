"""Which Zoom connection serves a rep, with the precedence made explicit: the rep's own working
connection first, else the company's Zoom account if it has a Zoom user for the rep."""

from dataclasses import dataclass
from typing import NamedTuple

from ..company.models import ZoomCompanyMember
from .models import ZoomConnection
from .token_chain import TOKEN_FIELDS, ZoomTokenChain

# The two token chains a rep's meetings can be made through, as bookings record them.
PERSONAL = "personal"
COMPANY = "company"


@dataclass(frozen=True)
class ZoomHost:
    """Who a rep's meetings are created as (`user`: "me", or the Zoom user id for the company's
    account token) and whose token chain pays for the calls."""

    chain: ZoomTokenChain
    user: str
    zoom_user_id: str
    zoom_email: str
    zoom_timezone: str
    zoom_user_type: int | None = None
    member: ZoomCompanyMember | None = None

    @property
    def via_company_account(self) -> bool:
        return self.member is not None

    @property
    def chain_name(self) -> str:
        """PERSONAL or COMPANY: which chain this host's meetings are made through."""
        return COMPANY if self.via_company_account else PERSONAL

    @property
    def is_usable(self) -> bool:
        served = self.member is None or self.member.is_served
        return self.chain.is_usable and served

    @property
    def is_basic(self) -> bool:
        return self.zoom_user_type == ZoomConnection.UserType.BASIC

    @property
    def status(self) -> str:
        return self.chain.status


def _personal(connection: ZoomConnection) -> ZoomHost:
    return ZoomHost(chain=connection, user="me", **connection.zoom_identity())


def _company(member: ZoomCompanyMember) -> ZoomHost:
    return ZoomHost(
        chain=member.account, user=member.zoom_user_id, member=member, **member.zoom_identity()
    )


def as_host(connection_or_host) -> ZoomHost:
    """A ZoomHost as it is; a rep's own ZoomConnection as the host it is ("me"); the company's
    account connection on its own acts as "me" too (the Zoom admin who authorized it)."""
    if isinstance(connection_or_host, ZoomHost):
        return connection_or_host
    if isinstance(connection_or_host, ZoomConnection):
        return _personal(connection_or_host)
    return ZoomHost(
        chain=connection_or_host,
        user="me",
        zoom_user_id=connection_or_host.admin_zoom_user_id,
        zoom_email=connection_or_host.admin_zoom_email,
        zoom_timezone="",
    )


def company_member_of(rep, *, with_tokens: bool = False) -> ZoomCompanyMember | None:
    return _company_members(with_tokens).filter(rep=rep).first()


def _company_members(with_tokens: bool):
    members = ZoomCompanyMember.objects.select_related("account")
    if not with_tokens:
        members = members.defer(*(f"account__{name}" for name in TOKEN_FIELDS))
    return members


def _connections(with_tokens: bool):
    return ZoomConnection.objects if with_tokens else ZoomConnection.objects.without_tokens()


def zoom_host_for(rep, *, with_tokens: bool = True) -> ZoomHost | None:
    """The rep's own connection when it works (it always wins); else the company's account when it
    works and serves the rep; else whatever is broken (so its reason can be told), or None.
    Pages pass `with_tokens=False`: nothing is decrypted for them."""
    personal = _connections(with_tokens).filter(user=rep).first()
    return _host_from(personal, lambda: company_member_of(rep, with_tokens=with_tokens))


def _host_from(personal: ZoomConnection | None, member_of) -> ZoomHost | None:
    """`zoom_host_for`'s precedence; `member_of()` gives the rep's company member (or None), read
    only when the rep's own connection does not work."""
    if personal is not None and personal.is_usable:
        return _personal(personal)
    member = member_of()
    if member is not None and member.is_served and member.account.is_usable:
        return _company(member)
    if personal is not None and personal.status != ZoomConnection.Status.DISCONNECTED:
        return _personal(personal)
    if member is not None and member.is_served:
        return _company(member)
    return _personal(personal) if personal is not None else None


class HostLookup(NamedTuple):
    """A rep's host (`zoom_host_for`) and their row in the company's account, if any."""

    host: ZoomHost | None
    member: ZoomCompanyMember | None


def zoom_hosts_for(rep_ids, *, with_tokens: bool = False) -> dict[int, HostLookup]:
    """`zoom_host_for` of many reps at once, by rep id (two queries, tokens not loaded unless
    asked): a team's members."""
    personal = {c.user_id: c for c in _connections(with_tokens).filter(user__in=rep_ids)}
    members = {m.rep_id: m for m in _company_members(with_tokens).filter(rep__in=rep_ids)}
    return {
        rep_id: HostLookup(
            _host_from(personal.get(rep_id), lambda rep_id=rep_id: members.get(rep_id)),
            members.get(rep_id),
        )
        for rep_id in rep_ids
    }


# A rep's Zoom state as `zoom_hosts_of` reads it, loaded with the rep (select_related; a query
# of another model names them through its relation to the rep).
REP_ZOOM_STATE = ("zoom_connection", "zoom_company_member__account")


def with_zoom_state(reps):
    """A queryset of reps that loads what `zoom_hosts_of` reads with them (in the same query;
    tokens not loaded)."""
    return reps.select_related(*REP_ZOOM_STATE).defer(
        *(f"{relation}__{name}" for relation in REP_ZOOM_STATE for name in TOKEN_FIELDS)
    )


def zoom_hosts_of(reps) -> dict[int, HostLookup]:
    """`zoom_hosts_for` of reps read `with_zoom_state`, by rep id (no query): a team's members
    read with their lock."""
    hosts = {}
    for rep in reps:
        personal = getattr(rep, "zoom_connection", None)
        member = getattr(rep, "zoom_company_member", None)
        hosts[rep.pk] = HostLookup(_host_from(personal, lambda member=member: member), member)
    return hosts


def zoom_host_through(rep, chain_name: str, *, with_tokens: bool = True) -> ZoomHost | None:
    """The rep's host on one chain, whatever its state (None if the rep has none there): the
    chain that made a meeting is the only one that may move or delete it."""
    if chain_name == COMPANY:
        member = company_member_of(rep, with_tokens=with_tokens)
        return _company(member) if member is not None else None
    personal = _connections(with_tokens).filter(user=rep).first()
    return _personal(personal) if personal is not None else None

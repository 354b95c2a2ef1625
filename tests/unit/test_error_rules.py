"""Each Zoom error's rule (integrations.zoom.api.errors.RULES): found for every error, and its
wording for the rep formats with the error it is for."""

from datetime import UTC, datetime, timedelta

import pytest

from integrations.zoom.api import errors
from integrations.zoom.api.errors import (
    RULES,
    Outcome,
    Park,
    Wait,
    ZoomDailyLimitReached,
    ZoomError,
    ZoomMeetingEnded,
    ZoomMeetingInProgress,
    ZoomMissingScopes,
    ZoomNeedsReconnect,
    ZoomRateLimited,
    ZoomUserNotFound,
    ZoomValidationError,
    rule_for,
)
from integrations.zoom.api.reasons import ReconnectReason

AT = datetime(2030, 1, 2, 0, 0, tzinfo=UTC)


def every_error():
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, ZoomError):
            yield value


def example(cls):
    if issubclass(cls, ZoomMissingScopes):
        return cls("missing")
    if issubclass(cls, ZoomNeedsReconnect):
        return cls(ReconnectReason.INVALID_GRANT)
    if issubclass(cls, ZoomRateLimited):
        return cls("slow down", retry_at=AT)
    return cls("refused")


@pytest.mark.parametrize("cls", list(every_error()), ids=lambda cls: cls.__name__)
def test_every_error_has_a_rule_whose_wording_formats(cls):
    exc = example(cls)
    for via_company in (False, True):
        rule = rule_for(exc, via_company=via_company)
        assert rule.says.format(exc=exc)
        assert (rule.wait is not None) == (rule.outcome == Outcome.RETRY)
        assert (rule.park is not None) == (rule.outcome == Outcome.PARK)


def test_a_subclass_follows_its_own_row_before_its_parents():
    assert rule_for(example(ZoomMeetingInProgress)).wait == timedelta(minutes=15)
    assert rule_for(example(ZoomMeetingEnded)).outcome == Outcome.FAIL
    assert rule_for(example(ZoomDailyLimitReached)).wait == Wait.RETRY_AT
    assert rule_for(example(ZoomRateLimited)).wait == Wait.RETRY_AT_SPREAD


def test_the_company_rule_differs_only_where_the_table_says():
    assert rule_for(ZoomUserNotFound("gone")).outcome == Outcome.FAIL
    assert rule_for(ZoomUserNotFound("gone"), via_company=True).park == Park.LEFT_COMPANY_ACCOUNT
    assert rule_for(ZoomError("no"), via_company=True) is RULES[ZoomError]


def test_the_daily_limit_says_when_it_is_tried_again():
    says = rule_for(example(ZoomDailyLimitReached)).says.format(exc=example(ZoomDailyLimitReached))
    assert "2030-01-02 00:00 UTC" in says


def test_a_refused_body_names_the_fields_zoom_named():
    exc = ZoomValidationError("Invalid field.", errors=[{"field": "topic", "message": "Too long"}])
    says = rule_for(exc).says.format(exc=exc)
    assert says == "Zoom refused the meeting: Invalid field. (topic: Too long)"

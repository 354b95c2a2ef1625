from datetime import timedelta

import factory
from django.utils import timezone

from integrations.zoom.api.scopes import GRANULAR_SCOPES
from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory


class ZoomConnectionFactory(factory.django.DjangoModelFactory):
    """A connected rep, as if they had gone through Zoom's consent screen."""

    class Meta:
        model = ZoomConnection

    user = factory.SubFactory(RepFactory)
    status = ZoomConnection.Status.CONNECTED
    zoom_user_id = factory.Sequence(lambda n: f"zoomuser{n:06d}")
    zoom_account_id = factory.Sequence(lambda n: f"zoomaccount{n:04d}")
    zoom_email = factory.LazyAttribute(lambda o: o.user.email)
    zoom_user_type = ZoomConnection.UserType.LICENSED
    zoom_timezone = "America/New_York"
    access_token = factory.Sequence(lambda n: f"eyJaccess.token.{n:08d}")
    refresh_token = factory.Sequence(lambda n: f"eyJrefresh.token.{n:08d}")
    access_token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    scopes = " ".join(GRANULAR_SCOPES)
    token_generation = 1
    connected_at = factory.LazyFunction(timezone.now)

"""A Zoom user as the product records them: whom a rep's meetings are created for, through the
rep's own connection (`connection.models.ZoomConnection`) or the company's account
(`company.models.ZoomCompanyMember`). The values are Zoom's `GET /users/{userId}` answer:
https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
"""

from django.db import models
from django.db.models import Q


class ZoomUserType(models.IntegerChoices):
    BASIC = 1, "Basic (free)"
    LICENSED = 2, "Licensed"


class ZoomUser(models.Model):
    zoom_user_id = models.CharField(max_length=64, blank=True)
    zoom_email = models.EmailField(blank=True)
    zoom_user_type = models.PositiveSmallIntegerField(
        choices=ZoomUserType.choices, null=True, blank=True
    )
    zoom_timezone = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def is_basic(self) -> bool:
        return self.zoom_user_type == ZoomUserType.BASIC

    def zoom_identity(self) -> dict:
        """The four values above, as a host (`hosts.ZoomHost`) carries them."""
        return {
            field: getattr(self, field)
            for field in ("zoom_user_id", "zoom_email", "zoom_timezone", "zoom_user_type")
        }


def zoom_user_constraints(known_when: Q, *, one_rep: str, known: str) -> list:
    """A Zoom user is one rep's at most (rows without one aside), and is known on every row where
    `known_when` holds. The arguments after it name the two constraints."""
    return [
        models.UniqueConstraint(
            fields=["zoom_user_id"], condition=~Q(zoom_user_id=""), name=one_rep
        ),
        models.CheckConstraint(condition=~known_when | ~Q(zoom_user_id=""), name=known),
    ]

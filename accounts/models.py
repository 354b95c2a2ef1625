import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import get_random_string
from django.utils.text import slugify


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA time zone name. `zoneinfo.available_timezones()` walks the time zone database
    on disk (some 600 files) on each call; the set only changes with a tzdata upgrade, which comes
    with a restart, so once per process is enough."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(f"“{value}” is not a known time zone.")


class RepManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A rep needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A rep: signs in with their email, owns integrations, Meeting Types and bookings."""

    username = None
    email = models.EmailField("email address", unique=True)
    booking_slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="The rep's part of public booking links: /book/<booking_slug>/…",
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = RepManager()

    class Meta:
        verbose_name = "rep"
        verbose_name_plural = "reps"

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # Every rep needs a booking handle from the moment they exist (allauth signup included).
        if not self.booking_slug:
            self.booking_slug = self._unique_booking_slug()
        super().save(*args, **kwargs)

    def _unique_booking_slug(self) -> str:
        base = slugify(self.email.split("@")[0])[:40] or "rep"
        candidate = base
        while booking_slug_is_taken(candidate, by_other_than=self):
            candidate = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
        return candidate


class PreviousBookingSlug(models.Model):
    """A booking handle a rep used before: links shared with it keep leading to the rep."""

    rep = models.ForeignKey(User, on_delete=models.CASCADE, related_name="previous_booking_slugs")
    slug = models.SlugField(max_length=60, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "previous booking handle"

    def __str__(self) -> str:
        return self.slug


def booking_slug_is_taken(slug: str, *, by_other_than: User) -> bool:
    """Another rep's handle, current or previous (whose old links must keep reaching them)."""
    current = User.objects.filter(booking_slug=slug).exclude(pk=by_other_than.pk)
    previous = PreviousBookingSlug.objects.filter(slug=slug).exclude(rep_id=by_other_than.pk)
    return current.exists() or previous.exists()

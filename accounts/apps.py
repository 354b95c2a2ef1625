from urllib.parse import urlsplit

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def name_the_site(using="default", **kwargs):
    """allauth's emails name the Site record ("[example.com] Confirm…" by default): keep it the
    product's name and SITE_URL's host, whatever the database was created with."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": settings.PRODUCT_NAME, "domain": urlsplit(settings.SITE_URL).netloc},
    )
    Site.objects.clear_cache()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Reps"

    def ready(self):
        post_migrate.connect(name_the_site, sender=self)

"""When a row was made and when it was last saved, as the product's records keep them."""

from django.db import models


def timestamps() -> tuple[models.DateTimeField, models.DateTimeField]:
    """`created_at, updated_at = timestamps()` in a model: the two fields stand where the model
    names them, so its column and admin order stay its own (an abstract base would put them
    first)."""
    return models.DateTimeField(auto_now_add=True), models.DateTimeField(auto_now=True)

"""Re-encrypt every stored encrypted value with the first key of FIELD_ENCRYPTION_KEY: the Zoom
tokens of reps' connections and of the company's account, and every other field encrypted with it
(outgoing webhooks' signing secrets).

Rotation (README "Rotating FIELD_ENCRYPTION_KEY"):
  1. FIELD_ENCRYPTION_KEY=<new>,<old>   deploy: the new key encrypts, both decrypt;
  2. manage.py rotate_zoom_token_key    every row now under <new>;
  3. FIELD_ENCRYPTION_KEY=<new>         deploy: the old key is gone.
`--check` only verifies that every row decrypts with the first key (run it before step 3).
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from encrypted_model_fields.fields import EncryptedMixin


def encrypted_fields() -> list[tuple[type, tuple[str, ...]]]:
    """Every concrete model with fields encrypted by FIELD_ENCRYPTION_KEY, and those fields."""
    found = []
    for model in apps.get_models():
        names = tuple(
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedMixin) and f.model is model
        )
        if names:
            found.append((model, names))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt stored Zoom tokens and other secrets with the first FIELD_ENCRYPTION_KEY key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report rows not yet encrypted with the first key; change nothing.",
        )

    def handle(self, *args, check: bool, **options):
        keys = [Fernet(key) for key in settings.FIELD_ENCRYPTION_KEY]
        every_key, first_key = MultiFernet(keys), keys[0]
        stale, rotated = 0, 0
        with transaction.atomic():
            for model, names in encrypted_fields():
                # Cast to plain text: the raw ciphertext, bypassing the field's decryption.
                raw = {f"raw_{name}": Cast(name, output_field=TextField()) for name in names}
                rows = model._default_manager.select_for_update().annotate(**raw)
                for row in rows.values("pk", *raw):
                    updates = {}
                    for name in names:
                        ciphertext = row[f"raw_{name}"]
                        if not ciphertext:
                            continue
                        token = ciphertext.encode()
                        if _decrypts(first_key, token):
                            continue
                        stale += 1
                        if not _decrypts(every_key, token):
                            raise CommandError(
                                f"{model._meta.verbose_name} {row['pk']}: {name} matches no key "
                                "in FIELD_ENCRYPTION_KEY. Nothing was changed; put the old key "
                                "back."
                            )
                        updates[name] = every_key.rotate(token).decode()
                    if updates and not check:
                        _write_raw(model, row["pk"], updates)
                        rotated += 1
        if check:
            if stale:
                raise CommandError(f"{stale} value(s) are not yet encrypted with the first key.")
            self.stdout.write("Every encrypted value is encrypted with the first key.")
        else:
            self.stdout.write(f"Re-encrypted the secrets of {rotated} row(s).")


def _decrypts(fernet, token: bytes) -> bool:
    try:
        fernet.decrypt(token)
    except InvalidToken:
        return False
    return True


def _write_raw(model, pk, updates: dict[str, str]) -> None:
    # Raw SQL on purpose: the ORM would hand the ciphertext to the field, which encrypts it again
    # (even wrapped in an expression) and with the key list it was imported with.
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in updates)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",  # noqa: S608 - names are ours
            [*updates.values(), pk],
        )

"""Re-encrypt every stored Zoom token with the first key of FIELD_ENCRYPTION_KEY.

Rotation (README "Rotating FIELD_ENCRYPTION_KEY"):
  1. FIELD_ENCRYPTION_KEY=<new>,<old>   deploy: the new key encrypts, both decrypt;
  2. manage.py rotate_zoom_token_key    every row now under <new>;
  3. FIELD_ENCRYPTION_KEY=<new>         deploy: the old key is gone.
`--check` only verifies that every row decrypts with the first key (run it before step 3).
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.token_chain import TOKEN_FIELDS


class Command(BaseCommand):
    help = "Re-encrypt stored Zoom tokens with the first FIELD_ENCRYPTION_KEY key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report rows not yet encrypted with the first key; change nothing.",
        )

    def handle(self, *args, check: bool, **options):
        keys = [Fernet(key) for key in settings.FIELD_ENCRYPTION_KEY]
        every_key, first_key = MultiFernet(keys), keys[0]
        # Cast to plain text: the raw ciphertext, bypassing the field's decryption.
        raw = {f"raw_{name}": Cast(name, output_field=TextField()) for name in TOKEN_FIELDS}
        stale, rotated = 0, 0
        with transaction.atomic():
            rows = ZoomConnection.objects.select_for_update().annotate(**raw)
            for row in rows.values("pk", *raw):
                updates = {}
                for name in TOKEN_FIELDS:
                    ciphertext = row[f"raw_{name}"]
                    if not ciphertext:
                        continue
                    token = ciphertext.encode()
                    if _decrypts(first_key, token):
                        continue
                    stale += 1
                    if not _decrypts(every_key, token):
                        raise CommandError(
                            f"Zoom connection {row['pk']}: {name} matches no key in "
                            "FIELD_ENCRYPTION_KEY. Nothing was changed; put the old key back."
                        )
                    updates[name] = every_key.rotate(token).decode()
                if updates and not check:
                    _write_raw(row["pk"], updates)
                    rotated += 1
        if check:
            if stale:
                raise CommandError(f"{stale} token(s) are not yet encrypted with the first key.")
            self.stdout.write("Every Zoom token is encrypted with the first key.")
        else:
            self.stdout.write(f"Re-encrypted the tokens of {rotated} Zoom connection(s).")


def _decrypts(fernet, token: bytes) -> bool:
    try:
        fernet.decrypt(token)
    except InvalidToken:
        return False
    return True


def _write_raw(pk: int, updates: dict[str, str]) -> None:
    # Raw SQL on purpose: the ORM would hand the ciphertext to the field, which encrypts it again
    # (even wrapped in an expression) and with the key list it was imported with.
    table = connection.ops.quote_name(ZoomConnection._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in updates)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - names are ours
            [*updates.values(), pk],
        )

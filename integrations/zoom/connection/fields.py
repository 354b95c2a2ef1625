"""Encrypted token storage that fails loudly instead of handing back ciphertext.

django-encrypted-model-fields returns the stored ciphertext unchanged when no key in
FIELD_ENCRYPTION_KEY decrypts it (`EncryptedMixin.to_python` swallows `InvalidToken`). We would
then send ciphertext to Zoom as a token, get `invalid_grant`, and mark a healthy connection broken
— after a key was dropped too early in a rotation. This field raises instead.
"""

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from encrypted_model_fields.fields import EncryptedTextField, decrypt_str


class UndecryptableValue(ImproperlyConfigured):
    """A stored secret matches none of the FIELD_ENCRYPTION_KEY keys (an operator problem)."""


class StrictEncryptedTextField(EncryptedTextField):
    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            return decrypt_str(value)
        except InvalidToken as exc:
            raise UndecryptableValue(
                f"{self.model.__name__}.{self.name} cannot be decrypted with any key in "
                "FIELD_ENCRYPTION_KEY; see README 'Rotating FIELD_ENCRYPTION_KEY'."
            ) from exc

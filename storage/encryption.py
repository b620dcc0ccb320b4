"""Secrets at rest: Slack tokens encrypted in the database with the keys in RITME_ENCRYPTION_KEY (Fernet).

The setting holds one or more Fernet keys, comma-separated. The first encrypts; every one of them decrypts, so a new
key can go in front while tokens written with the old one still open, and `ritme rotate-keys` then re-encrypts every
stored token with the new key, after which the old one can go. An encrypted value starts with `fernet:`; a value
without it was stored before encryption was turned on, is read as it is, and is encrypted by the next rotation (or
when Slack gives Ritme a new token). Without keys, values are stored and read as they are, and an encrypted one is a
clear error naming the setting.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"
SETTING = "RITME_ENCRYPTION_KEY"
KEY_EXAMPLE = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class EncryptionKeyError(RuntimeError):
    """A stored secret cannot be read with the keys Ritme was given; the message says what to change."""


def unreadable_tokens(unreadable: int, total: int, *, key_set: bool) -> str:
    """What to tell an admin when `unreadable` of the `total` stored Slack tokens do not open with the keys given."""
    if not key_set:
        return (f"{unreadable} of {total} stored Slack tokens are encrypted, but {SETTING} is not set: set it to the "
                "key (or keys, comma-separated) they were encrypted with")
    return (f"{unreadable} of {total} stored Slack tokens were encrypted with a key that is not in {SETTING}: add "
            f"that key after the first ({SETTING}=new-key,old-key)")


def parse_keys(value: str) -> list[str]:
    """The comma-separated keys of the setting, each checked to be a Fernet key; ValueError naming the bad one."""
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if not keys:
        raise ValueError(f"no key given: make one with {KEY_EXAMPLE}")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # Never the key itself: this message may be printed or logged.
            raise ValueError(
                f"key {position} of {len(keys)} is not a Fernet key (32 url-safe base64-encoded bytes, 44 characters); "
                f"make one with {KEY_EXAMPLE}"
            ) from None
    return keys


class TokenCipher:
    """Seals secrets for the database with the first key, opens them with any; with no keys, stores them as they are."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        self._first = Fernet(keys[0]) if keys else None
        self._fernet = MultiFernet([Fernet(key) for key in keys]) if keys else None

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher:
        """The cipher for RITME_ENCRYPTION_KEY's value (None or empty: no encryption)."""
        return cls(parse_keys(value) if value and value.strip() else ())

    @property
    def encrypts(self) -> bool:
        """True when values are stored encrypted."""
        return self._fernet is not None

    def seal(self, value: str) -> str:
        """What to store for `value`: encrypted with the first key and marked, or as it is without keys."""
        if self._fernet is None:
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode("ascii")

    def open(self, stored: str) -> str:
        """The value behind what was stored; EncryptionKeyError when none of the keys fits."""
        if not is_sealed(stored):
            return stored  # stored before encryption was turned on
        if self._fernet is None:
            raise EncryptionKeyError(
                f"a Slack token in the database is encrypted, but {SETTING} is not set: set it to the key (or keys, "
                "comma-separated) it was encrypted with"
            )
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode("ascii")).decode()
        except (InvalidToken, UnicodeError):
            raise EncryptionKeyError(
                f"a Slack token in the database was encrypted with a key that is not in {SETTING}: add that key after "
                f"the new one, e.g. {SETTING}=new-key,old-key"
            ) from None

    def state(self, stored: str) -> str:
        """How a value is stored: "plain", "current" (the first key), "older" (another listed key) or "unreadable"."""
        if not is_sealed(stored):
            return "plain"
        if self._fernet is None:
            return "unreadable"
        token = stored.removeprefix(PREFIX).encode("ascii")
        if self._first is not None:
            try:
                self._first.decrypt(token)
                return "current"
            except InvalidToken:
                pass
        try:
            self._fernet.decrypt(token)
        except InvalidToken:
            return "unreadable"
        return "older"

    def reseal(self, stored: str) -> str:
        """`stored` encrypted with the first key, whichever key (or none) it was stored with."""
        if self._fernet is None:
            raise EncryptionKeyError(
                f"{SETTING} is not set: there is no key to encrypt with; make one with {KEY_EXAMPLE}"
            )
        return self.seal(self.open(stored))


def is_sealed(stored: str) -> bool:
    """True for a value stored encrypted."""
    return stored.startswith(PREFIX)

"""Passwords, hashed with argon2id (argon2-cffi's defaults, the RFC 9106 low-memory profile).

Hashing takes tens of milliseconds on purpose: callers on the event loop run it in a thread.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY = _HASHER.hash("not anybody's password")


def hash_password(password: str) -> str:
    """The stored form of a password."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` was made from (None: an unknown account)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False

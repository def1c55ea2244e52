"""Shared by the account tests (tests/test_auth_*.py)."""

from __future__ import annotations

from functools import partial

import pytest
from werkzeug.security import generate_password_hash

# One round of PBKDF2 instead of scrypt: scrypt costs about 0.3 s a hash on a small machine, and
# the account tests check behaviour, not hash strength (test_passwords_are_stored_with_scrypt does).
_quick_hash = partial(generate_password_hash, method="pbkdf2:sha256:1")


@pytest.fixture
def quick_password_hashing(monkeypatch):
    monkeypatch.setattr("hub.models.generate_password_hash", _quick_hash)
    monkeypatch.setattr("hub.auth.service.generate_password_hash", _quick_hash)
    monkeypatch.setattr("hub.auth.service._dummy_hash", None)


def page(response) -> str:
    return response.get_data(as_text=True)

"""Shared by the account tests (tests/test_auth_*.py)."""


def page(response) -> str:
    return response.get_data(as_text=True)

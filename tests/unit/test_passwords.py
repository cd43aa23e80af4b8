"""The password rule, alone."""
from __future__ import annotations

import pytest

from app.auth.passwords import password_problem


@pytest.mark.parametrize("password", ["short1", "12345678", "password", "aaaaaaaaaa",
                                      "abababab", "x" * 129])
def test_weak_or_oversized_passwords_are_refused(app, password: str) -> None:
    assert password_problem(password) is not None


def test_a_password_containing_the_username_is_refused(app) -> None:
    assert password_problem("wanglei-2024!", username="wanglei") is not None


@pytest.mark.parametrize("password", ["correct-horse-42", "我家在3栋1203室", "Tq9#mZ2!pL"])
def test_reasonable_passwords_are_accepted(app, password: str) -> None:
    assert password_problem(password, username="owner1", email="owner1@example.com") is None

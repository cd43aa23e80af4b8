"""The audit log: entries keep no secrets and staff can read and filter them."""
from __future__ import annotations

from app.audit.services import record
from app.auth.roles import Role
from app.extensions import db
from tests.factories import make_user


def test_an_entry_never_keeps_passwords_tokens_or_private_details(app, staff) -> None:
    entry = record(staff, "user.edit", "user", 7,
                   before={"display_name": "王先生", "password_hash": "x", "phone": "139"},
                   after={"display_name": "3栋王先生", "token": "abc", "email": "a@b.c"},
                   reason="业主要求")
    db.session.commit()

    assert entry.before == {"display_name": "王先生", "password_hash": "(withheld)",
                            "phone": "(withheld)"}
    assert entry.after["token"] == "(withheld)" and entry.after["email"] == "(withheld)"


def test_staff_read_the_log_newest_first_and_filter_it(client, login, staff) -> None:
    other = make_user(Role.MODERATOR, username="banzhu")
    record(staff, "post.hide", "post", 1, reason="广告")
    record(other, "user.suspend", "user", 2, reason="辱骂邻居")
    db.session.commit()
    login(staff)

    everything = client.get("/staff/audit").get_data(as_text=True)
    only_other = client.get("/staff/audit?actor=banzhu").get_data(as_text=True)

    assert everything.index("user.suspend") < everything.index("post.hide")
    assert "user.suspend" in only_other and "post.hide" not in only_other


def test_members_cannot_read_the_log(client, login, owner) -> None:
    login(owner)

    assert client.get("/staff/audit").status_code == 403

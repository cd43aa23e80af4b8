"""The e-mail of each notice: queued with the notice, translated, one-click unsubscribe,
opt-outs per kind, and never the name of an anonymous filer."""
from __future__ import annotations

from app.auth.roles import Role
from app.complaints import services
from app.notifications import services as notice_services
from app.notifications.models import Kind
from tests.factories import make_case, make_user
from tests.helpers import fresh
from tests.notifications.helpers import (emails_to, fresh_case, joiner_of, notices_of, take,
                                         walk, watcher_of)


def test_every_notice_queues_an_email_with_a_one_click_unsubscribe_link(app, owner,
                                                                        staff) -> None:
    case = make_case(owner, title="地库顶板渗水")

    take(case, "assign", staff)

    [mail] = emails_to(owner)
    assert mail.to_address == owner.email and mail.sent_at is None
    assert case.number in mail.subject and "地库顶板渗水" in mail.subject
    assert mail.unsubscribe_url.startswith("http://ownervoice.test/unsubscribe/")
    assert mail.unsubscribe_url in mail.body_text and mail.unsubscribe_url in mail.body_html
    assert f"http://ownervoice.test/t/{case.thread_id}#case" in mail.body_text


def test_opting_out_stops_that_kind_of_email_but_not_the_in_site_notice(app, owner,
                                                                        staff) -> None:
    case = make_case(owner)
    notice_services.opt_out(owner.id, Kind.CASE_EVENT)

    event = take(case, "assign", staff)

    assert [n.event_id for n in notices_of(owner)] == [event.id]
    assert emails_to(owner) == []


def test_opting_out_of_one_kind_leaves_the_others(app, owner, staff) -> None:
    case = make_case(owner)
    handler = make_user(Role.HANDLER, department_id=case.category.routed_department_id)
    notice_services.opt_out(handler.id, Kind.CASE_EVENT)

    take(case, "assign", staff)

    assert [m.kind for m in emails_to(handler)] == ["assigned"]


def test_an_email_about_an_anonymous_case_never_contains_the_filers_name(app, staff) -> None:
    filer = make_user(Role.OWNER, display_name="3栋王先生", username="wang3",
                      real_name="王建国")
    case = make_case(filer, anonymous=True)
    joiner = joiner_of(case)
    watcher = watcher_of(case)
    handler = make_user(Role.HANDLER, department_id=case.category.routed_department_id)
    walk(case, staff, "assign", "plan", "dispatch", "resolve")

    services.reject(fresh_case(case), filer, reason="还是漏水")

    mails = emails_to(joiner) + emails_to(watcher) + emails_to(handler)
    assert len(mails) == 5 + 5 + 1  # five public steps each; the handler, the assignment
    for mail in mails:
        for secret in ("3栋王先生", "wang3", "王建国", filer.email):
            assert secret not in mail.subject + mail.body_text + mail.body_html
    assert "业主" in emails_to(joiner)[-1].body_text  # "the owner", as on the timeline


def test_emails_are_in_chinese_unless_the_recipient_chose_english(app, owner, staff) -> None:
    case = make_case(owner)
    english = joiner_of(case, language="en")

    take(case, "assign", staff)

    assert "您好" in emails_to(owner)[0].body_text
    assert "Hello" in emails_to(english)[0].body_text
    assert "Assigned to" in emails_to(english)[0].subject


def test_choosing_a_language_while_logged_in_is_remembered_for_emails(client, login,
                                                                      owner) -> None:
    login(owner)

    client.post("/lang", data={"lang": "en", "next": "/"})

    assert fresh(owner).language == "en"

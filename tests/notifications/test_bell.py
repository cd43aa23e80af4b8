"""The bell and the notices page: unread count, newest first with links to the case, mark
read; watching a thread; every page still within its query budget."""
from __future__ import annotations

import re

import pytest

from app.auth.roles import Role
from app.complaints import services
from app.extensions import db
from app.notifications import views
from tests.factories import make_case, make_user
from tests.helpers import counting_queries, fresh
from tests.notifications.helpers import notices_of, take, watcher_of

MAX_QUERIES = 8


def _bell(page: str) -> str:
    return re.search(r'class="bell[^"]*"\s+aria-label="([^"]+)"', page).group(1)


def test_the_bell_shows_the_unread_count(app, client, login, owner, staff) -> None:
    case = make_case(owner)
    take(case, "assign", staff)
    take(case, "plan", staff)
    login(owner)

    page = client.get("/").get_data(as_text=True)

    assert "2" in _bell(page)
    assert '<span class="bell-count" aria-hidden="true">2</span>' in page


def test_mark_all_read_clears_the_bell(app, client, login, owner, staff) -> None:
    case = make_case(owner)
    take(case, "assign", staff)
    take(case, "plan", staff)
    login(owner)

    response = client.post("/notifications/read-all", follow_redirects=True)

    assert response.status_code == 200
    assert "bell-count" not in response.get_data(as_text=True)
    assert fresh(owner).unread_count == 0
    assert all(n.read_at is not None for n in notices_of(owner))


def test_marking_one_notice_read_takes_one_off_the_bell(app, client, login, owner,
                                                        staff) -> None:
    case = make_case(owner)
    take(case, "assign", staff)
    take(case, "plan", staff)
    first = notices_of(owner)[0]
    login(owner)

    client.post(f"/notifications/{first.id}/read")
    client.post(f"/notifications/{first.id}/read")

    assert fresh(owner).unread_count == 1
    assert [n.is_read for n in notices_of(owner)] == [True, False]


def test_no_one_can_mark_another_persons_notice_read(app, client, login, owner,
                                                     other_owner, staff) -> None:
    take(make_case(owner), "assign", staff)
    login(other_owner)

    client.post(f"/notifications/{notices_of(owner)[0].id}/read")

    assert fresh(owner).unread_count == 1


def test_the_notices_page_lists_the_newest_first_with_links_to_the_case(app, client, login,
                                                                        owner, staff) -> None:
    case = make_case(owner, title="电梯经常停运")
    take(case, "assign", staff)
    take(case, "plan", staff)
    login(owner)

    page = client.get("/notifications").get_data(as_text=True)

    assert page.count(f'href="/t/{case.thread_id}#case"') == 2
    assert "电梯经常停运" in page
    assert page.index("方案已出") < page.index("已分派至")


def test_the_notices_page_pages_by_older_notices(app, client, login, monkeypatch, owner,
                                                 staff) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 2)
    case = make_case(owner)
    for action in ("assign", "plan", "dispatch"):
        take(case, action, staff)
    login(owner)

    first = client.get("/notifications").get_data(as_text=True)
    older = re.search(r'href="(/notifications\?before=\d+)"', first).group(1)
    second = client.get(older).get_data(as_text=True)

    assert first.count("notice-link") == 2 and second.count("notice-link") == 1


def test_the_notices_page_asks_visitors_to_log_in(app, client) -> None:
    response = client.get("/notifications")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_can_watch_and_then_stop_watching_a_thread(app, client, login, owner,
                                                            staff) -> None:
    case = make_case(owner)
    member = make_user()
    login(member)

    client.post(f"/t/{case.thread_id}/watch", data={"on": "1"})
    client.post(f"/t/{case.thread_id}/watch", data={"on": "1"})  # a double click
    watching = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    told = take(case, "assign", staff)
    client.post(f"/t/{case.thread_id}/watch", data={"on": "0"})
    untold = take(case, "plan", staff)

    assert 'name="on" value="0"' in watching
    assert [n.event_id for n in notices_of(member)] == [told.id]
    assert untold.id not in [n.event_id for n in notices_of(member)]


def test_visitors_see_no_watch_button_and_cannot_watch(app, client, owner) -> None:
    case = make_case(owner)

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    response = client.post(f"/t/{case.thread_id}/watch", data={"on": "1"})

    assert "watch-form" not in page
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["filer", "watcher", "staff", "supervisor"])
def test_a_case_page_with_the_bell_stays_within_the_query_budget(client, login, app, owner,
                                                                 staff, who) -> None:
    case = make_case(owner)
    for _ in range(5):
        services.join_case(case, make_user(Role.OWNER))
    viewer = {"filer": owner, "watcher": watcher_of(case), "staff": staff,
              "supervisor": make_user(Role.STAFF, is_supervisor=True)}[who]
    # Staff viewers take the step themselves: a colleague's step costs the case panel a
    # query of its own (the actor's name), bell or no bell.
    take(case, "assign", viewer if viewer.is_staff else staff)
    login(viewer)
    thread_id = case.thread_id
    db.session.remove()  # a request starts with an empty session

    with counting_queries() as statements:
        assert client.get(f"/t/{thread_id}").status_code == 200
    with counting_queries() as listing:
        assert client.get("/notifications").status_code == 200

    assert len(statements) <= MAX_QUERIES, statements
    assert len(listing) <= 3, listing

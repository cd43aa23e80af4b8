"""Site settings through the one accessor (config.py as defaults) and the holiday calendar
kept in the database: each change takes effect, is audited, and bad values change nothing."""
from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.complaints import promises
from app.complaints import services as case_services
from app.core import clock
from app.core.errors import Invalid, NotAllowed
from app.extensions import db
from app.sitesettings import calendar as calendar_store
from app.sitesettings import services as settings
from app.sitesettings.models import CalendarDay, SiteSetting
from tests.complaints.helpers import fresh_case, walk_to
from tests.factories import make_case, make_category, make_user

ROOT = Path(__file__).resolve().parents[2]
CURRENT = {"auto_close_days": 7, "reopen_window_days": 30, "group_min_joins": 5,
           "group_window_days": 7}


def test_without_rows_the_config_values_are_used(app) -> None:
    app.config["AUTO_CLOSE_DAYS"] = 11

    assert settings.setting("AUTO_CLOSE_DAYS") == 11
    assert settings.setting("PUBLIC_HANDLER_NAMES") is False


def test_an_admin_changes_settings_in_the_browser_with_audit(app, client, login, admin) -> None:
    login(admin)

    response = client.post("/admin/settings", data={**CURRENT, "auto_close_days": 3,
                                                    "public_handler_names": "y",
                                                    "reason": "试行"})

    assert response.status_code == 302
    assert settings.setting("AUTO_CLOSE_DAYS") == 3
    assert settings.setting("PUBLIC_HANDLER_NAMES") is True
    assert settings.setting("REOPEN_WINDOW_DAYS") == 30
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.before, e.after, e.reason) for e in entries] == [
        ("setting.change", {"AUTO_CLOSE_DAYS": 7}, {"AUTO_CLOSE_DAYS": 3}, "试行"),
        ("setting.change", {"PUBLIC_HANDLER_NAMES": False}, {"PUBLIC_HANDLER_NAMES": True},
         "试行")]
    assert db.session.scalar(select(func.count()).select_from(SiteSetting)) == 2


@pytest.mark.parametrize("field,value", [("auto_close_days", 0), ("auto_close_days", 91),
                                         ("reopen_window_days", 400), ("group_min_joins", 1),
                                         ("group_window_days", "x"), ("group_min_joins", "")])
def test_out_of_range_values_change_nothing(app, client, login, admin, field, value) -> None:
    login(admin)

    response = client.post("/admin/settings", data={**CURRENT, "auto_close_days": 3,
                                                    field: value})

    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SiteSetting)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_only_admins_change_settings(app, staff) -> None:
    with pytest.raises(NotAllowed):
        settings.change_settings(staff, {"AUTO_CLOSE_DAYS": 3})
    with pytest.raises(Invalid):
        settings.change_settings(make_user(Role.ADMIN), {"AUTO_CLOSE_DAYS": True})


def test_auto_close_follows_the_setting(app, client, login, owner, staff, admin,
                                        monkeypatch) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    settings.change_settings(admin, {"AUTO_CLOSE_DAYS": 2})
    later = clock.now() + timedelta(days=2, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    assert case_services.auto_close_due() == 1
    case = fresh_case(case)
    assert (case.status, case.closed_kind) == ("closed", "unconfirmed")
    assert case.events[-1].data["days"] == 2


def test_group_complaints_follow_the_settings(app, admin) -> None:
    settings.change_settings(admin, {"GROUP_MIN_JOINS": 2, "GROUP_WINDOW_DAYS": 3})
    case = make_case()

    case_services.join_case(case, make_user(Role.OWNER))
    assert fresh_case(case).group_flagged_at is None
    case_services.join_case(case, make_user(Role.OWNER))

    assert fresh_case(case).is_group


def test_handler_names_follow_the_setting(app, admin, staff) -> None:
    staff.department_id = make_category().routed_department_id
    db.session.commit()
    case = make_case()
    case_services.answer(case, staff, body="已安排上门。")
    settings.change_settings(admin, {"PUBLIC_HANDLER_NAMES": True})
    other = make_case()
    case_services.answer(other, staff, body="已安排上门。")

    assert fresh_case(case).events[-1].actor_label != staff.display_name
    assert fresh_case(other).events[-1].actor_label == staff.display_name


def test_no_config_read_of_these_settings_is_left_in_app() -> None:
    names = "|".join(settings.SPECS)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
                 if re.search(rf"config\[\"({names})\"\]|config\.get\(\"({names})\"",
                              p.read_text())]
    assert offenders == []


def test_the_settings_page_costs_one_settings_query(app, client, login, admin) -> None:
    from tests.helpers import counting_queries
    login(admin)
    with counting_queries() as statements:
        client.get("/admin/settings")
    assert sum("site_settings" in s for s in statements) == 1


# --- the holiday calendar -----------------------------------------------------------------

def test_an_empty_table_means_the_shipped_calendar(app) -> None:
    assert calendar_store.current_calendar() == promises.default_calendar()


def test_the_seed_copies_the_shipped_days(app) -> None:
    holidays, workdays = promises.shipped_days()

    assert calendar_store.seed_calendar() == len(holidays) + len(workdays)
    assert calendar_store.seed_calendar() == 0
    assert calendar_store.current_calendar().holidays == holidays
    assert calendar_store.current_calendar().workdays == workdays


def test_an_admin_adds_a_holiday_and_new_deadlines_skip_it(app, client, login, admin) -> None:
    category = make_category(limits=(8, 16, 24), working=True)
    wednesday = date(2027, 3, 3)
    start = datetime(2027, 3, 2, 9, tzinfo=promises.SHANGHAI)  # Tuesday 09:00
    before = promises.add_hours(start, 16, working=True,
                                calendar=calendar_store.current_calendar())
    login(admin)

    response = client.post("/admin/calendar", data={"day": wednesday.isoformat(),
                                                    "kind": "holiday", "note": "停电检修"})

    assert response.status_code == 302
    after = promises.add_hours(start, 16, working=True,
                               calendar=calendar_store.current_calendar())
    assert after - before == timedelta(days=1)
    # The shipped days were copied in first, so none were lost.
    assert date(2026, 10, 1) in calendar_store.current_calendar().holidays
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.set"))
    assert entry.after == {"day": "2027-03-03", "kind": "holiday", "note": "停电检修"}
    assert category.counts_working_hours


def test_filing_uses_the_database_calendar(app, monkeypatch) -> None:
    category = make_category(limits=(8, 16, 24), working=True)
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 2, 1, tzinfo=UTC))  # Tue 09:00
    plain = make_case(category=category)
    db.session.add(CalendarDay(day=date(2027, 3, 2), kind="holiday"))
    db.session.commit()
    skipped = make_case(category=category)

    assert skipped.first_response_due - plain.first_response_due == timedelta(days=1)


def test_removing_a_day_is_audited_and_a_bad_day_changes_nothing(app, client, login,
                                                                 admin) -> None:
    calendar_store.seed_calendar()
    row = db.session.scalar(select(CalendarDay).order_by(CalendarDay.day))
    total = db.session.scalar(select(func.count()).select_from(CalendarDay))
    login(admin)

    assert client.post("/admin/calendar", data={"day": "not-a-date",
                                                "kind": "holiday"}).status_code == 400
    assert client.post("/admin/calendar", data={"day": "2027-01-05",
                                                "kind": "party"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == total
    client.post(f"/admin/calendar/{row.id}/remove", data={})

    assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == total - 1
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.before["day"]) == ("calendar.remove", row.day.isoformat())


def test_the_migration_seeds_the_table_from_the_json(tmp_path) -> None:
    """The real upgrade path: migration 0007 fills calendar_days from holidays_cn.json."""
    import flask_migrate
    from app import create_app
    from config import TestingConfig
    url = f"sqlite:///{tmp_path / 'seeded.sqlite3'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    # Alembic's env.py runs logging.fileConfig, which disables every logger already made;
    # put them back afterwards so later tests still capture the app's log records.
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    root = (logging.root.level, list(logging.root.handlers))
    with app.app_context():
        try:
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        finally:
            for name, disabled in loggers.items():
                logging.getLogger(name).disabled = disabled
            logging.root.setLevel(root[0])
            logging.root.handlers[:] = root[1]
        holidays, workdays = promises.shipped_days()
        assert calendar_store.current_calendar().holidays == holidays
        assert calendar_store.current_calendar().workdays == workdays
        db.session.remove()
        db.engine.dispose()

"""Without Redis, a job runs inline right after the commit of the transaction that queued
it, in a session of its own; never when that transaction rolls back. A failing job is
kept, retried by the tick with backoff, then shown to admins until requeued."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core import clock
from app.extensions import db
from app.jobs import enqueue, failures, tasks
from app.jobs.models import JobFailure
from tests.factories import make_thread
from tests.production import sample_jobs


def test_a_job_queued_in_a_transaction_runs_after_its_commit_and_sees_the_writes(app,
                                                                                jobs) -> None:
    thread = make_thread(title="楼道灯坏了")
    thread.title = "楼道灯修好了"
    db.session.flush()

    enqueue(sample_jobs.read_title, thread.id)
    assert jobs == []  # nothing before the commit

    db.session.commit()
    assert jobs == ["楼道灯修好了"]


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(app, jobs) -> None:
    thread = make_thread()
    thread.title = "never saved"
    db.session.flush()
    enqueue(sample_jobs.remember, "rolled back")

    db.session.rollback()
    db.session.commit()

    assert jobs == []


def test_outside_a_transaction_a_job_runs_at_once(app, jobs) -> None:
    db.session.commit()

    enqueue(sample_jobs.remember, "now")

    assert jobs == ["now"]


def test_a_read_only_transaction_that_ends_lets_its_jobs_run(app, jobs) -> None:
    thread = make_thread()
    db.session.commit()
    db.session.get(type(thread), thread.id)  # a read begins a transaction
    enqueue(sample_jobs.remember, "after read")
    assert jobs == []

    db.session.rollback()

    assert jobs == ["after read"]


def test_job_arguments_must_be_plain_values(app, jobs) -> None:
    with pytest.raises(TypeError):
        enqueue(sample_jobs.read_title, make_thread())


def test_only_module_level_functions_of_the_app_can_be_jobs(app, jobs) -> None:
    with pytest.raises(ValueError):
        enqueue(lambda: None)
    with pytest.raises(ValueError):
        enqueue("os:system", "true")


def test_a_failing_job_does_not_fail_the_caller_and_is_kept_with_its_error(app, jobs) -> None:
    thread = make_thread()
    enqueue(sample_jobs.explode, "first")

    db.session.commit()  # no exception here: the caller's work stands

    assert db.session.get(type(thread), thread.id) is not None
    [failure] = db.session.scalars(select(JobFailure)).all()
    assert failure.func == "tests.production.sample_jobs:explode"
    assert failure.args == ["first"] and failure.attempts == 1
    assert "RuntimeError: exploded first" in failure.error
    assert "Traceback" in failure.traceback
    assert failure.next_attempt_at is not None  # to be retried


def test_the_tick_retries_a_failed_job_with_backoff_then_gives_up(app, jobs,
                                                                  monkeypatch) -> None:
    app.config["JOB_RETRIES"] = 2
    db.session.commit()
    enqueue(sample_jobs.explode, "x")
    start = clock.now()

    assert failures.retry_due() == (0, 0)  # not due yet
    for minutes in (2, 10):
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + timedelta(minutes=m))
        assert failures.retry_due() == (0, 1)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=1))
    assert failures.retry_due() == (0, 0)  # gave up: left for an admin

    db.session.expire_all()
    [failure] = db.session.scalars(select(JobFailure)).all()
    assert failure.attempts == 3 and failure.given_up
    assert jobs == ["tried x"] * 3


def test_a_retried_job_that_succeeds_is_resolved(app, jobs, monkeypatch) -> None:
    sample_jobs.FAILURES["left"] = 1
    db.session.commit()
    enqueue(sample_jobs.flaky, "done")
    later = clock.now() + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)

    assert tasks.tick() == (1, 0)

    assert jobs == ["done"]
    db.session.expire_all()
    assert db.session.scalars(select(JobFailure)).one().resolved_at is not None


def _failed_job(app, jobs) -> JobFailure:
    app.config["JOB_RETRIES"] = 0
    db.session.commit()
    enqueue(sample_jobs.flaky, "requeued")
    sample_jobs.FAILURES["left"] = 0
    return db.session.scalars(select(JobFailure)).one()


def test_admins_see_failed_jobs_and_run_them_again(app, client, login, admin, jobs) -> None:
    sample_jobs.FAILURES["left"] = 1
    failure = _failed_job(app, jobs)
    login(admin)

    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "tests.production.sample_jobs:flaky" in page and "not yet" in page

    response = client.post("/admin/jobs/requeue", data={"source": "db", "job_id": failure.id})

    assert response.status_code == 302
    assert jobs == ["requeued"]
    db.session.expire_all()
    row = db.session.get(JobFailure, failure.id)
    assert row.resolved_at is not None and row.resolved_by_id == admin.id
    assert "tests.production.sample_jobs:flaky" not in client.get("/admin/jobs/").get_data(
        as_text=True)


@pytest.mark.parametrize("persona", ["member", "staff", "moderator"])
def test_only_admins_open_the_jobs_page(app, client, login, request, persona) -> None:
    login(request.getfixturevalue(persona))

    assert client.get("/admin/jobs/").status_code == 403
    assert client.post("/admin/jobs/requeue", data={"source": "db", "job_id": 1}
                       ).status_code == 403


def test_visitors_are_sent_to_log_in(app, client) -> None:
    response = client.get("/admin/jobs/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_requeue_is_in_the_audit_log(app, client, login, admin, jobs) -> None:
    from app.audit.models import AuditEntry

    sample_jobs.FAILURES["left"] = 1
    failure = _failed_job(app, jobs)
    login(admin)
    client.post("/admin/jobs/requeue", data={"source": "db", "job_id": failure.id})

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.requeue")
                               ).one()
    assert entry.actor_id == admin.id and entry.target_id == failure.id


def test_the_jobs_page_is_cheap_even_with_many_failures(app, client, login, admin,
                                                         jobs) -> None:
    from tests.helpers import counting_queries

    app.config["JOB_RETRIES"] = 0
    db.session.commit()
    for n in range(12):
        enqueue(sample_jobs.explode, f"job {n}")
    login(admin)

    with counting_queries() as statements:
        page = client.get("/admin/jobs/")

    assert page.status_code == 200
    assert page.get_data(as_text=True).count("重新执行") == 12  # "Run again", once per job
    assert len(statements) <= 8, statements

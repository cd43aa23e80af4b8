"""With REDIS_URL, jobs go to RQ after the commit; a worker runs them; a failing job is
retried, then kept in RQ's failed registry, listed for admins and requeued from there."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs import enqueue, rq_queue
from app.jobs.models import JobFailure
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_thread, make_user
from tests.production import sample_jobs

REDIS_URL = os.environ.get("TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set (no Redis)")


@pytest.fixture
def rq_app(jobs) -> Iterator[Any]:
    """An app whose jobs go to a queue of its own in the test Redis."""
    app = make_test_app(REDIS_URL=REDIS_URL, JOB_QUEUE=f"test-{uuid.uuid4().hex[:10]}",
                        JOB_RETRIES=1, JOB_RETRY_INTERVALS=(0,))
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        queue = rq_queue.queue()
        for registry in (queue.failed_job_registry, queue.scheduled_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        queue.delete(delete_jobs=True)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _work() -> None:
    """Run a worker in this process until the queue is empty (the jobs see this app)."""
    from rq import SimpleWorker

    queue = rq_queue.queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)


def test_a_job_goes_to_redis_after_the_commit_and_a_worker_runs_it(rq_app, jobs) -> None:
    thread = make_thread(title="电梯维修通知")
    enqueue(sample_jobs.read_title, thread.id)
    assert rq_queue.queue().count == 0

    db.session.commit()
    assert rq_queue.queue().count == 1 and jobs == []  # queued, not run here

    _work()
    assert jobs == ["电梯维修通知"]


def test_a_rolled_back_transaction_queues_nothing(rq_app, jobs) -> None:
    make_thread()
    thread = make_thread()
    thread.title = "x"
    db.session.flush()
    enqueue(sample_jobs.remember, "no")

    db.session.rollback()

    assert rq_queue.queue().count == 0


def test_a_failing_job_is_retried_then_kept_for_admins_who_requeue_it(rq_app, jobs) -> None:
    sample_jobs.FAILURES["left"] = 2  # the first try and the one retry fail
    db.session.commit()
    enqueue(sample_jobs.flaky, "at last")

    _work()

    [failed] = rq_queue.failed_jobs()
    assert failed.func == "tests.production.sample_jobs:flaky" and failed.args == ["at last"]
    assert "not yet" in failed.error
    assert sample_jobs.FAILURES["left"] == 0  # tried twice
    assert db.session.scalars(select(JobFailure)).all() == []  # RQ keeps it, not the table

    admin = make_user("admin")
    client = rq_app.test_client()
    client.post("/login", data={"login": admin.username, "password": PASSWORD})
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "tests.production.sample_jobs:flaky" in page and failed.id in page

    client.post("/admin/jobs/requeue", data={"source": "rq", "job_id": failed.id})
    assert rq_queue.failed_jobs() == [] and rq_queue.queue().count == 1
    _work()
    assert jobs == ["at last"]


def test_with_redis_unreachable_a_job_runs_inline_rather_than_being_lost(jobs) -> None:
    app = make_test_app(REDIS_URL="redis://127.0.0.1:5108/0")  # nothing listens there
    with app.app_context():
        db.create_all()
        enqueue(sample_jobs.remember, "still done")
        db.session.remove()
        db.engine.dispose()

    assert jobs == ["still done"]

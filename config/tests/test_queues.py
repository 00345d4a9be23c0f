"""The staff page of the background work: queues by task, failed tasks tried again by the
administrator only, the schedule, the workers (ADR 0042)."""

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.courts.models import StaffPosition, StaffRole
from torelik.courts.tests.factories import CourtFactory, PersonFactory
from torelik.identity.models import User
from torelik.workers import runner
from torelik.workers.tests import jobs

pytestmark = pytest.mark.django_db


def _staff(role: str) -> Client:
    person = PersonFactory.create()
    user = User.objects.create_user(username=f"{role}-{person.iin}", password="pw", person=person)
    StaffPosition.objects.create(user=user, court=CourtFactory.create(), role=role)
    client = Client()
    client.force_login(user)
    return client


def _failed() -> str:
    result = jobs.always_failing.enqueue()
    for _ in range(2):
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
        claimed = runner.claim("test-worker", pk=result.id)
        assert claimed is not None
        runner.execute(claimed)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    return str(result.id)


def test_staff_see_the_queues_by_task_and_the_failed_tasks_with_their_error() -> None:
    failed = _failed()
    jobs.sweep.enqueue(area="north")
    jobs.sweep.enqueue(area="south")
    page = _staff(StaffRole.CLERK).get("/en/workspace/queues/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "this task never succeeds" in html
    assert f'id="task-{failed}"' in html
    assert "Try again" not in html  # a clerk sees, the administrator acts
    assert 'data-count="waiting">2</td>' in html
    assert 'data-count="failed">1</td>' in html


def test_the_administrator_tries_a_failed_task_again_and_a_worker_takes_it() -> None:
    failed = _failed()
    client = _staff(StaffRole.ADMINISTRATOR)
    assert "Try again" in client.get("/en/workspace/queues/").content.decode()
    response = client.post(f"/en/workspace/queues/{failed}/retry/", follow=True)
    assert "back in the queue" in response.content.decode()
    row = DBTaskResult.objects.get(pk=failed)
    assert row.status == TaskResultStatus.READY
    assert runner.claim("test-worker") is not None  # due at once, with a fresh set of tries


def test_only_the_administrator_may_try_a_task_again_and_only_a_failed_one() -> None:
    failed = _failed()
    assert _staff(StaffRole.JUDGE).post(f"/en/workspace/queues/{failed}/retry/").status_code == 403
    assert DBTaskResult.objects.get(pk=failed).status == TaskResultStatus.FAILED
    waiting = jobs.sweep.enqueue(area="north")
    response = _staff(StaffRole.ADMINISTRATOR).post(f"/en/workspace/queues/{waiting.id}/retry/", follow=True)
    assert "Only a failed task can be tried again." in response.content.decode()


def test_a_person_without_a_position_does_not_see_the_queues() -> None:
    person = PersonFactory.create()
    client = Client()
    client.force_login(User.objects.create_user(username="citizen", password="pw", person=person))
    assert client.get("/en/workspace/queues/").status_code == 403
    assert Client().get("/en/workspace/queues/").status_code == 302  # to the login page


def test_every_declared_task_has_a_label_in_the_page_language() -> None:
    """No raw code on the page: each task of the schedule is named in words, in Kazakh too."""
    from django.utils import translation

    from torelik.workers.background import label_of, schedule

    assert {"distribution.sweep", "notifications.sweep", "deadlines.warn", "workers.prune"} <= set(schedule)
    with translation.override("kk"):
        labels = {name: label_of(job.task.module_path) for name, job in schedule.items() if name != "tests.hourly"}
    assert labels["deadlines.warn"] == "Жақындаған немесе өткізіп алынған мерзімдер туралы ескерту"
    assert not [label for label in labels.values() if label.startswith("torelik.")]

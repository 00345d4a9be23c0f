"""The distributor in real worker processes on PostgreSQL (ADR 0042): a worker killed with `kill -9`
while committing a batch of draws leaves no case without its judge once one restarts, and no case with
two; copies of one claim filed at once in two web processes and distributed by two workers are joined
by the refiling rule (the second waits for the first one's judge), never drawn twice."""

import json
import threading
from collections import Counter
from typing import Any

import httpx
import pytest
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.cases.actions import register_case
from torelik.cases.models import Case, CaseStatus
from torelik.cases.tests.factories import (
    COMPANY_BIN,
    CourtOffice,
    claim_document,
    court_office,
    ensure_claim_document_type,
    pdf_bytes,
)
from torelik.courts.models import JudgeSpecialisation, Specialisation
from torelik.courts.tests.factories import JudgeFactory, next_iin
from torelik.distribution.models import Draw, DrawStatus
from torelik.distribution.tests.conftest import other_parties
from torelik.workers.tests.processes import (
    free_port,
    kill,
    needs_postgresql,
    start_web,
    start_worker,
    wait_for,
    workers,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
COMMIT_TASK = "torelik.distribution.tasks.commit_draws"


def _court(judges: int = 4) -> CourtOffice:
    ensure_claim_document_type()
    office = court_office("0215")
    for _ in range(judges):
        judge = JudgeFactory.create(court=office.court)
        JudgeSpecialisation.objects.create(judge=judge, specialisation=Specialisation.CIVIL)
    return office


def _all_assigned(cases: list[int]) -> bool:
    return Case.objects.filter(pk__in=cases, status=CaseStatus.ASSIGNED).count() == len(cases)


def test_a_worker_killed_while_committing_draws_leaves_every_case_exactly_one_draw(settings: Any) -> None:
    needs_postgresql()
    settings.TORELIK_TASKS_INLINE = False  # this process registers; the workers distribute
    office = _court()
    cases = [
        register_case(
            court=office.court,
            proceeding_type="civil",
            category_code=office.category.code,
            parties=other_parties(next_iin()),
            documents=[claim_document()],
            actor=office.clerk,
        ).pk
        for _ in range(400)
    ]
    first = start_worker()
    try:  # killed as soon as it has taken the court's task: in the middle of committing 200 draws
        assert wait_for(
            lambda: DBTaskResult.objects.filter(task_path=COMMIT_TASK, status=TaskResultStatus.RUNNING).exists(),
            timeout=60,
            every=0.01,
        )
        kill(first)
    finally:
        if first.poll() is None:
            kill(first)
    committed_at_kill = Draw.objects.filter(case__in=cases).count()
    assert committed_at_kill in (0, 200, 400)  # a batch commits whole or not at all
    with workers(1):
        assert wait_for(lambda: _all_assigned(cases), timeout=180)
    draws = Counter(Draw.objects.filter(case__in=cases).values_list("case_id", flat=True))
    assert set(draws) == set(cases)
    assert set(draws.values()) == {1}  # exactly one draw each
    assert not Draw.objects.filter(case__in=cases).exclude(status=DrawStatus.DRAWN).exists()
    for case in Case.objects.filter(pk__in=cases):
        assert case.judge_id == Draw.objects.get(case=case).judge_id
    print(f"\ndraws crash: 400 registered; {committed_at_kill} committed when killed; 400 drawn once")  # noqa: T201


def _session_of(office: CourtOffice) -> dict[str, str]:
    client = Client()
    client.force_login(office.clerk)
    token = "a" * 32
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}


def _claim(office: CourtOffice, iin: str) -> dict[str, Any]:
    return {
        "data": json.dumps(
            {
                "court": office.court.code,
                "proceeding_type": "civil",
                "category": office.category.code,
                "subject": "О взыскании задолженности",
                "consent_sms": False,
                "consent_email": False,
                "parties": [
                    {"role": "claimant", "iin": iin, "surname": "Ахметов", "given_name": "Ерлан"},
                    {"role": "defendant", "bin": COMPANY_BIN, "organisation_name": "ТОО Тест"},
                ],
                "documents": [
                    {"document_type": "claim", "title": "Исковое заявление", "file": "claim", "page_count": 3}
                ],
            }
        )
    }


def test_copies_of_a_claim_filed_in_two_web_processes_at_once_go_to_one_judge(settings: Any) -> None:
    needs_postgresql()
    settings.TORELIK_TASKS_INLINE = False
    office = _court()
    cookies = _session_of(office)
    ports = [free_port(), free_port()]
    webs = [start_web(port) for port in ports]
    numbers: list[list[str]] = [[] for _ in range(6)]
    try:
        with workers(2):
            for pair in range(6):
                iin = next_iin()
                barrier = threading.Barrier(2)

                def file(port: int, pair: int = pair, iin: str = iin, barrier: threading.Barrier = barrier) -> None:
                    with httpx.Client(cookies=cookies, headers={"X-CSRFToken": cookies["csrftoken"]}) as http:
                        barrier.wait()
                        answer = http.post(
                            f"http://127.0.0.1:{port}/api/v1/cases",
                            data=_claim(office, iin),
                            files={"claim": ("claim.pdf", pdf_bytes(f"claim {pair}"), "application/pdf")},
                            timeout=30,
                        )
                    assert answer.status_code == 201, answer.text
                    numbers[pair].append(answer.json()["number"])

                threads = [threading.Thread(target=file, args=(port,)) for port in ports]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            filed = [number for pair in numbers for number in pair]
            assert len(filed) == 12
            cases = list(Case.objects.filter(number__in=filed).values_list("pk", flat=True))
            assert wait_for(lambda: _all_assigned(cases), timeout=120)
    finally:
        for web in webs:
            web.terminate()
        for web in webs:
            web.wait(timeout=20)
    for filed_pair in numbers:
        first, copy = sorted(Case.objects.filter(number__in=filed_pair), key=lambda c: (c.registered_at, c.pk))
        assert copy.judge_id == first.judge_id  # the refiling rule: the copy goes to the first one's judge
        drawn = Draw.objects.filter(case=copy, status=DrawStatus.DRAWN)
        assert drawn.count() == 1  # never drawn twice
        assert drawn.get().snapshot["pool_rule"] == "refiling"
        assert Draw.objects.filter(case=first, status=DrawStatus.DRAWN).count() == 1

"""Reactions of the distribution context to the case file's events.

A registration enqueues its court's distributor task in its own transaction (ADR 0042): committed
together, so a registration is never left without the task that gives its case a judge, and a
rolled-back one leaves no task. A worker then commits the court's waiting cases in one batch
(`tasks.commit_draws`). Nothing here may fail a registration.
"""

from torelik.cases.events import CaseRegistered
from torelik.distribution import tasks
from torelik.distribution.models import Draw, DrawStatus


def distribute_registered_case(event: CaseRegistered) -> None:
    """In the registration's transaction: the court's distributor will commit the case's draw."""
    tasks.commit_draws.enqueue(court_id=event.court_id)


def complete_soon(draw: Draw) -> None:
    """Complete a newly committed draw (a redistribution) right after its round."""
    if draw.status == DrawStatus.COMMITTED:
        tasks.complete_at_rounds([draw])

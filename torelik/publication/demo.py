"""Demo publication: every demo act due for publication gets its public copy (masked, or closed by law),
and all but the two latest candidates are published, so that the search has acts and the demo clerk's
review queue is not empty."""

from dataclasses import dataclass

from torelik.publication import actions
from torelik.publication.models import PublicationStatus, PublishedAct

LEFT_FOR_REVIEW = 2


@dataclass(frozen=True)
class PublicationSeedSummary:
    prepared: int
    published: int
    closed: int
    waiting: int

    def lines(self) -> list[str]:
        return [
            f"{self.prepared} acts prepared for publication: {self.published} published, "
            f"{self.closed} closed by law, {self.waiting} waiting for review"
        ]


def seed_demo_publication() -> PublicationSeedSummary:
    prepared = actions.prepare_due_candidates(limit=10_000)
    candidates = list(PublishedAct.objects.filter(status=PublicationStatus.CANDIDATE).order_by("-decided_on", "-id"))
    for published in candidates[LEFT_FOR_REVIEW:]:
        actions.publish_for_demo(published)
    counts = {
        status: PublishedAct.objects.filter(status=status).count()
        for status in (PublicationStatus.PUBLISHED, PublicationStatus.CLOSED, PublicationStatus.CANDIDATE)
    }
    return PublicationSeedSummary(
        prepared=prepared,
        published=counts[PublicationStatus.PUBLISHED],
        closed=counts[PublicationStatus.CLOSED],
        waiting=counts[PublicationStatus.CANDIDATE],
    )

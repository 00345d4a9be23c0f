"""Reactions of the distribution context to the case file's events."""

import logging

from django.conf import settings

from torelik.cases.events import CaseRegistered
from torelik.cases.models import Case
from torelik.distribution import actions
from torelik.distribution.beacons import BeaconError

logger = logging.getLogger(__name__)


def distribute_registered_case(event: CaseRegistered) -> None:
    """After a registration commits: commit the draw's inputs, then draw once the round is out.
    Nothing here may fail the registration; what cannot finish now stays pending for
    `torelik complete-draws`."""
    try:
        case = Case.objects.get(pk=event.case_id)
        actions.distribute(case, wait=settings.TORELIK_DISTRIBUTION_WAIT)
    except BeaconError:
        logger.warning("distribution of case %s left pending", event.number, exc_info=True)
    except Exception:
        logger.exception("distribution of case %s failed; `torelik complete-draws` will retry", event.number)

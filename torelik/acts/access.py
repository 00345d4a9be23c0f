"""Who may see and do what with a judicial act, written once. An act is seen by whoever may see its
case (`cases.access`). A draft is prepared by the case's judge or by the assistant or secretary working
for that judge in the case's court today; only the case's judge signs and announces it (the signature
must then be the judge's own: `actions.sign_act`)."""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.acts.errors import ActErrorCode, ActNotFoundError
from torelik.acts.models import Act
from torelik.cases.access import cases_visible_to, staff_court_ids
from torelik.cases.models import Case
from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User

JUDICIAL_ROLES = frozenset({StaffRole.JUDGE, StaffRole.CHAIRMAN})
JUDGES_STAFF = frozenset({StaffRole.ASSISTANT, StaffRole.SECRETARY})


def acts_visible_to(user: User | None) -> QuerySet[Act]:
    return Act.objects.filter(case__in=cases_visible_to(user))


def act_for(user: User | None, act_id: uuid.UUID | str) -> Act:
    """The act if `user` may see its case, else ActNotFoundError (the act's existence is not revealed)."""
    try:
        public_id = uuid.UUID(str(act_id))
    except ValueError:
        public_id = None
    act = (
        acts_visible_to(user).select_related("case__court", "case__judge__person").filter(public_id=public_id).first()
        if public_id
        else None
    )
    # A draft, or an act signed but not yet announced, is the court's own: a party sees it once announced.
    if act is not None and act.announced_on is None and act.case.court_id not in staff_court_ids(user):
        act = None
    if act is None:
        raise ActNotFoundError(ActErrorCode.ACT_NOT_FOUND, _("There is no such judicial act."))
    return act


def is_case_judge(user: User | None, case: Case) -> bool:
    if user is None or not user.is_authenticated or case.judge is None or user.person_id is None:
        return False
    if case.judge.person_id != user.person_id:
        return False
    return positions_of(user).filter(court_id=case.court_id, role__in=JUDICIAL_ROLES).exists()


def may_draft(user: User | None, case: Case) -> bool:
    """The case's judge, or the assistant or secretary working for that judge."""
    if is_case_judge(user, case):
        return True
    if user is None or case.judge_id is None:
        return False
    return positions_of(user).filter(court_id=case.court_id, role__in=JUDGES_STAFF, judge_id=case.judge_id).exists()


def may_sign(user: User | None, case: Case) -> bool:
    return is_case_judge(user, case)


OFFICE = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN})
DELIVERY_STAFF = OFFICE | JUDGES_STAFF | JUDICIAL_ROLES


def may_record_delivery(user: User | None, case: Case) -> bool:
    """The court's office, its judges and their staff note a delivery by post or at a hearing."""
    return positions_of(user).filter(court_id=case.court_id, role__in=DELIVERY_STAFF).exists()


def may_register_appeal(user: User | None, case: Case) -> bool:
    """The court office registers an appeal brought on paper to the court that made the act."""
    return positions_of(user).filter(court_id=case.court_id, role__in=OFFICE).exists()


def may_send_appeal(user: User | None, case: Case) -> bool:
    """The first-instance court sends the case on appeal: its office, its judges and their staff."""
    return positions_of(user).filter(court_id=case.court_id, role__in=DELIVERY_STAFF).exists()


def courts_sending_appeals(user: User | None) -> list[int]:
    """The courts whose appeals `user` sees in the queue of appeals to send."""
    return list(positions_of(user).filter(role__in=DELIVERY_STAFF).values_list("court_id", flat=True).distinct())

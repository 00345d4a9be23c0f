"""The court's choice of the channel by which a party of a case is told of hearings (ADR 0070)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.acts.access import may_record_delivery
from torelik.cases.actions import record_case_event
from torelik.cases.models import REPRESENTING_ROLES, Case, CaseEventKind, Party
from torelik.core import clock
from torelik.identity.models import User
from torelik.summons.errors import SummonsError, SummonsErrorCode, SummonsForbiddenError
from torelik.summons.models import NoticeChannel, NoticeChoice


@transaction.atomic
def choose_channel(*, case: Case, party: Party, channel: str, actor: User) -> NoticeChoice:
    """The party's later subpoenas go by `channel` (AUTO: the rules choose again). Journaled."""
    if not may_record_delivery(actor, case):
        raise SummonsForbiddenError(
            SummonsErrorCode.NOT_STAFF, _("Only the court's office, its judges and their staff choose the channel.")
        )
    if party.case_id != case.pk or party.role in REPRESENTING_ROLES:
        raise SummonsError(SummonsErrorCode.MALFORMED, _("Choose a party of this case."))
    if channel not in NoticeChannel.values:
        message = _("Choose SMS, an electronic subpoena, a registered or a hybrid letter.")
        raise SummonsError(SummonsErrorCode.MALFORMED, message, fields={"channel": [str(message)]})
    choice, _created = NoticeChoice.objects.update_or_create(
        case=case, party=party, defaults={"channel": channel, "chosen_at": clock.now(), "chosen_by": actor}
    )
    record_case_event(
        case=case,
        kind=CaseEventKind.NOTICE_CHANNEL_CHOSEN,
        actor=actor,
        data={"party": str(party.public_id), "channel": channel},
    )
    return choice

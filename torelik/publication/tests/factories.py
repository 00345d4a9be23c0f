"""An announced civil decision of a heard case (the acts context's test world: the claimant Ахметова
Айгерим Сериковна, IIN 871008401427, against ТОО «Алатау Строй»), its text with the identifiers a court
writes, and the court's clerk as the reviewer. Signing is the acts context's: these acts are marked
announced directly (the publication reads the status and the signed version)."""

import datetime as dt

from torelik.acts import actions as act_actions
from torelik.acts.models import Act, ActStatus
from torelik.acts.tests.factories import World, heard_case
from torelik.courts.models import CaseCategory

DESCRIPTIVE = (
    "Истец Ахметова Айгерим Сериковна (ИИН 871008401427, 08.10.1987 г.р., проживающая по адресу: "
    "г. Алматы, мкр. Самал-2, д. 58, кв. 12, тел. +7 701 123 45 67) обратилась с иском к ТОО «Алатау Строй» "
    "о взыскании долга по договору займа. Истец Ахметова А.С. иск поддержала."
)
REASONING = "Суд, выслушав Ахметову, исследовав договор займа, приходит к выводу, что долг не возвращён."
OPERATIVE = "Иск Ахметовой Айгерим Сериковны удовлетворить. Взыскать с ТОО «Алатау Строй» 1 500 000 тенге."


def announced_decision(
    world: World | None = None, *, code: str = "0215", category: CaseCategory | None = None, on: dt.date
) -> Act:
    world = world or heard_case(code)
    if category is not None:
        world.case.category = category
        world.case.save(update_fields=["category"])
    judge = world.court.judge_user
    act = act_actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    version = act_actions.latest_version(act)
    new = act_actions.revise_act(
        act=act,
        parts={
            "title": version.title,
            "introductory": version.introductory,
            "descriptive": DESCRIPTIVE,
            "reasoning": REASONING,
            "operative": OPERATIVE,
        },
        actor=judge,
    )
    Act.objects.filter(pk=act.pk).update(status=ActStatus.ANNOUNCED, signed_version=new.number, announced_on=on)
    act.refresh_from_db()
    return act

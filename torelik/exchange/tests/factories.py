"""Acts about to enter into force (a civil decision with a writ, a criminal sentence), made directly as
the acts context leaves them once announced: what enters into force is then the acts' own daily task."""

import datetime as dt

from torelik.acts.models import Act, ActStatus, ActVersion
from torelik.acts.tests.factories import World, heard_case
from torelik.cases.models import Party, PartyRole
from torelik.cases.tests.factories import DEFENDANT_IIN
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.identity.models import Person

# Announced on Mon 16 Nov 2026 in final form: one month ends on Wed 16 Dec, Independence Day; the last
# day moves to Thu 17 Dec, and the act is in force from Fri 18 Dec 2026 (ГПК РК art. 403, 434).
FINAL_FORM_ON = dt.date(2026, 11, 16)
TERM_END = dt.date(2026, 12, 17)
IN_FORCE_ON = dt.date(2026, 12, 18)


def announced_act(world: World, kind: str, operative: str) -> Act:
    act = Act.objects.create(
        case=world.case,
        kind=kind,
        language="ru",
        status=ActStatus.ANNOUNCED,
        signed_version=1,
        sha256="ab" * 32,
        final_form_on=FINAL_FORM_ON,
        announced_on=FINAL_FORM_ON,
        appeal_term_end=TERM_END,
    )
    ActVersion.objects.create(
        act=act,
        number=1,
        title="Решение",
        introductory="Вводная часть",
        descriptive="Описательная часть",
        reasoning="Мотивировочная часть",
        operative=operative,
        created_at=clock.now(),
    )
    return act


def decision_with_writ(code: str = "0215") -> Act:
    world = heard_case(code)
    return announced_act(world, "civil-decision", "Взыскать с ТОО «Алатау Строй» 1 500 000 тенге.")


def sentence(code: str = "0216") -> Act:
    world = heard_case(code)
    case = world.case
    case.proceeding_type = ProceedingType.CRIMINAL
    case.save(update_fields=["proceeding_type"])
    person, _created = Person.objects.get_or_create(
        iin=DEFENDANT_IIN, defaults={"surname": "Сапаров", "given_name": "Ерлан", "patronymic": "Маратович"}
    )
    Party.objects.create(case=case, role=PartyRole.ACCUSED, person=person, preferred_language="ru")
    return announced_act(world, "criminal-sentence", "Назначить наказание в виде лишения свободы сроком на 3 года.")

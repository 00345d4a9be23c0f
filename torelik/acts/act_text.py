"""The first draft of an act: its four parts (introductory, descriptive, reasoning, operative) written
from the case's facts — court, judge, parties and their roles, the claim, the hearing dates — in the
language of the proceedings (Kazakh or Russian). These are the act's own words in its language, not
the interface's: they are templates per language here, not catalog strings."""

import datetime as dt
from dataclasses import dataclass

from django.utils import translation

from torelik.acts.kinds import ActKind
from torelik.cases.models import REPRESENTING_ROLES, Case, Party, PartyRole

UNITS = {
    "ru": {"months": "мес.", "days": "календарных дн.", "working_days": "рабочих дн."},
    "kk": {"months": "ай", "days": "күнтізбелік күн", "working_days": "жұмыс күні"},
}
FROM = {
    "ru": {
        "announced": "со дня оглашения",
        "final_form": "со дня вынесения в окончательной форме",
        "served": "со дня вручения копии",
    },
    "kk": {
        "announced": "жарияланған күннен бастап",
        "final_form": "түпкілікті нысанда шығарылған күннен бастап",
        "served": "көшірмесі тапсырылған күннен бастап",
    },
}
PROCEEDINGS = {
    "ru": {
        "civil": "гражданское дело",
        "criminal": "уголовное дело",
        "administrative": "административное дело",
        "administrative_offence": "дело об административном правонарушении",
    },
    "kk": {
        "civil": "азаматтық іс",
        "criminal": "қылмыстық іс",
        "administrative": "әкімшілік іс",
        "administrative_offence": "әкімшілік құқық бұзушылық туралы іс",
    },
}
HEADING = {"ru": "ИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН", "kk": "ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ АТЫНАН"}


@dataclass(frozen=True)
class Parts:
    title: str
    introductory: str
    descriptive: str
    reasoning: str
    operative: str

    def as_dict(self) -> dict[str, str]:
        return {
            "title": self.title,
            "introductory": self.introductory,
            "descriptive": self.descriptive,
            "reasoning": self.reasoning,
            "operative": self.operative,
        }


def _role(party: Party, language: str) -> str:
    with translation.override(language):
        return str(PartyRole(party.role).label)


def _names(parties: list[Party], roles: set[str]) -> str:
    return ", ".join(p.name for p in parties if p.role in roles) or "—"


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def appeal_note(kind: ActKind, language: str) -> str:
    if not kind.appealable:
        if language == "kk":
            return "Шешім түпкілікті, шағымдануға жатпайды."
        return "Акт окончательный и обжалованию не подлежит."
    term = f"{kind.appeal_amount} {UNITS[language][kind.appeal_unit]}"
    since = FROM[language][kind.appeal_from]
    if language == "kk":
        return f"Сот актісіне {since} {term} ішінде жоғары тұрған сотқа шағым берілуі мүмкін ({kind.legal_basis})."
    return f"Акт может быть обжалован в вышестоящий суд в течение {term} {since} ({kind.legal_basis})."


def first_draft(
    *, case: Case, kind: ActKind, language: str, parties: list[Party], hearing_days: list[dt.date], today: dt.date
) -> Parts:
    """The parts of a new act with the case's facts filled in; the judge writes the reasoning."""
    court = case.court.name_kk if language == "kk" else case.court.name_ru
    judge = case.judge.person.full_name if case.judge is not None else "—"
    proceeding = PROCEEDINGS[language].get(case.proceeding_type, "")
    claimants = _names(parties, {PartyRole.CLAIMANT, PartyRole.APPLICANT, PartyRole.PROSECUTOR})
    defendants = _names(parties, {PartyRole.DEFENDANT, PartyRole.ACCUSED})
    present = "; ".join(f"{_role(p, language)} — {p.name}" for p in parties if p.role not in REPRESENTING_ROLES)
    representatives = "; ".join(f"{_role(p, language)} — {p.name}" for p in parties if p.role in REPRESENTING_ROLES)
    hearings = ", ".join(_date(day) for day in hearing_days) or "—"
    amount = f"{case.claim_amount:,.2f}".replace(",", " ") if case.claim_amount is not None else ""
    subject = case.subject or "—"
    kind_name = kind.name_kk if language == "kk" else kind.name_ru
    if language == "kk":
        title = f"{kind_name.upper()}\n{HEADING['kk']}"
        introductory = (
            f"{_date(today)} ж. {court}, төрағалық етуші судья {judge}, № {case.number} {proceeding} "
            f"бойынша ашық сот отырысында {claimants} талабы бойынша {defendants} қатысты «{subject}» туралы "
            f"істі қарап. Іске қатысушылар: {present}." + (f" Өкілдер: {representatives}." if representatives else "")
        )
        descriptive = (
            f"{claimants} сотқа «{subject}» туралы талаппен жүгінді."
            + (f" Талап қою бағасы: {amount} теңге." if amount else "")
            + f" Сот отырыстары өткізілген күндер: {hearings}."
        )
        reasoning = "Іске қатысушыларды тыңдап, іс материалдарын зерттеп, сот мынадай қорытындыға келеді: …"
        operative = f"Жоғарыда баяндалғанның негізінде сот ҚАУЛЫ ЕТТІ: …\n\n{appeal_note(kind, 'kk')}"
    else:
        title = f"{kind_name.upper()}\n{HEADING['ru']}"
        introductory = (
            f"{_date(today)} г. {court} в составе председательствующего судьи {judge}, рассмотрев в открытом "
            f"судебном заседании {proceeding} № {case.number} по иску {claimants} к {defendants} о «{subject}», "
            f"с участием: {present}." + (f" Представители: {representatives}." if representatives else "")
        )
        descriptive = (
            f"{claimants} обратился в суд с требованием: «{subject}»."
            + (f" Цена иска: {amount} тенге." if amount else "")
            + f" Судебные заседания проведены: {hearings}."
        )
        reasoning = "Выслушав участников процесса, исследовав материалы дела, суд приходит к следующему: …"
        operative = f"На основании изложенного суд РЕШИЛ: …\n\n{appeal_note(kind, 'ru')}"
    return Parts(title, introductory, descriptive, reasoning, operative)

"""The documents of the demo cases: what filings and judicial acts say, in Kazakh or Russian, and
their one-page PDFs (ReportLab with the DejaVu Sans font, which has every Kazakh letter).

The wording is plausible court language, not a template any court has approved.
"""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from torelik.cases.models import CaseStatus, Instance, PartyRole
from torelik.core.fonts import FONT, REGULAR, register_fonts
from torelik.core.identifiers import Sex
from torelik.core.money import format_tenge
from torelik.courts.models import CaseCategory, Court, ProceedingType
from torelik.identity.models import Language

KK, RU = Language.KAZAKH.value, Language.RUSSIAN.value

# --- Words: (Kazakh, Russian) ------------------------------------------------------------------

_ROLE_NAMES: dict[str, tuple[str, str]] = {
    PartyRole.CLAIMANT: ("Талапкер", "Истец"),
    PartyRole.DEFENDANT: ("Жауапкер", "Ответчик"),
    PartyRole.THIRD_PARTY: ("Үшінші тұлға", "Третье лицо"),
    PartyRole.APPLICANT: ("Арыз беруші", "Заявитель"),
    PartyRole.ACCUSED: ("Айыпталушы", "Обвиняемый"),
    PartyRole.VICTIM: ("Жәбірленуші", "Потерпевший"),
    PartyRole.PROSECUTOR: ("Прокурор", "Прокурор"),
    PartyRole.LAWYER: ("Адвокат", "Адвокат"),
    PartyRole.REPRESENTATIVE: ("Өкіл", "Представитель"),
}
_OFFENDER = ("Жауапкершілікке тартылатын тұлға", "Лицо, привлекаемое к ответственности")
_TITLES: dict[str, tuple[str, str]] = {
    "claim": ("Талап арыз", "Исковое заявление"),
    "court_order_application": ("Сот бұйрығын беру туралы арыз", "Заявление о вынесении судебного приказа"),
    "special_proceedings_application": ("Ерекше іс жүргізу бойынша арыз", "Заявление по делу особого производства"),
    "complaint": ("Әкімшілік талап арыз (шағым)", "Административный иск (жалоба)"),
    "indictment": ("Айыптау актісі", "Обвинительный акт"),
    "offence_protocol": ("Әкімшілік құқық бұзушылық туралы хаттама", "Протокол об административном правонарушении"),
    "petition": ("Өтінішхат", "Ходатайство"),
    "power_of_attorney": ("Сенімхат", "Доверенность"),
    "defence_warrant": ("Қорғауға ордер", "Ордер на защиту"),
    "appeal": ("Апелляциялық шағым", "Апелляционная жалоба"),
    "cassation_petition": ("Кассациялық өтінішхат", "Кассационное ходатайство"),
    "ruling": ("Ұйғарым", "Определение"),
    "decision": ("Шешім", "Решение"),
    "sentence": ("Үкім", "Приговор"),
    "resolution": ("Қаулы", "Постановление"),
    "court_order": ("Сот бұйрығы", "Судебный приказ"),
}
_REQUESTS: dict[str, tuple[str, str]] = {
    "claim": (
        "Соттан талап қою талаптарын толық көлемде қанағаттандыруды сұраймын.",
        "Прошу суд удовлетворить исковые требования в полном объёме.",
    ),
    "court_order_application": (
        "Борышкерден берешекті өндіріп алу туралы сот бұйрығын шығаруды сұраймын.",
        "Прошу вынести судебный приказ о взыскании задолженности с должника.",
    ),
    "special_proceedings_application": (
        "Арызды ерекше іс жүргізу тәртібімен қарауды сұраймын.",
        "Прошу рассмотреть заявление в порядке особого производства.",
    ),
    "complaint": (
        "Жауапкердің әкімшілік актісін заңсыз деп тануды және оның күшін жоюды сұраймын.",
        "Прошу признать незаконным и отменить административный акт ответчика.",
    ),
    "indictment": (
        "Қылмыстық қудалау органы жеткілікті дәлелдемелер жинады; іс мәні бойынша қарау үшін сотқа жіберіледі.",
        "Органом уголовного преследования собраны достаточные доказательства; дело направляется в суд.",
    ),
    "offence_protocol": (
        "Хаттаманы уәкілетті лауазымды тұлға толтырды және ол қарау үшін сотқа жіберіледі.",
        "Протокол составлен уполномоченным должностным лицом и направляется в суд для рассмотрения.",
    ),
    "petition": (
        "Өтінішхатты сот бақылауы тәртібімен қарауды сұраймын.",
        "Прошу рассмотреть ходатайство в порядке судебного контроля.",
    ),
    "appeal": (
        "Сот актісін заңсыз және негізсіз деп санаймын; оның күшін жойып, жаңа шешім шығаруды сұраймын.",
        "Считаю судебный акт незаконным и необоснованным; прошу его отменить и вынести новое решение.",
    ),
    "cassation_petition": (
        "Сот актілерінің күшін жойып, істі жаңадан қарауға жіберуді сұраймын.",
        "Прошу отменить судебные акты и направить дело на новое рассмотрение.",
    ),
}
_WITH_ANNEX = frozenset({"claim", "court_order_application", "special_proceedings_application", "complaint"})
_ANNEX = (
    "Қосымша: жеке басын куәландыратын құжаттың көшірмесі; мемлекеттік бажды төлеу туралы түбіртек.",
    "Приложение: копия документа, удостоверяющего личность; квитанция об уплате государственной пошлины.",
)
# Procedural rulings on the way: subtitle and outcome.
_RULINGS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    CaseStatus.RETURNED: (
        ("қайтару туралы", "о возвращении"),
        ("Арыз берген тұлғаға қайтарылсын.", "Возвратить подавшему лицу."),
    ),
    CaseStatus.REFUSED: (
        ("іс жүргізуге қабылдаудан бас тарту туралы", "об отказе в принятии к производству"),
        ("Іс жүргізуге қабылдаудан бас тартылсын.", "В принятии к производству отказать."),
    ),
    CaseStatus.LEFT_WITHOUT_MOTION: (
        ("қозғалыссыз қалдыру туралы", "об оставлении без движения"),
        (
            "Қозғалыссыз қалдырылсын; кемшіліктер он жұмыс күні ішінде жойылсын.",
            "Оставить без движения; недостатки устранить в течение десяти рабочих дней.",
        ),
    ),
    CaseStatus.SUSPENDED: (
        ("іс жүргізуді тоқтата тұру туралы", "о приостановлении производства по делу"),
        ("Іс бойынша іс жүргізу тоқтатыла тұрсын.", "Производство по делу приостановить."),
    ),
    CaseStatus.CLOSED: (
        ("іс жүргізуді тоқтату туралы", "о прекращении производства по делу"),
        ("Іс бойынша іс жүргізу тоқтатылсын.", "Производство по делу прекратить."),
    ),
}
RULING_STATUSES = frozenset(_RULINGS)
_VERDICT_WORDS = {
    "ruling": ("ҰЙҒАРДЫ:", "ОПРЕДЕЛИЛ:"),
    "decision": ("ШЕШТІ:", "РЕШИЛ:"),
    "sentence": ("ҮКІМ ЕТТІ:", "ПРИГОВОРИЛ:"),
    "resolution": ("ҚАУЛЫ ЕТТІ:", "ПОСТАНОВИЛ:"),
    "court_order": ("БҰЙЫРДЫ:", "ПРИКАЗЫВАЕТ:"),
}
_DECISIONS = (
    ("Талап толық көлемде қанағаттандырылсын.", "Иск удовлетворить в полном объёме."),
    ("Талап ішінара қанағаттандырылсын.", "Иск удовлетворить частично."),
    ("Талапты қанағаттандырудан бас тартылсын.", "В удовлетворении иска отказать."),
)
_ADMINISTRATIVE_DECISIONS = (
    (
        "Жауапкердің әкімшілік актісі заңсыз деп танылып, күші жойылсын.",
        "Признать незаконным и отменить административный акт ответчика.",
    ),
    ("Талапты қанағаттандырудан бас тартылсын.", "В удовлетворении иска отказать."),
)
_ALIMONY = ("ай сайын табысының 1/4 бөлігі мөлшерінде алимент", "алименты в размере 1/4 части заработка ежемесячно")
_PUNISHMENTS = (
    ("200 АЕК мөлшеріндегі айыппұл", "штрафа в размере 200 МРП"),
    ("1 жыл мерзімге бас бостандығын шектеу", "ограничения свободы сроком на 1 год"),
    ("2 жыл мерзімге бас бостандығын шектеу", "ограничения свободы сроком на 2 года"),
    ("3 жыл мерзімге бас бостандығынан айыру", "лишения свободы сроком на 3 года"),
    ("240 сағат қоғамдық жұмыстар", "общественных работ сроком 240 часов"),
)
_HIGHER_OUTCOMES = {
    Instance.APPEAL: (
        "Бірінші сатыдағы сот актісі өзгеріссіз, апелляциялық шағым қанағаттандырусыз қалдырылсын.",
        "Акт суда первой инстанции оставить без изменения, апелляционную жалобу — без удовлетворения.",
    ),
    Instance.CASSATION: (
        "Сот актілері өзгеріссіз, кассациялық өтінішхат қанағаттандырусыз қалдырылсын.",
        "Судебные акты оставить без изменения, кассационное ходатайство — без удовлетворения.",
    ),
}
_HIGHER_TITLES = {
    Instance.APPEAL: ("Апелляциялық сатының қаулысы", "Постановление апелляционной инстанции"),
    Instance.CASSATION: ("Кассациялық соттың қаулысы", "Постановление кассационного суда"),
}
_CORRECTED = (
    ("Кемшіліктер жойылды: арыз толықтырылды.", "Недостатки устранены: заявление дополнено."),
    ("Жазба қатесі сот ұйғарымымен түзетілді.", "Описка исправлена определением суда."),
)


def pick(lang: str, pair: tuple[str, str]) -> str:
    return pair[0] if lang == KK else pair[1]


@dataclass(frozen=True)
class Participant:
    """A person (IIN) or an organisation (BIN) as filings and acts name them."""

    identifier: str
    name_ru: str
    name_kk: str
    phone: str
    address_ru: str
    address_kk: str
    language: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    sex: Sex | None = None

    @property
    def is_person(self) -> bool:
        return bool(self.surname)

    def name(self, lang: str) -> str:
        return self.name_kk if lang == KK else self.name_ru

    def short(self, lang: str) -> str:
        """`Ахметов А.Н.` for a person, the name for an organisation."""
        if not self.is_person:
            return self.name(lang)
        initials = "".join(f"{part[0]}." for part in (self.given_name, self.patronymic) if part)
        return f"{self.surname} {initials}"

    def address(self, lang: str) -> str:
        return self.address_kk if lang == KK else self.address_ru

    def describe(self, lang: str) -> str:
        label = ("ЖСН" if lang == KK else "ИИН") if self.is_person else ("БСН" if lang == KK else "БИН")
        return f"{self.name(lang)}, {label} {self.identifier}, {self.address(lang)}, тел. {self.phone}"


@dataclass(frozen=True)
class CaseStory:
    """What the documents of one case draw on: its language, court, category and parties."""

    lang: str
    court: Court
    category: CaseCategory
    proceeding_type: str
    parties: tuple[tuple[str, Participant], ...]  # (role, who), in the order of registration
    amount: Decimal | None = None

    def court_name(self, court: Court | None = None) -> str:
        court = court or self.court
        return court.name_kk if self.lang == KK else court.name_ru

    @property
    def category_name(self) -> str:
        return self.category.name_kk if self.lang == KK else self.category.name_ru

    def role_name(self, role: str) -> str:
        if role == PartyRole.DEFENDANT and self.proceeding_type == ProceedingType.ADMINISTRATIVE_OFFENCE:
            return pick(self.lang, _OFFENDER)
        return pick(self.lang, _ROLE_NAMES[role])

    def first(self, *roles: str) -> Participant:
        return next(who for role, who in self.parties if role in roles)

    def principals(self) -> str:
        """`истец — X; ответчик — Y` (representatives left out)."""
        return "; ".join(
            f"{self.role_name(role).lower()} — {who.name(self.lang)}"
            for role, who in self.parties
            if role not in (PartyRole.LAWYER, PartyRole.REPRESENTATIVE)
        )


class PdfText(NamedTuple):
    """One page: the addressee or court at the top right, a centred title, paragraphs, a signature."""

    header: str
    title: str
    subtitle: str
    body: tuple[str, ...]
    footer: str


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def title(lang: str, doc_type: str, subtitle: str = "") -> str:
    """The title a document carries in the case file: `Определение об оставлении без движения`,
    `Қозғалыссыз қалдыру туралы ұйғарым`."""
    name = pick(lang, _TITLES[doc_type])
    if not subtitle:
        return name
    return f"{subtitle[0].upper()}{subtitle[1:]} {name.lower()}" if lang == KK else f"{name} {subtitle}"


def filing_text(story: CaseStory, doc_type: str, *, filer: Participant, dated: dt.date) -> PdfText:
    """A claim, complaint, indictment, offence protocol or petition with which the case begins."""
    lang = story.lang
    body = [f"{story.role_name(role)}: {who.describe(lang)}" for role, who in story.parties]
    if story.amount is not None:
        body.append(f"{pick(lang, ('Талап бағасы', 'Цена иска'))}: {format_tenge(story.amount)}.")
    body.append(pick(lang, _REQUESTS[doc_type]))
    if doc_type in _WITH_ANNEX:
        body.append(pick(lang, _ANNEX))
    return PdfText(
        header=story.court_name(),
        title=pick(lang, _TITLES[doc_type]).upper(),
        subtitle=story.category_name,
        body=tuple(body),
        footer=f"{_date(dated)}    {filer.short(lang)}    ____________",
    )


def attorney_text(story: CaseStory, *, principal: Participant, agent: Participant, dated: dt.date) -> PdfText:
    """A power of attorney, or a lawyer's warrant to defend an accused."""
    lang, criminal = story.lang, story.proceeding_type == ProceedingType.CRIMINAL
    agent_id = f"{pick(lang, ('ЖСН', 'ИИН'))} {agent.identifier}"
    body: tuple[str, ...]
    if criminal:
        kind = "defence_warrant"
        body = (
            pick(
                lang,
                (
                    f"Адвокат {agent.name(lang)}, {agent_id}, қылмыстық іс бойынша ({story.category_name}) "
                    f"айыпталушыны қорғауды жүзеге асырады: {principal.name(lang)}.",
                    f"Адвокат {agent.name(lang)}, {agent_id}, принимает на себя защиту по уголовному делу "
                    f"({story.category_name}). {'Подзащитная' if principal.sex == Sex.FEMALE else 'Подзащитный'}: "
                    f"{principal.name(lang)}.",
                ),
            ),
        )
    else:
        kind = "power_of_attorney"
        whose = principal.describe(lang)
        body = (
            pick(
                lang,
                (
                    f"{whose} {agent.name(lang)}, {agent_id}, Қазақстан Республикасының соттарында іс бойынша "
                    "тарапқа заңмен берілген барлық құқықтармен мүддені білдіруге уәкілеттік береді.",
                    f"{whose} уполномочивает {agent.name(lang)}, {agent_id}, представлять интересы в судах "
                    "Республики Казахстан со всеми правами, предоставленными законом стороне по делу.",
                ),
            ),
            pick(
                lang,
                (
                    "Сенімхат бір жыл мерзімге қайта сенім білдіру құқығынсыз берілді.",
                    "Доверенность выдана сроком на один год без права передоверия.",
                ),
            ),
        )
    return PdfText(
        header=story.court_name(),
        title=pick(lang, _TITLES[kind]).upper(),
        subtitle="",
        body=body,
        footer=f"{_date(dated)}    {(agent if criminal else principal).short(lang)}    ____________",
    )


def attorney_title(story: CaseStory) -> str:
    kind = "defence_warrant" if story.proceeding_type == ProceedingType.CRIMINAL else "power_of_attorney"
    return pick(story.lang, _TITLES[kind])


def review_text(
    story: CaseStory, doc_type: str, *, to_court: Court, appellant: Participant, number: str, dated: dt.date
) -> PdfText:
    """An appeal (to the regional court) or a cassation petition against the acts in case `number`."""
    lang = story.lang
    return PdfText(
        header=story.court_name(to_court),
        title=pick(lang, _TITLES[doc_type]).upper(),
        subtitle=pick(lang, (f"№ {number} іс бойынша", f"по делу № {number}")),
        body=(
            f"{pick(lang, ('Шағымданушы', 'Заявитель'))}: {appellant.describe(lang)}",
            f"{pick(lang, ('Іс қаралған сот', 'Суд, рассмотревший дело'))}: {story.court_name()}; "
            f"{story.category_name}.",
            pick(lang, _REQUESTS[doc_type]),
        ),
        footer=f"{_date(dated)}    {appellant.short(lang)}    ____________",
    )


def final_act_type(proceeding_type: str, instance: str, *, court_order: bool) -> str:
    if instance != Instance.FIRST:
        return "resolution"
    if proceeding_type == ProceedingType.CRIMINAL:
        return "sentence"
    if proceeding_type == ProceedingType.ADMINISTRATIVE_OFFENCE:
        return "resolution"
    return "court_order" if court_order else "decision"


def ruling_type(proceeding_type: str) -> str:
    """Procedural acts are rulings (определение) in civil and administrative proceedings, resolutions
    (постановление) in criminal and offence proceedings."""
    if proceeding_type in (ProceedingType.CRIMINAL, ProceedingType.ADMINISTRATIVE_OFFENCE):
        return "resolution"
    return "ruling"


def ruling_subtitle(lang: str, status: str) -> str:
    return pick(lang, _RULINGS[status][0])


def final_outcome(story: CaseStory, doc_type: str, instance: str, *, choice: int, fine: int) -> str:
    """The operative part of a decision, sentence, resolution or court order (`choice` picks among
    the usual outcomes, `fine` is in MCI)."""
    lang = story.lang
    if instance != Instance.FIRST:
        return pick(lang, _HIGHER_OUTCOMES[Instance(instance)])
    if story.category.specialisation == "investigative":
        return pick(lang, ("Өтінішхат қанағаттандырылсын.", "Ходатайство удовлетворить."))
    if doc_type == "sentence":
        accused = story.first(PartyRole.ACCUSED)
        female = accused.sex == Sex.FEMALE
        punishment = _PUNISHMENTS[choice % len(_PUNISHMENTS)]
        return pick(
            lang,
            (
                f"Сотталушы {accused.name(lang)} қылмыстық құқық бұзушылық жасағаны үшін кінәлі деп танылсын "
                f"және оған {punishment[0]} түріндегі жаза тағайындалсын.",
                f"{'Подсудимая' if female else 'Подсудимый'} {accused.name(lang)} признаётся "
                f"{'виновной' if female else 'виновным'} в совершении уголовного правонарушения; "
                f"{'ей' if female else 'ему'} назначается наказание в виде {punishment[1]}.",
            ),
        )
    if story.proceeding_type == ProceedingType.ADMINISTRATIVE_OFFENCE:
        offender = story.first(PartyRole.DEFENDANT)
        female = offender.sex == Sex.FEMALE
        return pick(
            lang,
            (
                f"{offender.name(lang)} әкімшілік құқық бұзушылық жасағаны үшін кінәлі деп танылсын және оған "
                f"{fine} АЕК мөлшерінде айыппұл салынсын.",
                f"{offender.name(lang)} признаётся {'виновной' if female else 'виновным'} в совершении "
                f"административного правонарушения; налагается штраф в размере {fine} МРП.",
            ),
        )
    amount = format_tenge(story.amount) if story.amount is not None else ""
    if doc_type == "court_order":
        debtor, creditor = story.first(PartyRole.DEFENDANT), story.first(PartyRole.CLAIMANT)
        what = amount or pick(lang, _ALIMONY)
        return pick(
            lang,
            (
                f"Борышкерден ({debtor.name(lang)}) өндіріп алушының ({creditor.name(lang)}) пайдасына {what} "
                "өндіріп алынсын.",
                f"Взыскать с должника ({debtor.name(lang)}) в пользу взыскателя ({creditor.name(lang)}) {what}.",
            ),
        )
    if story.proceeding_type == ProceedingType.ADMINISTRATIVE:
        return pick(lang, _ADMINISTRATIVE_DECISIONS[choice % len(_ADMINISTRATIVE_DECISIONS)])
    outcome = _DECISIONS[choice % len(_DECISIONS)]
    if amount and outcome is not _DECISIONS[-1] and any(role == PartyRole.DEFENDANT for role, _who in story.parties):
        recovery = (
            f" Жауапкерден талапкердің пайдасына {amount} өндіріп алынсын.",
            f" Взыскать с ответчика в пользу истца {amount}.",
        )
        return pick(lang, outcome) + pick(lang, recovery)
    return pick(lang, outcome)


def act_text(
    story: CaseStory,
    doc_type: str,
    *,
    number: str,
    judge: str,
    dated: dt.date,
    city: str,
    subtitle: str = "",
    outcome: str = "",
    status: str = "",
) -> PdfText:
    """A judicial act: a procedural ruling on the way to `status`, or the final act with `outcome`."""
    lang = story.lang
    final = not status
    if status:
        outcome = pick(lang, _RULINGS[status][1])
    body = [pick(lang, ("Қазақстан Республикасының атынан", "Именем Республики Казахстан"))] if final else []
    body += [
        pick(lang, (f"№ {number} іс, {city} қ., {_date(dated)}", f"Дело № {number}, г. {city}, {_date(dated)}")),
        pick(
            lang,
            (
                f"{story.court_name()} төрағалық етуші судья {judge} құрамында іс материалдарын қарап "
                f"({story.category_name}; {story.principals()}), Қазақстан Республикасының іс жүргізу "
                "заңнамасын басшылыққа ала отырып,",
                f"{story.court_name()} в составе председательствующего судьи {judge}, рассмотрев материалы дела "
                f"({story.category_name}; {story.principals()}), руководствуясь процессуальным "
                "законодательством Республики Казахстан,",
            ),
        ),
        pick(lang, _VERDICT_WORDS[doc_type]),
        outcome,
    ]
    return PdfText(
        header=story.court_name(),
        title=pick(lang, _TITLES[doc_type]).upper(),
        subtitle=subtitle,
        body=tuple(body),
        footer=f"{pick(lang, ('Судья', 'Судья'))}    {judge}    ____________",
    )


def higher_act_title(lang: str, instance: str) -> str:
    return pick(lang, _HIGHER_TITLES[Instance(instance)])


def corrected(text: PdfText, lang: str, *, act: bool) -> PdfText:
    """The next version of a document: the same text with the correction noted."""
    return text._replace(body=(*text.body, pick(lang, _CORRECTED[1 if act else 0])))


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(text: PdfText) -> bytes:
    """One A4 page. `invariant` keeps the bytes the same for the same text (no creation date or
    random document id), so a document drawn twice is stored once."""
    register_fonts("demo document", REGULAR)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(text.title)
    canvas.setAuthor("Torelik demo")
    width, height = A4
    left, right = 25 * mm, width - 20 * mm
    y = height - 22 * mm

    def lines(value: str, size: float, span: float) -> Sequence[str]:
        found: Sequence[str] = simpleSplit(value, FONT, size, span)
        return found

    canvas.setFont(FONT, 9)
    for line in lines(text.header, 9, 85 * mm):
        canvas.drawRightString(right, y, line)
        y -= 11
    y -= 22
    canvas.setFont(FONT, 13)
    canvas.drawCentredString(width / 2, y, text.title)
    y -= 16
    canvas.setFont(FONT, 10.5)
    for line in lines(text.subtitle, 10.5, right - left):
        canvas.drawCentredString(width / 2, y, line)
        y -= 13
    y -= 12
    for paragraph in text.body:
        for line in lines(paragraph, 10.5, right - left):
            canvas.drawString(left, y, line)
            y -= 14
        y -= 5
    canvas.drawString(left, max(y - 24, 20 * mm), text.footer)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

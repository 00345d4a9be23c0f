"""A small world for the portal's tests: the Supreme Court, a regional court and a district court below it,
the loan-dispute categories of the classifier (codes of `courts/data/case_categories.json`), a judge with a
loan-dispute case, the library's editor in the Supreme Court, and a few library items — among them the
Supreme Court's normative resolution of 25 November 2016 No. 7 on bank-loan disputes."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Permission

from torelik.cases.models import Case
from torelik.cases.tests.factories import staff_user
from torelik.courts.models import CaseCategory, Court, CourtKind, StaffRole
from torelik.courts.tests.factories import CaseCategoryFactory, CourtFactory, RegionFactory
from torelik.hearings.tests.factories import Court_, case_in, court_with_staff
from torelik.identity.models import User
from torelik.portal.actions import search_text_of
from torelik.portal.models import ItemKind, ItemStatus, PracticeItem, Visibility

CIVIL = "142000000000000000"
OBLIGATIONS = "142010000000000000"
LOAN = "142010000200000000"  # Споры по договору займа
BANK_LOAN = "142010000300000000"
LABOUR = "142030000100000000"

RESOLUTION_RU = "О судебной практике рассмотрения гражданских дел по спорам, вытекающим из договоров банковского займа"
RESOLUTION_KK = "Банктік қарыз шарттарынан туындайтын даулар бойынша азаматтық істерді қараудың сот практикасы туралы"


def category(code: str, parent: CaseCategory | None, name_ru: str, name_kk: str) -> CaseCategory:
    found = CaseCategory.objects.filter(code=code).first()
    if found is None:
        return CaseCategoryFactory.create(code=code, parent=parent, name_ru=name_ru, name_kk=name_kk, name_en=name_ru)
    found.parent = parent
    found.save(update_fields=["parent"])
    return found


@dataclass
class World:
    supreme: Court
    regional: Court
    district: Court_
    loan: CaseCategory
    civil: CaseCategory
    loan_case: Case
    editor: User
    resolution: PracticeItem
    internal: PracticeItem
    labour: PracticeItem


def item(
    *,
    number: str,
    title_ru: str,
    title_kk: str,
    text_ru: str = "",
    text_kk: str = "",
    kind: str = ItemKind.RESOLUTION,
    visibility: str = Visibility.PUBLIC,
    status: str = ItemStatus.IN_FORCE,
    adopted_on: dt.date = dt.date(2016, 11, 25),
    categories: tuple[CaseCategory, ...] = (),
    is_draft: bool = False,
) -> PracticeItem:
    row = PracticeItem(
        kind=kind,
        number=number,
        adopted_on=adopted_on,
        title_ru=title_ru,
        title_kk=title_kk,
        text_ru=text_ru or title_ru,
        text_kk=text_kk or title_kk,
        visibility=visibility,
        status=status,
        lost_force_on=adopted_on + dt.timedelta(days=400) if status == ItemStatus.LOST_FORCE else None,
        is_draft=is_draft,
    )
    row.search_text = search_text_of(row)
    row.save()
    row.categories.set(categories)
    return row


def editor_in(court: Court, username: str = "editor.0001") -> User:
    user = staff_user(username, court, StaffRole.ANALYST)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="portal", codename="edit_library"))
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


def world() -> World:
    supreme = CourtFactory.create(code="0001", kind=CourtKind.SUPREME, region=RegionFactory.create(code="00"))
    regional = CourtFactory.create(
        code="0200", kind=CourtKind.REGIONAL, region=RegionFactory.create(code="03"), parent=supreme
    )
    district = court_with_staff("0215")
    Court.objects.filter(pk=district.court.pk).update(parent=regional)
    district.court.refresh_from_db()
    civil = category(CIVIL, None, "Гражданские дела", "Азаматтық істер")
    obligations = category(
        OBLIGATIONS, civil, "Споры, возникающие из обязательств", "Міндеттемелерден туындайтын даулар"
    )
    loan = category(LOAN, obligations, "Споры по договору займа", "Қарыз шарты бойынша даулар")
    bank = category(BANK_LOAN, obligations, "Споры по договору банковского займа", "Банктік қарыз шарты бойынша даулар")
    district.category = loan
    loan_case = case_in(district)
    resolution = item(
        number="7",
        title_ru=RESOLUTION_RU,
        title_kk=RESOLUTION_KK,
        text_ru="Разъяснения о взыскании задолженности по договорам банковского займа и о неустойке.",
        text_kk="Банктік қарыз шарттары бойынша берешекті өндіріп алу туралы түсіндірмелер.",
        categories=(loan, bank),
    )
    internal = item(
        number="ДЕМО-01",
        kind=ItemKind.GENERALISATION,
        visibility=Visibility.INTERNAL,
        title_ru="Обобщение практики по спорам о займах между гражданами",
        title_kk="Азаматтар арасындағы қарыз даулары практикасын қорыту",
        adopted_on=dt.date(2025, 3, 1),
        categories=(loan,),
    )
    labour_category = category(LABOUR, civil, "Трудовые споры", "Еңбек даулары")
    labour = item(
        number="9",
        title_ru="О некоторых вопросах разрешения трудовых споров",
        title_kk="Еңбек дауларын шешудің кейбір мәселелері туралы",
        adopted_on=dt.date(2017, 10, 6),
        categories=(labour_category,),
    )
    return World(
        supreme=supreme,
        regional=regional,
        district=district,
        loan=loan,
        civil=civil,
        loan_case=loan_case,
        editor=editor_in(supreme),
        resolution=resolution,
        internal=internal,
        labour=labour,
    )

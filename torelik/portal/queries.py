"""Reads of the portal: the library's search (the public acts' full text, `publication.full_text`, ADR
0106) with its filters, the practice of a case's category for the case page's panel, and the portal's
home (the announcements addressed to the reader, the latest items)."""

from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from torelik.courts.models import CaseCategory
from torelik.portal.models import Announcement, ItemKind, PracticeItem, ReadReceipt
from torelik.publication.full_text import MAX_QUERY, highlight, matching_text, ranked_text, terms_of

PAGE_SIZE = 20
PANEL_SIZE = 8


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    kind: str = ""
    category: str = ""
    status: str = ""
    page: int = 1


@dataclass(frozen=True)
class LibraryHit:
    item: PracticeItem
    snippet: SafeString


@dataclass(frozen=True)
class LibraryPage:
    hits: list[LibraryHit]
    total: int
    page: int
    pages: int


def category_and_below(code: str) -> QuerySet[CaseCategory, int]:
    """The ids of a category and of the categories below it (the classifier is at most four deep), as a
    subquery of the caller's query."""
    below = CaseCategory.objects.filter(
        Q(code=code) | Q(parent__code=code) | Q(parent__parent__code=code) | Q(parent__parent__parent__code=code)
    )
    return below.values_list("pk", flat=True)


def category_and_above(category: CaseCategory) -> QuerySet[CaseCategory, int]:
    """A category's id and those of the categories above it (the classifier is at most four deep), as a
    subquery of the caller's query."""
    above = CaseCategory.objects.filter(
        Q(pk=category.pk)
        | Q(children=category)
        | Q(children__children=category)
        | Q(children__children__children=category)
    )
    return above.values_list("pk", flat=True)


def filtered(items: QuerySet[PracticeItem], filters: LibraryFilters) -> QuerySet[PracticeItem]:
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.category:
        items = items.filter(
            pk__in=PracticeItem.categories.through.objects.filter(
                casecategory_id__in=category_and_below(filters.category)
            ).values("practiceitem_id")
        )
    return matching_text(items, filters.q)


def search(items: QuerySet[PracticeItem], filters: LibraryFilters) -> LibraryPage:
    """A page of the library's items the reader may read (`items`, from `access.library_for`) that match
    the filters: by relevance when there is a query, newest first otherwise."""
    found = filtered(items, filters)
    total = found.count()
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(1, filters.page), pages)
    window = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    if filters.q.strip():
        ordered = ranked_text(found, filters.q, fallback="id").order_by("-rank", "-adopted_on", "-id")
    else:
        ordered = found.order_by("-adopted_on", "-id")
    rows = list(ordered.defer("search_text")[window])
    terms = terms_of(filters.q[:MAX_QUERY])
    return LibraryPage(
        hits=[LibraryHit(item, highlight(item.text, terms) if terms else SafeString("")) for item in rows],
        total=total,
        page=page,
        pages=pages,
    )


def practice_for_category(items: QuerySet[PracticeItem], category: CaseCategory | None) -> list[PracticeItem]:
    """The items for a case of `category`: linked to it or to a category above it, those in force and the
    Supreme Court's resolutions first, the closest category before a broader one."""
    if category is None:
        return []
    links = PracticeItem.categories.through.objects.filter(casecategory_id__in=category_and_above(category))
    exact = PracticeItem.categories.through.objects.filter(casecategory_id=category.pk).values("practiceitem_id")
    kind_order = When_(
        When(kind=ItemKind.RESOLUTION, then=Value(0)),
        When(kind=ItemKind.GENERALISATION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    closeness = When_(When(pk__in=exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        items.filter(pk__in=links.values("practiceitem_id"))
        .annotate(kind_order=kind_order, closeness=closeness)
        .order_by("status", "closeness", "kind_order", "-adopted_on", "-id")
        .defer("search_text", "text_kk", "text_ru")[:PANEL_SIZE]
    )


def item_with_categories(items: QuerySet[PracticeItem], public_id: str) -> PracticeItem | None:
    return (
        items.prefetch_related(Prefetch("categories", CaseCategory.objects.order_by("code")))
        .filter(public_id=public_id)
        .first()
    )


def latest(items: QuerySet[PracticeItem], limit: int = 6) -> list[PracticeItem]:
    return list(items.order_by("-adopted_on", "-id").defer("search_text", "text_kk", "text_ru")[:limit])


def with_read_marks(
    announcements: QuerySet[Announcement], user_id: int, limit: int = 20
) -> list[tuple[Announcement, bool]]:
    """The latest announcements, each with whether `user_id` has read it."""
    rows = list(announcements.select_related("court").order_by("-published_at", "-id")[:limit])
    read = set(
        ReadReceipt.objects.filter(user_id=user_id, announcement__in=rows).values_list("announcement_id", flat=True)
    )
    return [(row, row.pk in read) for row in rows]


def drafts_of(courts: list[int]) -> list[Announcement]:
    return list(Announcement.objects.filter(court_id__in=courts, published_at=None).order_by("-updated_at")[:20])


def receipts_of(announcement: Announcement) -> list[ReadReceipt]:
    return list(announcement.receipts.select_related("user").order_by("read_at"))

"""The internal portal (issue 28): the practice library's search over a few thousand items (the public
acts' full text, `publication.full_text`: a Russian word, a Kazakh word, a phrase with a category filter,
as staff), and the case page's panel "Practice on this category" (the whole request of its fragment, the
case opened as staff and logged, and the items' read alone). In-process, on a database of its own dropped
afterwards (a temporary SQLite file, or a new database on the PostgreSQL server of DATABASE_URL). Run
alone: `python -m bench.portal`."""

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence

from bench import database
from bench.latency import percentile

# The words of the items' texts: each is in many items, as a court's vocabulary is; RARE words are in one
# item of a hundred.
WORDS_RU = [
    "займ", "договор", "банковского", "займа", "неустойка", "вознаграждение", "поручитель", "залог", "ипотека",
    "взыскание", "задолженности", "трудовой", "увольнение", "заработная", "плата", "алименты", "брак", "наследство",
    "завещание", "аренда", "подряд", "поставка", "мошенничество", "кража", "наказание", "содержание", "под",
    "стражей", "доказательства", "срок", "исковой", "давности", "апелляция", "суд", "решение", "истец", "ответчик",
    "требование", "иск", "сторона", "обязательство", "исполнение", "ущерб", "возмещение", "право", "собственность",
]  # fmt: skip
WORDS_KK = [
    "қарыз", "шарт", "банктік", "тұрақсыздық", "айыбы", "сыйақы", "кепілгер", "кепіл", "ипотека", "өндіріп", "алу",
    "берешек", "еңбек", "шарты", "жұмыстан", "шығару", "жалақы", "алимент", "неке", "мұра", "өсиет", "жалдау",
    "мердігерлік", "жеткізу", "алаяқтық", "ұрлық", "жаза", "дәлелдеме", "талап", "қою", "мерзімі", "апелляция",
    "сот", "шешім", "талапкер", "жауапкер", "міндеттеме", "орындау", "залал", "өтеу", "құқық", "меншік",
]  # fmt: skip
RARE_RU = "реструктуризация"
RARE_KK = "қайтақұрылымдау"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("portal")
    group.add_argument("--portal-items", type=int, default=3000, help="items in the practice library")
    group.add_argument("--portal-samples", type=int, default=200, help="operations measured per kind")


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    out = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        out.append(time.perf_counter() - started)
    return sorted(out)


def _line(label: str, ordered: Sequence[float]) -> str:
    return f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"


def _fill(count: int) -> None:
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory
    from torelik.portal.actions import search_text_of
    from torelik.portal.models import ItemKind, PracticeItem, Visibility

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    categories = list(CaseCategory.objects.values_list("pk", flat=True))
    pick = random.Random(28)  # noqa: S311 - a benchmark's data, not a secret
    kinds = list(ItemKind.values)
    rows = []
    for n in range(count):
        rare = n % 100 == 0
        ru = " ".join(pick.sample(WORDS_RU, 30)) + (f" {RARE_RU}" if rare else "")
        kk = " ".join(pick.sample(WORDS_KK, 30)) + (f" {RARE_KK}" if rare else "")
        item = PracticeItem(
            kind=kinds[n % len(kinds)],
            number=f"Б-{n}",
            adopted_on=dt.date(2000, 1, 1) + dt.timedelta(days=n % 9000),
            title_ru=" ".join(pick.choice(WORDS_RU) for _ in range(8)),
            title_kk=" ".join(pick.choice(WORDS_KK) for _ in range(8)),
            text_ru=ru,
            text_kk=kk,
            visibility=Visibility.PUBLIC if n % 3 else Visibility.INTERNAL,
        )
        item.search_text = search_text_of(item)
        rows.append(item)
    PracticeItem.objects.bulk_create(rows, batch_size=1000)
    through = PracticeItem.categories.through
    through.objects.bulk_create(
        [
            through(practiceitem_id=item.pk, casecategory_id=category)
            for item in rows
            for category in pick.sample(categories, 3)
        ],
        batch_size=5000,
    )


def _measure(args: argparse.Namespace) -> None:
    from django.test import Client

    from torelik.cases.models import Case
    from torelik.courts.models import CaseCategory, Court, Judge, StaffRole
    from torelik.identity.models import Person, User
    from torelik.portal import access, queries

    started = time.perf_counter()
    _fill(args.portal_items)
    print(f"  filled {args.portal_items} library items in {time.perf_counter() - started:.1f} s")
    court = Court.objects.order_by("code").first()
    assert court is not None  # noqa: S101 - the registry is loaded
    loan = CaseCategory.objects.get(code="142010000200000000")
    person = Person.objects.create(iin="800101300000", surname="Судья", given_name="Бас")
    judge_user = User.objects.create_user(username="judge", password="a-long-passphrase-1", person=person)  # noqa: S106
    judge_user.positions.create(court=court, role=StaffRole.JUDGE)
    judge = Judge.objects.create(person=person, court=court)
    case = Case.objects.create(
        number=f"{court.code}-27-00-2/1", court=court, year=2027, type_code="2", sequence=1, proceeding_type="civil",
        category=loan, judge=judge, status="accepted", registered_at=dt.datetime(2027, 1, 11, 5, tzinfo=dt.UTC),
    )  # fmt: skip
    staff_items = access.library_for(judge_user)
    public_items = access.library_for(None)
    searches = [
        ("a common Russian word (most items), as staff", staff_items, queries.LibraryFilters(q="неустойку")),
        ("a common Kazakh word (most items), as staff", staff_items, queries.LibraryFilters(q="тұрақсыздық")),
        ("a rare Russian word (1% of items), as staff", staff_items, queries.LibraryFilters(q=RARE_RU)),
        ("a rare Kazakh word (1% of items), as staff", staff_items, queries.LibraryFilters(q=RARE_KK)),
        ("a rare Russian word, the public", public_items, queries.LibraryFilters(q=RARE_RU)),
        (
            "a phrase with a category filter, as staff",
            staff_items,
            queries.LibraryFilters(q='"банковского займа"', category="142010000000000000"),
        ),
    ]
    for label, items, filters in searches:
        found = queries.search(items, filters).total

        def one(_index: int, items: object = items, filters: queries.LibraryFilters = filters) -> None:
            queries.search(items, filters)  # type: ignore[arg-type]

        print(_line(f"library search, {label}, {found} found", _timed(args.portal_samples, one)))
    client = Client(SERVER_NAME="localhost")
    client.force_login(judge_user)
    url = f"/ru/portal/cases/{case.number}/practice/"
    first = client.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200, first.status_code  # noqa: S101
    panel = _timed(args.portal_samples, lambda _i: client.get(url, headers={"HX-Request": "true"}))
    print(_line("case page panel: the fragment's request (case opened as staff, logged)", panel))
    acts_url = f"/ru/acts/cases/{case.number}/"
    assert client.get(acts_url, headers={"HX-Request": "true"}).status_code == 200  # noqa: S101
    acts_panel = _timed(args.portal_samples, lambda _i: client.get(acts_url, headers={"HX-Request": "true"}))
    print(_line("floor: the acts' panel of the same case page (the fragment's request)", acts_panel))
    reads = _timed(args.portal_samples, lambda _i: queries.practice_for_category(staff_items, loan))
    print(_line("case page panel: the items' read alone", reads))
    healthz = _timed(args.portal_samples, lambda _i: client.get("/healthz"))
    print(_line("floor: a request to /healthz through the same client", healthz))
    floor = _timed(args.portal_samples, lambda _i: Court.objects.filter(code=court.code).exists())
    print(_line("floor: one indexed query", floor))


def run(args: argparse.Namespace) -> None:
    argv = ["--portal-items", str(args.portal_items)]
    argv += ["--portal-samples", str(args.portal_samples)]
    database.measured_apart(
        "portal", "Portal: the practice library's search, the case page's practice panel", argv, lambda: _measure(args)
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.portal", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()

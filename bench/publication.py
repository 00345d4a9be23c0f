"""Publication of acts: (a) the masking measured on the annotated sample of 50 acts (precision and
recall per kind of identifier) and its speed in KB of act text per second; (b) the public search over a
generated corpus of published acts of realistic length (2–20 KB, Russian and Kazakh): building the
corpus and its full-text index with progress shown, then p50/p95 of one-word, three-word and phrase
queries, each with its facets' counts, and of a query filtered by court and year.

On PostgreSQL when DATABASE_URL names one (a throw-away database on that server: the `russian` and
`kazakh` configurations, a GIN index over a generated tsvector), else on a temporary SQLite file (the
fallback). Issue 22 asks for one million acts: `python -m bench.publication --publication-acts 1000000`.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext

from bench.latency import percentile

RU = [
    "Суд, выслушав стороны и исследовав представленные доказательства, приходит к выводу о частичном удовлетворении иска",  # noqa: E501 - data
    "Между сторонами заключён договор займа, по условиям которого ответчик обязался вернуть сумму долга в установленный срок",  # noqa: E501 - data
    "Ответчик обязательства не исполнил, доводы о безденежности договора не подтверждены",
    "В силу статьи 272 Гражданского кодекса обязательство должно исполняться надлежащим образом",
    "Требование о взыскании неустойки подлежит уменьшению с учётом статьи 297",
    "Трудовой договор расторгнут работодателем без законных оснований, работник подлежит восстановлению",
    "Расходы по оплате государственной пошлины взыскиваются с ответчика пропорционально удовлетворённой части.",
]
KK = [
    "Сот тараптарды тыңдап, ұсынылған дәлелдемелерді зерттеп, талапты ішінара қанағаттандыру туралы қорытындыға келді",
    "Тараптар арасында қарыз шарты жасалған, оның талаптары бойынша жауапкер қарыз сомасын белгіленген мерзімде қайтаруға міндеттенді",  # noqa: E501 - data
    "Жауапкер міндеттемелерді орындамады, шарттың ақшасыздығы туралы дәлелдер расталмады",
    "Азаматтық кодекстің 272-бабына сәйкес міндеттеме тиісінше орындалуға тиіс",
    "Еңбек шарты жұмыс берушінің бастамасымен заңды негізсіз бұзылды, қызметкер жұмысқа қайта алынуға тиіс",
    "Мемлекеттік баж төлеу жөніндегі шығыстар жауапкерден өндіріледі.",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("publication")
    group.add_argument("--publication-acts", type=int, default=20_000, help="published acts in the corpus")
    group.add_argument("--publication-queries", type=int, default=50, help="queries measured per shape")
    group.add_argument(
        "--publication-reuse",
        default="",
        help="a PostgreSQL URL of a kept bench database: its corpus is topped up to --publication-acts, not rebuilt",
    )


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {percentile(ordered, 50) * 1000:7.1f} ms  p95 {percentile(ordered, 95) * 1000:7.1f} ms"


def _masking() -> None:
    from torelik.publication.annotated import measure, sample
    from torelik.publication.depersonalise import find_spans

    acts = sample()
    print(
        f"  (a) masking, annotated sample of {len(acts)} acts (kk {sum(a.language == 'kk' for a in acts)}, "
        f"ru {sum(a.language == 'ru' for a in acts)})"
    )
    for kind, score in measure(acts).items():
        print(
            f"      {kind:<11} expected {score.expected:4d}  masked {score.found:4d}  "
            f"recall {score.recall * 100:6.1f} %  precision {score.precision * 100:6.1f} %"
        )
    size = len("\n".join(a.text for a in acts).encode()) * 5
    find_spans(acts[0].text, language="ru")  # the recogniser's models loaded once per process, not timed
    for recognise, what in ((True, "with the recogniser (ADR 0112)"), (False, "rules alone")):
        started = time.perf_counter()
        for a in acts * 5:
            find_spans(a.text, language=a.language, people=a.people, recognise=recognise)
        elapsed = time.perf_counter() - started
        print(f"      speed {size / 1024 / elapsed:8.0f} KB/s of act text, {what}")


def _text(rng: random.Random, language: str) -> str:
    pool = KK if language == "kk" else RU
    size = rng.randint(2_000, 20_000)
    out: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(pool) + ". "
        out.append(sentence)
        length += len(sentence.encode())
    return "".join(out)


def _corpus(count: int) -> None:  # noqa: PLR0915 - one generator, read top to bottom
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from torelik.acts.models import Act, ActStatus
    from torelik.cases.models import Case, CaseStatus
    from torelik.courts.models import CaseCategory, Court
    from torelik.publication.models import PublicationStatus, PublishedAct

    have = PublishedAct.objects.filter(status=PublicationStatus.PUBLISHED).count()
    if have:
        print(f"      kept corpus: {have:,d} published acts already there")
    else:
        call_command("seed_demo", cases=0, allow_published_password=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    courts = list(Court.objects.select_related("region")[:60])
    categories = list(
        CaseCategory.objects.filter(proceeding_type="civil", code__startswith="1420").exclude(
            code__startswith="1420400"
        )[:30]
    )
    rng = random.Random(22)
    now = timezone.now()
    batch = 2_000
    started = time.perf_counter()
    made = have
    while made < count:
        n = min(batch, count - made)
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                [
                    Case(
                        number=f"B{made + i:09d}",
                        court=courts[(made + i) % len(courts)],
                        year=2020 + (made + i) % 7,
                        type_code="2",
                        sequence=made + i,
                        proceeding_type="civil",
                        category=categories[(made + i) % len(categories)],
                        status=CaseStatus.DECIDED,
                        registered_at=now,
                    )
                    for i in range(n)
                ]
            )
            acts = Act.objects.bulk_create(
                [
                    Act(
                        case=c, kind="civil-decision", language="kk" if i % 3 == 0 else "ru", status=ActStatus.ANNOUNCED
                    )
                    for i, c in enumerate(cases)
                ]
            )
            rows = []
            for i, (case, act) in enumerate(zip(cases, acts, strict=True)):
                text = _text(rng, act.language)
                day = dt.date(2020 + i % 7, 1 + i % 12, 1 + i % 28)
                rows.append(
                    PublishedAct(
                        act=act,
                        public_id=act.public_id,
                        status=PublicationStatus.PUBLISHED,
                        language=act.language,
                        court=case.court,
                        region=case.court.region,
                        category=case.category,
                        proceeding_type="civil",
                        instance="first",
                        kind="civil-decision",
                        case_number=case.number,
                        decided_on=day,
                        year=day.year,
                        title="РЕШЕНИЕ" if act.language == "ru" else "ШЕШІМ",
                        source_text="",
                        text=text,
                        search_text=text.lower(),
                        prepared_at=now,
                        published_at=now,
                    )
                )
            PublishedAct.objects.bulk_create(rows)
        made += n
        rate = (made - have) / (time.perf_counter() - started)
        print(f"\r      corpus {made:>9,d} / {count:,d} acts  {rate:7.0f} acts/s", end="", flush=True)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the bench's own database: ANALYZE for the planner
            cursor.execute("ANALYZE")
    print(f"      corpus and index built in {time.perf_counter() - started:.1f} s ({connection.vendor})")


def _queries(runs: int) -> None:
    from torelik.courts.models import Court
    from torelik.publication import queries

    court = Court.objects.order_by("code").first()
    shapes = {
        "one word": ["займа", "договор", "шарты", "неустойки", "қызметкер"],
        "three words": ["договор займа долга", "трудовой договор восстановлению", "қарыз шарты жауапкер"],
        "phrase": ['"договор займа"', '"государственной пошлины"', '"еңбек шарты"'],
    }
    for name, words in shapes.items():
        samples, totals = [], []
        for n in range(runs):
            t0 = time.perf_counter()
            result = queries.search(queries.Filters(q=words[n % len(words)]), language="ru")
            samples.append(time.perf_counter() - t0)
            totals.append(result.total)
        print(f"      {name:<12} with facets  {_ms(samples)}  (hits {min(totals):,d}–{max(totals):,d})")
    samples = []
    for n in range(runs):
        t0 = time.perf_counter()
        queries.search(queries.Filters(q="займа", court=court.code if court else "", year=2020 + n % 7), language="ru")
        samples.append(time.perf_counter() - t0)
    print(f"      word + court + year      {_ms(samples)}")
    samples = []
    for _n in range(runs):
        t0 = time.perf_counter()
        queries.search(queries.Filters(q="займа"), language="ru", with_facets=False)
        samples.append(time.perf_counter() - t0)
    print(f"      one word, no facets      {_ms(samples)}")
    first = queries.search(queries.Filters(q="займа"), language="ru", with_facets=False)
    samples = []
    for _n in range(runs):
        t0 = time.perf_counter()
        queries.search(queries.Filters(q="займа", after=first.next_after), language="ru", with_facets=False)
        samples.append(time.perf_counter() - t0)
    print(f"      one word, next page (keyset)  {_ms(samples)}")
    samples = []
    for n in range(runs):
        t0 = time.perf_counter()
        queries.search(queries.Filters(q=shapes["one word"][n % 5], sort="relevance"), language="ru")
        samples.append(time.perf_counter() - t0)
    print(f"      one word by relevance    {_ms(samples)}  (ranked up to {queries.RANK_CAP:,d} matches)")
    _floor(shapes["one word"], runs)


def _floor(words: list[str], runs: int) -> None:
    """The floor in the same run: a bare count of the tsquery's matches through the GIN index, no guard,
    no facet, no page (what any exact count of a word costs on this server)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    statement = (
        "SELECT count(*) FROM publication_publishedact WHERE search_tsv @@ "
        "(websearch_to_tsquery('russian', %s) || websearch_to_tsquery('kazakh', %s))"
    )
    samples, totals = [], []
    with connection.cursor() as cursor:
        for n in range(runs):
            word = words[n % len(words)]
            t0 = time.perf_counter()
            cursor.execute(statement, [word, word])
            totals.append(cursor.fetchone()[0])
            samples.append(time.perf_counter() - t0)
    print(f"      floor: bare count(*) of one word over GIN  {_ms(samples)}  (hits {min(totals):,d}–{max(totals):,d})")


def _measure(args: argparse.Namespace) -> None:
    from bench.database import throwaway_database

    print("Publication of acts (bench/publication.py)")
    with nullcontext(args.publication_reuse) if args.publication_reuse else throwaway_database("publication") as url:
        os.environ["DATABASE_URL"] = url
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        _masking()
        print(f"  (b) search over {args.publication_acts:,d} published acts of 2–20 KB (kk and ru)")
        _corpus(args.publication_acts)
        _queries(args.publication_queries)
        from django.db import connections

        connections.close_all()


def run(args: argparse.Namespace) -> None:
    command = [sys.executable, "-m", "bench.publication", "--publication-acts", str(args.publication_acts)]
    command += ["--publication-queries", str(args.publication_queries), "--in-process"]
    if args.publication_reuse:
        command += ["--publication-reuse", args.publication_reuse]
    subprocess.run(command, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"})  # noqa: S603


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.publication", description=__doc__)
    add_arguments(parser)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        _measure(args)
    else:
        run(args)


if __name__ == "__main__":
    main()

"""`python -m bench` (`make bench`): every benchmark in turn, with one set of options."""

import argparse
from collections.abc import Sequence

from bench import (
    access,
    acts,
    apostille,
    audit,
    cases,
    court_day,
    courts_api,
    deadlines,
    distribution,
    eds,
    exchange,
    exchange_inbound,
    filing,
    hearings,
    helpline,
    log,
    national,
    notifications,
    operations,
    personnel,
    portal,
    post,
    public_reads,
    publication,
    startup,
    statistics,
    summons,
    workers,
)
from bench.server import BenchError


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Torelik's benchmarks: figures, no verdicts.")
    courts_api.add_arguments(parser)
    startup.add_arguments(parser)
    court_day.add_arguments(parser)
    cases.add_arguments(parser)
    deadlines.add_arguments(parser)
    distribution.add_arguments(parser)
    hearings.add_arguments(parser)
    filing.add_arguments(parser)
    summons.add_arguments(parser)
    helpline.add_arguments(parser)
    portal.add_arguments(parser)
    access.add_arguments(parser)
    personnel.add_arguments(parser)
    notifications.add_arguments(parser)
    post.add_arguments(parser)
    eds.add_arguments(parser)
    log.add_arguments(parser)
    workers.add_arguments(parser)
    acts.add_arguments(parser)
    public_reads.add_arguments(parser)
    publication.add_arguments(parser)
    operations.add_arguments(parser)
    audit.add_arguments(parser)
    national.add_arguments(parser)
    statistics.add_arguments(parser)
    apostille.add_arguments(parser)
    exchange_inbound.add_arguments(parser)
    exchange.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        courts_api.run(args)
        print()
        startup.run(args)
        print()
        court_day.run(args)
        print()
        cases.run(args)
        print()
        deadlines.run(args)
        print()
        distribution.run(args)
        print()
        hearings.run(args)
        print()
        filing.run(args)
        print()
        summons.run(args)
        print()
        helpline.run(args)
        print()
        portal.run(args)
        access.run(args)
        personnel.run(args)
        print()
        notifications.run(args)
        print()
        post.run(args)
        print()
        eds.run(args)
        print()
        log.run(args)
        print()
        workers.run(args)
        print()
        acts.run(args)
        print()
        public_reads.run(args)
        print()
        publication.run(args)
        print()
        operations.run(args)
        print()
        audit.run(args)
        print()
        national.run(args)
        statistics.run(args)
        print()
        apostille.run(args)
        exchange_inbound.run(args)
        exchange.run(args)
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from error


if __name__ == "__main__":
    main()

"""`torelik simulate-distribution --judges N --cases M [--seed S]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.distribution.simulation import simulate


class Command(BaseCommand):
    help = "Simulate a court drawing M cases among N judges with assign/v1 and print how even the load is."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--judges", type=int, required=True)
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-chairman", action="store_true", help="every judge at a full share")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["judges"] < 1 or options["cases"] < 1:
            raise CommandError("--judges and --cases must be positive")
        result = simulate(
            judges=options["judges"], cases=options["cases"], seed=options["seed"], chairman=not options["no_chairman"]
        )
        self.stdout.write(f"judges {result.judges}, cases {result.cases}")
        self.stdout.write(f"weighted cases per full share: {result.weighted_per_judge:.1f}")
        self.stdout.write(f"coefficient of variation of load: {result.load_cv * 100:.2f} %")
        self.stdout.write(f"max/min load: {result.max_min:.4f}")
        self.stdout.write(f"highest single-judge chance seen: {result.highest_chance:.4f} (2/n = {result.bound:.4f})")
        self.stdout.write(f"draw + probabilities p95: {result.draw_p95_ms:.3f} ms")

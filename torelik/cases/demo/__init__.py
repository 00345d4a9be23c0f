"""Demo cases: a few thousand cases across the demo court network, in every status, with parties,
documents, links between instances and a real journal.

Every case goes through the case-file actions: `register_case` as the court's demo clerk (or its
chairman), `record_assignment`, `change_status` along `statuses.TRANSITIONS`, `add_document`,
`correct_document` and `link_cases`, each with the clock frozen at its moment, so the journal
reads like a year of the court's work. Everything is drawn from a fixed seed: the same network on
the same day gives the same cases. People and companies are invented; their IINs and BINs are
valid by the check-digit rule. For development and demonstration only; `torelik seed_demo` calls it.
"""

from torelik.cases.demo.seeding import (
    DEMO_CASE_COUNT,
    PLACEHOLDER_ASSIGNMENT,
    CaseSeedSummary,
    demo_cases_exist,
    seed_demo_cases,
)

__all__ = ["DEMO_CASE_COUNT", "PLACEHOLDER_ASSIGNMENT", "CaseSeedSummary", "demo_cases_exist", "seed_demo_cases"]

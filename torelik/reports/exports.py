"""Every table of a statistics page as CSV and as an XLSX workbook (openpyxl): the raw numbers (no
grouping, a dot for decimals) under translated headings, each figure with its definition."""

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook

from torelik.reports.dashboard import Dashboard, Level

if TYPE_CHECKING:
    from torelik.reports.committee import CommitteeReport

Table = tuple[list[str], list[Sequence[object]]]
TABLES = ("figures", "age", "proceedings", "categories", "months", "helpline", "places")


def _value(value: object) -> object:
    return "" if value is None else value


def tables(board: Dashboard) -> dict[str, Table]:
    place_heading = {Level.REGION: _("Region"), Level.COURT: _("Court"), Level.JUDGE: _("Judge")}.get(
        board.children_level, _("Place")
    )
    out: dict[str, Table] = {
        "figures": (
            [_("Group"), _("Figure"), _("Value"), _("Unit"), _("Definition")],
            [[f.group_label, f.label, _value(f.value), f.unit, f.description] for f in board.figures],
        ),
        "age": ([_("Age of the case"), _("Pending")], [[r.label, *r.values] for r in board.by_age]),
        "proceedings": ([_("Proceedings"), _("Pending")], [[r.label, *r.values] for r in board.by_proceeding]),
        "categories": ([_("Category"), _("Pending")], [[r.label, *r.values] for r in board.by_category]),
        "months": (
            [_("Month"), _("Instituted"), _("Disposed")],
            [[m.month.strftime("%Y-%m"), m.instituted, m.disposed] for m in board.months],
        ),
    }
    if board.helpline_categories:
        out["helpline"] = (
            [_("Helpline category"), _("Code"), _("Calls")],
            [[r.label, r.code, *r.values] for r in board.helpline_categories],
        )
    if board.children:
        headings = [place_heading, _("Code"), _("Pending")]
        if board.children_level != Level.JUDGE:
            headings += [_("Instituted"), _("Disposed")]
        out["places"] = (headings, [[r.label, r.code, *r.values] for r in board.children])
    return out


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headings, rows = table
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # with a BOM: spreadsheet programs then read UTF-8


def xlsx_bytes(board: Dashboard) -> bytes:
    """Every table of the page, a sheet each."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for name, (headings, rows) in tables(board).items():
        sheet = book.create_sheet(title=name)
        sheet.append(headings)
        for row in rows:
            sheet.append([_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def committee_table(report: "CommitteeReport") -> Table:
    """The report's form as one table: the row's number and name, a column per proceeding type and the total."""
    headings = [_("Row"), _("Indicator"), *[c.label for c in report.columns]]
    return headings, [[r.number, r.label, *(_value(v) for v in r.values)] for r in report.rows]


def committee_xlsx(report: "CommitteeReport") -> bytes:
    """The form on one sheet (with the period, the place and the filing court above it), the rows'
    definitions on a second."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "form"
    sheet.append([_("Report on the movement of cases")])
    sheet.append([_("Period"), report.period.text, report.period.start.isoformat(), report.period.end.isoformat()])
    sheet.append([_("Place"), report.scope.name, report.scope.code])
    sheet.append([_("Filed by"), report.signer.court_name, report.signer.court_code])
    sheet.append([])
    headings, rows = committee_table(report)
    sheet.append(headings)
    sheet.append(["", "", *[c.number for c in report.columns]])
    for row in rows:
        sheet.append(list(row))
    definitions = book.create_sheet(title="definitions")
    definitions.append([_("Row"), _("Indicator"), _("Definition")])
    for r in report.rows:
        definitions.append([r.number, r.label, r.description])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The public copy of an act as a PDF (issue 22): the acts context's renderer (ADR 0050) given the
depersonalised text — never the signed one — under a note that it is a depersonalised copy, with a QR
code of its public page. Only what `queries.public_act` lets the public read is ever rendered."""

from torelik.acts.act_pdf import PrintedAct, render_act_pdf
from torelik.publication.models import PublishedAct


def public_pdf(published: PublishedAct, *, page_url: str) -> bytes:
    """The PDF of the public text: its first block (the act's heading, masked like the rest) as the
    title, the remaining blocks as the body, the court's name and the judge's (kept by law)."""
    language = published.language
    blocks = published.text.split("\n\n", 1)
    title, body = (blocks[0], blocks[1]) if len(blocks) == 2 else (published.title, published.text)  # noqa: PLR2004
    case = published.act.case
    judge = case.judge.person.full_name if case.judge is not None and case.judge.person is not None else "—"
    court = published.court.name_kk if language == "kk" else published.court.name_ru
    return render_act_pdf(
        PrintedAct(
            language=language,
            court=court,
            number=published.case_number,
            dated=published.decided_on.strftime("%d.%m.%Y"),
            title=title,
            introductory=body,
            descriptive="",
            reasoning="",
            operative="",
            judge=judge,
            verify_url=page_url,
            public_copy=True,
        )
    )

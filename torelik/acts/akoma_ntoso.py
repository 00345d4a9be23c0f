"""An act as Akoma Ntoso 3.0 (OASIS LegalDocML) `judgment`: FRBR identification (work, expression in
the act's language, manifestation), the header, and the four parts mapped to the judgment body's
elements (introductory → introduction, descriptive → background, reasoning → motivation,
operative → decision)."""

import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML, never parse it

from torelik.acts.models import Act, ActVersion

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LANGUAGES = {"kk": "kaz", "ru": "rus", "en": "eng"}


def _e(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def _paragraphs(parent: ET.Element, text: str) -> None:
    for block in (b.strip() for b in text.split("\n\n")):
        if block:
            _e(parent, "p").text = block


def akoma_ntoso(act: Act, version: ActVersion) -> bytes:
    ET.register_namespace("", NS)
    language = LANGUAGES.get(act.language, "rus")
    day = (act.signed_at or act.created_at).date().isoformat()
    work = f"/akn/kz/judgment/{act.case.court.code}/{day}/{act.case.number.replace('/', '-')}"
    root = ET.Element(f"{{{NS}}}akomaNtoso")
    judgment = _e(root, "judgment", name=act.kind)
    meta = _e(judgment, "meta")
    identification = _e(meta, "identification", source="#torelik")
    for level, this in (
        ("FRBRWork", work),
        ("FRBRExpression", f"{work}/{language}@{day}"),
        ("FRBRManifestation", f"{work}/{language}@{day}/main.xml"),
    ):
        element = _e(identification, level)
        _e(element, "FRBRthis", value=this)
        _e(element, "FRBRuri", value=this)
        _e(element, "FRBRdate", date=day, name="signature" if act.signed_at else "draft")
        _e(element, "FRBRauthor", href=f"#court-{act.case.court.code}")
        if level == "FRBRWork":
            _e(element, "FRBRcountry", value="kz")
        if level == "FRBRExpression":
            _e(element, "FRBRlanguage", language=language)
    references = _e(meta, "references", source="#torelik")
    _e(
        references,
        "TLCOrganization",
        eId=f"court-{act.case.court.code}",
        href=f"/court/{act.case.court.code}",
        showAs=act.case.court.name_ru,
    )
    _e(references, "TLCOrganization", eId="torelik", href="/torelik", showAs="Torelik")
    header = _e(judgment, "header")
    _e(header, "p").text = version.title.replace("\n", " ")
    docket = _e(header, "p")
    number = _e(docket, "docNumber")
    number.text = act.case.number
    body = _e(judgment, "judgmentBody")
    for tag, text in (
        ("introduction", version.introductory),
        ("background", version.descriptive),
        ("motivation", version.reasoning),
        ("decision", version.operative),
    ):
        _paragraphs(_e(body, tag), text)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written

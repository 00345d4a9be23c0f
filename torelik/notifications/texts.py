"""The texts of the messages, in kk, ru and en, rendered in the recipient's language.

Payload keys of each template (all values strings, already formatted for the recipient):

- ``hearing_summons``: ``court`` (name), ``date`` (dd.mm.yyyy), ``time`` (HH:MM), ``role`` (the
  participant's procedural role, in the recipient's language), ``case_number``, ``code`` (the
  subpoena code), ``url`` (address of the public subpoena page).
- ``document_received``: ``case_number``, ``document`` (its title), ``url`` (where to read it).
- ``claim_filed_against_you``: ``court``, ``case_number``, ``login``, ``password`` (one-time),
  ``url`` (where to study the documents), ``until`` (dd.mm.yyyy, last day the login works).
- ``filing_registered``: ``court``, ``case_number``, ``url`` (where the filer follows the case).
- ``term_reminder``: ``case_number``, ``term`` (what is due, e.g. "appeal"), ``date`` (dd.mm.yyyy, last day).
- ``confirmation_code``: ``code``, ``purpose`` (what the code confirms, in the recipient's language).
- ``helpline_answer``: ``number`` (the request's number), ``url`` (where the caller reads the answer).

SMS texts are kept short: a Cyrillic text is sent as UCS-2, 70 characters per segment (67 when split).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.notifications.errors import NotificationError, NotificationErrorCode
from torelik.notifications.models import Template

PAYLOAD_KEYS: dict[str, tuple[str, ...]] = {
    Template.HEARING_SUMMONS: ("court", "date", "time", "role", "case_number", "code", "url"),
    Template.DOCUMENT_RECEIVED: ("case_number", "document", "url"),
    Template.CLAIM_FILED_AGAINST_YOU: ("court", "case_number", "login", "password", "url", "until"),
    Template.FILING_REGISTERED: ("court", "case_number", "url"),
    Template.TERM_REMINDER: ("case_number", "term", "date"),
    Template.CONFIRMATION_CODE: ("code", "purpose"),
    Template.HELPLINE_ANSWER: ("number", "url"),
}

_SMS: dict[str, Promise] = {
    Template.HEARING_SUMMONS: _(
        "Court summons: %(court)s, %(date)s %(time)s, case %(case_number)s, as %(role)s. "
        "Subpoena: %(url)s code %(code)s"
    ),
    Template.DOCUMENT_RECEIVED: _("Case %(case_number)s: new document %(document)s. Read: %(url)s"),
    Template.CLAIM_FILED_AGAINST_YOU: _(
        "A claim against you, case %(case_number)s, %(court)s. Documents: %(url)s login %(login)s "
        "password %(password)s until %(until)s"
    ),
    Template.FILING_REGISTERED: _("Your filing is registered as case %(case_number)s, %(court)s. Follow it: %(url)s"),
    Template.TERM_REMINDER: _("Case %(case_number)s: the term for %(term)s ends on %(date)s."),
    Template.CONFIRMATION_CODE: _("Torelik code %(code)s: %(purpose)s. Do not tell it to anyone."),
    Template.HELPLINE_ANSWER: _("Courts' helpline 1401: request %(number)s is answered. Read the answer: %(url)s"),
}

_SUBJECTS: dict[str, Promise] = {
    Template.HEARING_SUMMONS: _("Summons to a court hearing, case %(case_number)s"),
    Template.DOCUMENT_RECEIVED: _("New document in case %(case_number)s"),
    Template.CLAIM_FILED_AGAINST_YOU: _("A claim has been filed against you, case %(case_number)s"),
    Template.FILING_REGISTERED: _("Your filing is registered, case %(case_number)s"),
    Template.TERM_REMINDER: _("Term reminder, case %(case_number)s"),
    Template.CONFIRMATION_CODE: _("Your Torelik confirmation code"),
    Template.HELPLINE_ANSWER: _("Answer to your request %(number)s to the courts' helpline"),
}

_GREETING = _("Dear %(name)s,")
_SIGNATURE = _("Torelik, the e-justice service of the courts of the Republic of Kazakhstan.")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str


def language_of(language: str) -> str:
    """One of the site's languages (kk, ru, en); anything else falls back to the default (kk)."""
    code = (language or "").lower()[:2]
    known = {lang for lang, _name in settings.LANGUAGES}
    return code if code in known else str(settings.LANGUAGE_CODE)


def check_payload(template: str, payload: Mapping[str, str]) -> None:
    if template not in PAYLOAD_KEYS:
        raise NotificationError(
            NotificationErrorCode.UNKNOWN_TEMPLATE,
            _("There is no message template %(template)s."),
            params={"template": template},
        )
    missing = [key for key in PAYLOAD_KEYS[template] if not str(payload.get(key, "")).strip()]
    if missing:
        raise NotificationError(
            NotificationErrorCode.MISSING_PAYLOAD,
            _("The message %(template)s lacks %(keys)s."),
            params={"template": template, "keys": ", ".join(missing)},
        )


def render(
    *, template: str, language: str, payload: Mapping[str, str], channel: str, recipient_name: str = ""
) -> Rendered:
    """Subject and text of a message in `language`; an SMS has only a text, an e-mail a greeting and a signature."""
    check_payload(template, payload)
    values = {key: str(payload[key]) for key in PAYLOAD_KEYS[template]}
    with translation.override(language_of(language)):
        text = str(_SMS[template]) % values
        subject = str(_SUBJECTS[template]) % values
        if channel == "sms":
            return Rendered(subject="", text=text)
        greeting = str(_GREETING) % {"name": recipient_name} if recipient_name else ""
        body = "\n\n".join(part for part in (greeting, text, str(_SIGNATURE)) if part)
        return Rendered(subject=subject, text=body)

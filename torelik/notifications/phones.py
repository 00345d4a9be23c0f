"""Phone numbers of recipients: Kazakh mobile numbers in E.164 (`+77XXXXXXXXX`), the only ones SMS go to."""

import phonenumbers
from django.utils.translation import gettext_lazy as _

from torelik.notifications.errors import InvalidPhoneError, NotificationErrorCode

# Kazakhstan shares +7 with Russia; its mobile numbers are +7 7XX XXX XX XX (the 7 after the country code).
_KAZAKH_MOBILE_PREFIX = "+77"


def normalise_phone(raw: str) -> str:
    """`8 701 123 45 67`, `+7 (701) 1234567`, `7011234567` → `+77011234567`.

    Raises InvalidPhoneError (translated) for something that is not a number, a landline, or a foreign number."""
    text = (raw or "").strip()
    params = {"phone": text}
    if not text:
        raise InvalidPhoneError(NotificationErrorCode.INVALID_PHONE, _("Enter a mobile phone number."), params=params)
    digits = "".join(ch for ch in text if ch.isdigit())
    # The domestic trunk prefix 8 (8 701 ...) is still how most people write their number.
    if not text.startswith("+") and len(digits) == 11 and digits.startswith("8"):
        text = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneError(
            NotificationErrorCode.INVALID_PHONE,
            _("%(phone)s is not a phone number. Enter it as +7 7XX XXX XX XX."),
            params=params,
            fields={"phone": [str(_("Not a phone number."))]},
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError(
            NotificationErrorCode.INVALID_PHONE,
            _("%(phone)s is not a valid phone number. Enter it as +7 7XX XXX XX XX."),
            params=params,
            fields={"phone": [str(_("Not a valid phone number."))]},
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.region_code_for_number(number) != "KZ":
        raise InvalidPhoneError(
            NotificationErrorCode.FOREIGN_PHONE,
            _("%(phone)s is not a Kazakhstan number: SMS go only to Kazakh mobile numbers (+7 7XX)."),
            params=params,
            fields={"phone": [str(_("Not a Kazakhstan number."))]},
        )
    if not e164.startswith(_KAZAKH_MOBILE_PREFIX) or phonenumbers.number_type(number) not in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }:
        raise InvalidPhoneError(
            NotificationErrorCode.NOT_MOBILE,
            _("%(phone)s is a landline: SMS need a mobile number (+7 7XX XXX XX XX)."),
            params=params,
            fields={"phone": [str(_("Not a mobile number."))]},
        )
    return e164

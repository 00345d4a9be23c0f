"""`{% load identity_signer %}{% torelik_signer %}`: the NCALayer client script, configured and translated.

After it, a page's own script calls `TorelikSigner.sign(base64Data, "SIGNATURE")` (or
`"AUTHENTICATION"`) and gets a Promise of the detached CMS, base64."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from torelik.identity.views import ncalayer_url

register = template.Library()


def signer_messages() -> dict[str, str]:
    return {
        "unavailable": _(
            "The signing program (NCALayer) is not running or not installed. Start NCALayer and try again."
        ),
        "cancelled": _("Signing was cancelled."),
        "failed": _("The signing program could not sign: %(reason)s"),
        "busy": _("Waiting for the signing program…"),
        "timeout": _("The signing program did not answer in time. Try again."),
    }


@register.simple_tag
def torelik_signer() -> SafeString:
    config = {"url": ncalayer_url(), "locale": get_language() or "kk", "messages": signer_messages()}
    return format_html(
        '{}<script src="{}"></script>', json_script(config, "torelik-signer-config"), static("identity/signer.js")
    )

"""Partner systems' credentials (the e-government portal): a token shown once, only its hash kept."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.core.tokens import new_token, token_digest
from torelik.filing.errors import ApiClientError, FilingErrorCode
from torelik.filing.models import ApiClient


@transaction.atomic
def create_api_client(*, name: str, channel: str = Channel.EGOV) -> tuple[ApiClient, str]:
    """A new partner credential; the token is shown once and only its hash is kept."""
    token = new_token()
    client = ApiClient.objects.create(name=name, channel=channel, token_sha256=token_digest(token))
    return client, token


def api_client_for(token: str) -> ApiClient:
    client = ApiClient.objects.filter(token_sha256=token_digest(token), is_active=True).first() if token else None
    if client is None:
        raise ApiClientError(FilingErrorCode.API_TOKEN_INVALID, _("The API credential is not valid."))
    return client

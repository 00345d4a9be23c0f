"""Partner systems' credentials (the e-government portal): a token shown once, only its hash kept
(`access.api_client_for` tells which partner a token is)."""

from django.db import transaction

from torelik.cases.models import Channel
from torelik.core.tokens import new_token, token_digest
from torelik.filing.models import ApiClient


@transaction.atomic
def create_api_client(*, name: str, channel: str = Channel.EGOV) -> tuple[ApiClient, str]:
    """A new partner credential; the token is shown once and only its hash is kept."""
    token = new_token()
    client = ApiClient.objects.create(name=name, channel=channel, token_sha256=token_digest(token))
    return client, token

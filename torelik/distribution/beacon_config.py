"""The beacon the settings choose (TORELIK_BEACON), built once per process."""

import datetime as dt
from functools import cache

from django.conf import settings

from torelik.distribution.beacons import Beacon, DrandBeacon, LocalBeacon


@cache
def configured_beacon() -> Beacon:
    if settings.TORELIK_BEACON == "drand":
        return DrandBeacon(
            urls=list(settings.TORELIK_DRAND_URLS),
            chain=settings.TORELIK_DRAND_CHAIN,
            genesis=dt.datetime.fromtimestamp(settings.TORELIK_DRAND_GENESIS, tz=dt.UTC),
            period=settings.TORELIK_DRAND_PERIOD,
            timeout=settings.TORELIK_DRAND_TIMEOUT,
        )
    if settings.TORELIK_BEACON != "local":
        raise ValueError(f"TORELIK_BEACON must be 'local' or 'drand', not {settings.TORELIK_BEACON!r}")
    return LocalBeacon(
        secret=settings.TORELIK_BEACON_SECRET.encode(),
        genesis=dt.datetime.fromisoformat(settings.TORELIK_BEACON_GENESIS),
        period=settings.TORELIK_BEACON_PERIOD,
    )

"""The platforms' fakes the waybill and shipment tests share: the Taobao gateway (its shop's
secret and session in the environment, as the README says) and a Cainiao print component."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import APP_SECRET, SESSION, FakePlatform
from tests.helpers.platform_orders import SHOP


@pytest.fixture
def top(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatform]:
    monkeypatch.setenv(f"PACKLINE_SHOP_SECRET_{SHOP}", APP_SECRET)
    monkeypatch.setenv(f"PACKLINE_SHOP_SESSION_{SHOP}", SESSION)
    with FakePlatform("top") as fake:
        yield fake


@pytest.fixture
def component() -> Iterator[FakeComponent]:
    with FakeComponent("cainiao", printers=("ZTO-1",)) as fake:
        yield fake

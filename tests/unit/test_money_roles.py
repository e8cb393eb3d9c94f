"""Money in integer fen (app.domain.money) and role permissions (app.domain.roles)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.money import format_yuan, parse_yuan
from app.domain.roles import ROLE_PERMISSIONS, Permission, Role, has_permission, parse_role

# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(("value", "fen"), [
    ("59.00", 5900),
    ("59", 5900),
    (59, 5900),
    (59.5, 5950),
    ("¥1,299.00", 129900),
    ("￥0.01", 1),
    (" 118.00 ", 11800),
    (0, 0),
])
def test_parse_yuan_accepts(value: object, fen: int) -> None:
    assert parse_yuan(value) == fen


@pytest.mark.parametrize(("value", "words"), [
    ("-1", "negative"),
    (-1, "negative"),
    ("1.234", "two decimals"),
    (0.001, "two decimals"),
    ("abc", "not an amount"),
    ("", "not an amount"),
    (True, "expected an amount"),
    (False, "expected an amount"),
    (None, "expected an amount"),
    ([5], "expected an amount"),
    (float("nan"), "not an amount"),
    ("NaN", "not an amount"),
    ("inf", "not an amount"),
    (float("inf"), "not an amount"),
    ("100000000000", "out of range"),
    ("1e3", "not an amount"),
    ("1E3", "not an amount"),
    ("0x10", "not an amount"),
])
def test_parse_yuan_refuses(value: object, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_yuan(value, field="lines[1].price")
    message = str(caught.value)
    assert message.startswith("lines[1].price: ")
    assert words in message


@pytest.mark.parametrize(("fen", "text"), [
    (0, "0.00"), (1, "0.01"), (11800, "118.00"), (129999, "1299.99"), (-250, "-2.50"),
])
def test_format_yuan(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


@given(st.integers(min_value=0, max_value=10**12))
def test_format_then_parse_round_trips(fen: int) -> None:
    text = format_yuan(fen)
    assert text.count(".") == 1 and len(text.split(".")[1]) == 2
    assert parse_yuan(text) == fen


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize("permission", [
    Permission.RELEASE_WAVES, Permission.CHANGE_ORDER_STATUS, Permission.MANAGE_USERS,
    Permission.IMPORT_ORDERS, Permission.EDIT_RULES, Permission.SEED_DEMO,
])
def test_packer_lacks_office_permissions(permission: Permission) -> None:
    assert not has_permission(Role.PACKER, permission)


def test_packer_can_pack_and_view() -> None:
    assert has_permission(Role.PACKER, Permission.PACK)
    assert has_permission(Role.PACKER, Permission.VIEW_ORDERS)
    assert not has_permission(Role.PACKER, Permission.PICK)


def test_picker_picks_but_does_not_pack() -> None:
    assert has_permission(Role.PICKER, Permission.PICK)
    assert not has_permission(Role.PICKER, Permission.PACK)
    assert not has_permission(Role.PICKER, Permission.RELEASE_WAVES)


def test_shift_lead_releases_waves_but_does_not_manage_users() -> None:
    assert has_permission(Role.SHIFT_LEAD, Permission.RELEASE_WAVES)
    assert has_permission(Role.SHIFT_LEAD, Permission.CHANGE_ORDER_STATUS)
    assert not has_permission(Role.SHIFT_LEAD, Permission.MANAGE_USERS)


@pytest.mark.parametrize("permission", list(Permission))
def test_admin_has_every_permission(permission: Permission) -> None:
    assert has_permission(Role.ADMIN, permission)


def test_every_role_has_a_permission_set_and_can_view_orders() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role in Role:
        assert has_permission(role, Permission.VIEW_ORDERS)


def test_parse_role() -> None:
    assert parse_role(" Shift_Lead ") is Role.SHIFT_LEAD
    assert parse_role("packer") is Role.PACKER


@pytest.mark.parametrize("bad", ["boss", "", "packers"])
def test_parse_role_refuses_unknown_roles(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_role(bad)
    message = str(caught.value)
    assert repr(bad) in message
    for role in Role:
        assert role.value in message

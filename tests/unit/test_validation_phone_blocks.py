"""The mainland mobile shortcut in app.domain.validation gives phonenumbers' own verdict: for
every five-digit start of an 11-digit number from 13 to 19, numbers of one block are all valid
or all not, exactly as phonenumbers judges each of them."""

from __future__ import annotations

import random

import phonenumbers

from app.domain import validation


def _phonenumbers_says(national: str) -> str | None:
    number = phonenumbers.parse("+86" + national, None)
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    assert kind == phonenumbers.PhoneNumberType.MOBILE, national
    return national


def test_every_block_gets_phonenumbers_verdict_for_every_number_in_it() -> None:
    rng = random.Random(11)
    validation._mobile_blocks.clear()
    validation._parse_phone.cache_clear()
    checked = 0
    for start in range(13000, 20000):
        for _ in range(3):  # numbers met in a different order than the blocks
            national = f"{start}{rng.randrange(10**6):06d}"
            assert validation.normalize_phone(national) == _phonenumbers_says(national), national
            checked += 1
    assert checked == 21000
    assert len(validation._mobile_blocks) > 1000


def test_a_block_judged_once_still_refuses_what_it_should() -> None:
    validation._mobile_blocks.clear()
    assert validation.normalize_phone("13800138000") == "13800138000"
    assert validation.normalize_phone("138-0013-8001") == "13800138001"
    assert validation.normalize_phone("14000138000") is None  # no 140 block in the plan
    assert validation.normalize_phone("14000138001") is None
    assert validation._mobile_blocks == {"13800": True, "14000": False}
    assert validation.normalize_phone("1380013800") is None  # ten digits: not taken as a block

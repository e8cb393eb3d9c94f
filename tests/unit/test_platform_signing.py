"""The platforms' request signatures, against fixed vectors."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from app.platforms.signing import canonical, douyin_sign, pdd_sign, top_sign, value_text

# TOP's own worked example (taobao.user.seller.get, secret "test").
TOP_EXAMPLE = {"method": "taobao.user.seller.get", "timestamp": "2013-05-06 13:52:03",
               "format": "xml", "app_key": "test", "v": "2.0", "fields": "nick",
               "sign_method": "md5", "session": "test"}


def test_top_md5_matches_the_documented_example() -> None:
    assert top_sign(TOP_EXAMPLE, "test", "md5") == "72CB4D809B375A54502C09360D879C64"


def test_top_sorts_by_name_and_leaves_out_sign_and_empty_values() -> None:
    assert canonical({"foo": "1", "bar": "2", "foo_bar": "3", "foobar": "4", "sign": "X",
                      "empty": "", "none": None}) == "bar2foo1foo_bar3foobar4"


def test_top_hmac_methods_key_the_digest_with_the_secret() -> None:
    body = canonical(TOP_EXAMPLE).encode()
    assert top_sign(TOP_EXAMPLE, "test", "hmac") == hmac.new(
        b"test", body, hashlib.md5).hexdigest().upper()
    assert top_sign(TOP_EXAMPLE, "test", "hmac-sha256") == hmac.new(
        b"test", body, hashlib.sha256).hexdigest().upper()
    # Fixed vectors, so a change of construction is seen here.
    assert top_sign({"b": "2", "a": "1"}, "s3cret", "hmac") == \
        "096F8476612D72B88BBB59F467AB40BA"
    with pytest.raises(ValueError):
        top_sign(TOP_EXAMPLE, "test", "sha1")


def test_top_md5_fixed_vector_with_chinese_text() -> None:
    params = {"method": "taobao.logistics.online.send", "tid": "4162883832611119999",
              "out_sid": "YT1234567890123", "company_code": "YTO", "memo": "杭州仓"}
    text = "s3cretcompany_codeYTOmemo杭州仓methodtaobao.logistics.online.send" \
           "out_sidYT1234567890123tid4162883832611119999s3cret"
    assert top_sign(params, "s3cret") == hashlib.md5(text.encode()).hexdigest().upper()
    assert top_sign(params, "s3cret") == "E671369DA4BE103BC9BE6BA34D502D78"


def test_pdd_md5_wraps_the_sorted_pairs_in_the_client_secret() -> None:
    params = {"type": "pdd.order.number.list.increment.get", "client_id": "cid",
              "timestamp": 1700000000, "data_type": "JSON", "page": 1, "is_lucky_flag": 0}
    text = ("sec" "client_idcid" "data_typeJSON" "is_lucky_flag0" "page1"
            "timestamp1700000000" "typepdd.order.number.list.increment.get" "sec")
    assert pdd_sign(params, "sec") == hashlib.md5(text.encode()).hexdigest().upper()


def test_douyin_hmac_sha256() -> None:
    sign = douyin_sign("k", "s", "order.searchList", '{"page":"0"}', "2024-01-01 00:00:00")
    text = 'sapp_keykmethodorder.searchListparam_json{"page":"0"}timestamp2024-01-01 00:00:00v2s'
    assert sign == hmac.new(b"s", text.encode(), hashlib.sha256).hexdigest()


def test_values_are_sent_as_the_platforms_read_them() -> None:
    assert value_text(True) == "true"
    assert value_text(3) == "3"
    assert value_text({"b": 1, "a": ["x"]}) == '{"a":["x"],"b":1}'
    assert value_text("杭州") == "杭州"

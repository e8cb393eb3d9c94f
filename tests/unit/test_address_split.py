"""Splitting a one-line shipping address (app.domain.address) as platform exports write it."""

from __future__ import annotations

import pytest

from app.domain.address import SplitAddress, split_address

CASES = [
    # spaces, no spaces, short forms
    ("浙江省 杭州市 西湖区 文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    ("浙江省杭州市西湖区文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    ("浙江 杭州 西湖区 文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    ("浙江杭州西湖区文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    ("浙江省\u3000杭州市\u3000西湖区\u3000文三路90号 3幢 201室",
     ("浙江省", "杭州市", "西湖区", "文三路90号 3幢 201室")),
    ("广东省 深圳市 南山区 粤海街道 科技园南区", ("广东省", "深圳市", "南山区", "粤海街道 科技园南区")),
    # municipalities, repeated or not, and their placeholders
    ("北京市 北京市 朝阳区 建国路1号", ("北京市", "北京市", "朝阳区", "建国路1号")),
    ("北京市朝阳区建国路1号", ("北京市", "北京市", "朝阳区", "建国路1号")),
    ("北京 市辖区 海淀区 中关村大街27号", ("北京市", "北京市", "海淀区", "中关村大街27号")),
    ("上海 上海市 浦东新区 世纪大道100号", ("上海市", "上海市", "浦东新区", "世纪大道100号")),
    ("上海市　浦东新区　世纪大道100号", ("上海市", "上海市", "浦东新区", "世纪大道100号")),
    ("天津天津市和平区南京路1号", ("天津市", "天津市", "和平区", "南京路1号")),
    ("重庆 重庆市 巫山县 巫峡镇", ("重庆市", "重庆市", "巫山县", "巫峡镇")),
    # autonomous regions, prefectures, leagues, banners
    ("广西壮族自治区 南宁市 青秀区 民族大道", ("广西壮族自治区", "南宁市", "青秀区", "民族大道")),
    ("广西 南宁市 青秀区 民族大道", ("广西壮族自治区", "南宁市", "青秀区", "民族大道")),
    ("内蒙古 呼和浩特市 新城区 新华大街", ("内蒙古自治区", "呼和浩特市", "新城区", "新华大街")),
    ("内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇", ("内蒙古自治区", "阿拉善盟", "阿拉善左旗", "巴彦浩特镇")),
    ("新疆维吾尔自治区 乌鲁木齐市 天山区 解放南路", ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放南路")),
    ("湖北省 恩施州 恩施市 舞阳大道", ("湖北省", "恩施土家族苗族自治州", "恩施市", "舞阳大道")),
    ("湖北省恩施土家族苗族自治州利川市都亭街道", ("湖北省", "恩施土家族苗族自治州", "利川市", "都亭街道")),
    ("黑龙江省大兴安岭地区漠河市北极村", ("黑龙江省", "大兴安岭地区", "漠河市", "北极村")),
    # county-level cities under a province, cities without districts
    ("湖北省 仙桃市 干河街道 1号", ("湖北省", "仙桃市", "仙桃市", "干河街道 1号")),
    ("湖北省 省直辖县级行政区划 仙桃市 干河街道", ("湖北省", "仙桃市", "仙桃市", "干河街道")),
    ("广东省东莞市长安镇振安路", ("广东省", "东莞市", "东莞市", "长安镇振安路")),
    ("广东省 东莞市 东莞市 长安镇", ("广东省", "东莞市", "东莞市", "长安镇")),
    ("新疆 石河子市 北四路", ("新疆维吾尔自治区", "石河子市", "石河子市", "北四路")),
    ("海南省 五指山市 通什镇", ("海南省", "五指山市", "五指山市", "通什镇")),
    # a district several cities share, told by the city
    ("江苏省 南京市 鼓楼区 中山路1号", ("江苏省", "南京市", "鼓楼区", "中山路1号")),
    ("福建省福州市鼓楼区五四路", ("福建省", "福州市", "鼓楼区", "五四路")),
    ("江苏省徐州市鼓楼区中山北路", ("江苏省", "徐州市", "鼓楼区", "中山北路")),
    # a district named without its city, where it is the province's only one of that name
    ("浙江省 西湖区 文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    # a former district the region table still resolves
    ("浙江省 杭州市 江干区 钱江路", ("浙江省", "杭州市", "江干区", "钱江路")),
    # 香港, 澳门, 台湾: no cities in the table
    ("香港特别行政区 九龙 弥敦道", ("香港特别行政区", "香港特别行政区", "香港特别行政区", "九龙 弥敦道")),
    ("香港 香港特别行政区 中环", ("香港特别行政区", "香港特别行政区", "香港特别行政区", "中环")),
]


@pytest.mark.parametrize(("text", "parts"), CASES)
def test_real_addresses_split_into_official_names(text: str, parts: tuple[str, ...]) -> None:
    assert split_address(text) == SplitAddress(*parts)


def test_a_short_district_name_at_the_start_of_a_street_is_not_a_district() -> None:
    # 朝阳门内大街 is in 东城区: 朝阳 is not taken for 朝阳区 without a space after it.
    assert split_address("北京市朝阳门内大街5号") == SplitAddress("北京市", "北京市", "", "朝阳门内大街5号")


def test_a_shared_district_without_its_city_is_not_guessed() -> None:
    assert split_address("江苏省鼓楼区中山路") == SplitAddress("江苏省", "", "", "鼓楼区中山路")


@pytest.mark.parametrize("text", ["", "   ", "文三路90号", "浙江路1号", "Zhejiang Hangzhou",
                                  "杭州市西湖区文三路"])
def test_no_province_is_none(text: str) -> None:
    assert split_address(text) is None


def test_joined_reads_back() -> None:
    split = split_address("浙江 杭州 西湖区 文三路90号")
    assert split is not None
    assert split.joined() == "浙江省 杭州市 西湖区 文三路90号"
    assert split_address(split.joined("")) == split

"""Tests for the China region table and address resolution."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.regions import (
    Region,
    RegionTable,
    ResolveStatus,
    distance_km,
    resolve,
    short_name,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


def test_row_count_and_adcodes(table: RegionTable) -> None:
    assert 2800 <= len(table) <= 3300
    codes = [r.adcode for r in table]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert codes == sorted(codes)
    for r in table:
        assert r.province_adcode == r.adcode[:2] + "0000"
        assert r.city_adcode[:2] == r.adcode[:2]
        assert r.province and r.city and r.district
        assert 73 < r.longitude < 136 and 3 < r.latitude < 54


def test_every_row_resolves_to_itself(table: RegionTable) -> None:
    for r in table:
        res = table.resolve(r.province, r.city, r.district)
        assert res.status is ResolveStatus.OK, (r, res.reason)
        assert res.region == r


def test_default_is_cached_and_load_reads_the_same_file(table: RegionTable) -> None:
    assert RegionTable.default() is table
    explicit = RegionTable.load(REPO_ROOT / "resources" / "regions" / "regions.csv")
    assert list(explicit) == list(table)


def test_lookups(table: RegionTable) -> None:
    region = table.by_adcode("330106")
    assert region is not None and region.district == "西湖区"
    assert table.by_adcode("330106000000") == region
    assert table.by_adcode("999999") is None
    assert table.provinces()[0] == "北京市"
    assert "香港特别行政区" in table.provinces()
    assert "杭州市" in table.cities("浙江省")
    assert table.cities("北京市") == ["北京市"]
    assert "西湖区" in [r.district for r in table.districts("浙江省", "杭州市")]
    assert table.cities("火星") == []


def test_exact_names_resolve(table: RegionTable) -> None:
    res = table.resolve("浙江省", "杭州市", "西湖区")
    assert res.status is ResolveStatus.OK
    assert res.region is not None
    assert res.region.adcode == "330106"
    assert res.region.city_adcode == "330100"
    assert res.reason == ""


def test_short_forms_and_whitespace_resolve(table: RegionTable) -> None:
    res = table.resolve(" 浙江", "杭州 ", "\u3000西湖")
    assert res.status is ResolveStatus.OK
    assert res.region is not None and res.region.adcode == "330106"
    assert "浙江省" in res.reason
    guangxi = table.resolve("广西", "南宁", "青秀区")
    assert guangxi.region is not None and guangxi.region.province == "广西壮族自治区"
    for city in ("恩施", "恩施州"):
        enshi = table.resolve("湖北", city, "利川")
        assert enshi.region is not None and enshi.region.city == "恩施土家族苗族自治州"
    # 杭州 ends in 州 too but is no autonomous prefecture.
    assert table.resolve("浙江", "杭", "西湖区").status is ResolveStatus.INVALID


def test_short_name_does_not_collapse_short_names() -> None:
    assert short_name("浙江省") == "浙江"
    assert short_name("新疆维吾尔自治区") == "新疆"
    assert short_name("内蒙古自治区") == "内蒙古"
    assert short_name("香港特别行政区") == "香港"
    assert short_name("市中区") == "市中"
    assert short_name("东区") == "东区"
    assert short_name("沙县") == "沙县"
    assert short_name("锡林郭勒盟") == "锡林郭勒"
    assert short_name("伊犁哈萨克自治州") == "伊犁"


def test_municipality_and_same_named_district(table: RegionTable) -> None:
    beijing = table.resolve("北京市", "北京市", "朝阳区")
    assert beijing.status is ResolveStatus.OK
    assert beijing.region is not None and beijing.region.adcode == "110105"
    liaoning = table.resolve("辽宁省", "朝阳市", "朝阳县")
    assert liaoning.region is not None
    assert liaoning.region.adcode != "110105"
    assert liaoning.region.province == "辽宁省"
    # The municipality's placeholder prefectures are accepted as city names too.
    chongqing = table.resolve("重庆", "县", "忠县")
    assert chongqing.region is not None and chongqing.region.city == "重庆市"
    assert table.resolve("北京", "北京", "朝阳").region == beijing.region


def test_county_level_special_cases(table: RegionTable) -> None:
    xiantao = table.resolve("湖北省", "仙桃市", "仙桃市")
    assert xiantao.region is not None and xiantao.region.adcode == "429004"
    placeholder = table.resolve("湖北省", "省直辖县级行政区划", "仙桃市")
    assert placeholder.region == xiantao.region
    dongguan = table.resolve("广东省", "东莞市", "")
    assert dongguan.region is not None and dongguan.region.adcode == "441900"
    # Towns of a city without districts are not listed but still make a valid address.
    town = table.resolve("广东省", "东莞市", "长安镇")
    assert town.status is ResolveStatus.OK and town.region == dongguan.region
    # ...unless the "town" is really a district of another city.
    mixed = table.resolve("广东省", "东莞市", "天河区")
    assert mixed.status is ResolveStatus.INVALID


def test_district_in_wrong_city_is_invalid(table: RegionTable) -> None:
    res = table.resolve("浙江省", "杭州市", "鄞州区")
    assert res.status is ResolveStatus.INVALID
    assert res.region is None
    assert "鄞州区" in res.reason and "district" in res.reason


def test_city_in_wrong_province_is_invalid(table: RegionTable) -> None:
    res = table.resolve("江苏省", "杭州市", "西湖区")
    assert res.status is ResolveStatus.INVALID
    assert "city" in res.reason and "杭州市" in res.reason


@pytest.mark.parametrize("province", ["火星省", "", "   "])
def test_unknown_or_empty_province_is_invalid(table: RegionTable, province: str) -> None:
    res = table.resolve(province, "杭州市", "西湖区")
    assert res.status is ResolveStatus.INVALID
    assert "province" in res.reason


def test_blank_city_resolves_unique_district(table: RegionTable) -> None:
    res = table.resolve("浙江省", "", "西湖区")
    assert res.status is ResolveStatus.OK
    assert res.region is not None and res.region.adcode == "330106"


def test_blank_city_with_repeated_district_is_ambiguous(table: RegionTable) -> None:
    res = table.resolve("河北省", "", "桥西区")
    assert res.status is ResolveStatus.AMBIGUOUS
    assert res.region is None
    assert len(res.candidates) >= 2
    assert {r.city for r in res.candidates} >= {"石家庄市", "张家口市"}


def test_short_form_matching_two_districts_is_ambiguous(table: RegionTable) -> None:
    res = table.resolve("甘肃省", "临夏回族自治州", "临夏")
    assert res.status is ResolveStatus.AMBIGUOUS
    assert {r.district for r in res.candidates} == {"临夏市", "临夏县"}
    exact = table.resolve("甘肃省", "临夏回族自治州", "临夏县")
    assert exact.status is ResolveStatus.OK


def test_module_level_resolve_uses_default_table() -> None:
    res = resolve("浙江省", "杭州市", "西湖区")
    assert res.status == "ok"
    assert res.region is not None and res.region.adcode == "330106"


def test_distance_hangzhou_to_beijing(table: RegionTable) -> None:
    xihu = table.by_adcode("330106")
    chaoyang = table.by_adcode("110105")
    assert xihu is not None and chaoyang is not None
    assert 1100 <= distance_km(xihu, chaoyang) <= 1300
    assert distance_km(xihu, chaoyang) == pytest.approx(distance_km(chaoyang, xihu))
    assert distance_km(xihu, xihu) == 0.0


def test_distance_is_haversine() -> None:
    a = Region("000001", "p", "c", "d", "000000", "000000", 0.0, 0.0)
    b = Region("000002", "p", "c", "d", "000000", "000000", 90.0, 0.0)
    assert distance_km(a, b) == pytest.approx(6371.0 * 3.141592653589793 / 2)


def test_import_is_pure() -> None:
    code = (
        "import sys, app.domain.regions; "
        "bad = [m for m in ('PySide6', 'sqlalchemy') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- 2023 table


@pytest.mark.parametrize(("province", "city", "district", "adcode"), [
    ("广东省", "深圳市", "龙华区", "440309"),
    ("广东省", "深圳市", "光明区", "440311"),
    ("广东省", "深圳市", "坪山区", "440310"),
    ("浙江省", "杭州市", "钱塘区", "330114"),
    ("浙江省", "杭州市", "临平区", "330113"),
    ("浙江", "杭州", "临平", "330113"),
    ("山东省", "济南市", "莱芜区", "370116"),
    ("山东省", "济南市", "钢城区", "370117"),
    ("安徽省", "芜湖市", "湾沚区", "340210"),
    ("安徽省", "芜湖市", "繁昌区", "340212"),
    ("西藏自治区", "那曲市", "色尼区", "540602"),
])
def test_districts_created_since_2021_resolve(table: RegionTable, province: str, city: str,
                                              district: str, adcode: str) -> None:
    res = table.resolve(province, city, district)
    assert res.ok, res.reason
    assert res.region is not None and res.region.adcode == adcode


@pytest.mark.parametrize(("province", "city", "district", "adcode", "now"), [
    ("浙江省", "杭州市", "江干区", "330102", "上城区"),
    ("浙江省", "杭州市", "下城区", "330105", "拱墅区"),
    ("山东省", "莱芜市", "莱城区", "370116", "莱芜区"),
    ("山东省", "莱芜市", "钢城区", "370117", "钢城区"),
    ("山东", "莱芜", "莱城", "370116", "莱芜区"),
    ("山东省", "济南市", "莱城区", "370116", "莱芜区"),
    ("安徽省", "芜湖市", "芜湖县", "340210", "湾沚区"),
    ("安徽省", "芜湖市", "繁昌县", "340212", "繁昌区"),  # short form: 繁昌
    ("安徽省", "芜湖市", "三山区", "340209", "弋江区"),
    ("河北省", "定州市", "北城区街道", "130682", "定州市"),  # written as a city of its own
    ("四川省", "成都市", "郫县", "510117", "郫都区"),
    ("陕西省", "西安市", "户县", "610118", "鄠邑区"),
    ("西藏自治区", "那曲地区", "那曲县", "540602", "色尼区"),
])
def test_former_names_resolve_to_the_unit_holding_them_now(
        table: RegionTable, province: str, city: str, district: str, adcode: str,
        now: str) -> None:
    res = table.resolve(province, city, district)
    assert res.ok, res.reason
    assert res.region is not None and (res.region.adcode, res.region.district) == (adcode, now)


def test_districts_that_lost_area_keep_their_own_name(table: RegionTable) -> None:
    # 余杭区 gave 临平区 its east, 宝安区 gave 龙华区 and 光明区: both still exist.
    for province, city, district, adcode in (("浙江省", "杭州市", "余杭区", "330110"),
                                             ("广东省", "深圳市", "宝安区", "440306"),
                                             ("浙江省", "杭州市", "萧山区", "330109")):
        res = table.resolve(province, city, district)
        assert res.region is not None and res.region.adcode == adcode


def test_every_former_name_points_at_a_current_unit(table: RegionTable) -> None:
    from app.domain.regions import FORMER_NAMES

    for province, city, district, adcode in FORMER_NAMES:
        now = table.by_adcode(adcode)
        assert now is not None, (province, city, district, adcode)
        res = table.resolve(province, city, district)
        assert res.region == now, (province, city, district, res.reason)
        # A former name never shadows a current one: it is only tried when those fail.
        assert not table.districts(province, city) or district not in [
            r.district for r in table.districts(province, city)]


def test_a_former_name_is_not_tried_where_a_current_name_matches() -> None:
    here = Region("330102", "浙江省", "杭州市", "上城区", "330000", "330100", 120.1, 30.2)
    other = Region("330104", "浙江省", "杭州市", "江干区", "330000", "330100", 120.2, 30.3)
    table = RegionTable([here, other])
    res = table.resolve("浙江省", "杭州市", "江干区")
    assert res.region == other


def test_former_names_outside_a_smaller_table_are_left_out() -> None:
    only = Region("110101", "北京市", "北京市", "东城区", "110000", "110100", 116.4, 39.9)
    table = RegionTable([only])
    assert table.resolve("浙江省", "杭州市", "江干区").status is ResolveStatus.INVALID


@pytest.mark.parametrize(("province", "city", "district", "adcode"), [
    ("香港特别行政区", "九龙", "油尖旺区", "810000"),
    ("香港", "", "", "810000"),
    ("澳门特别行政区", "澳门半岛", "大堂区", "820000"),
    ("台湾", "台北市", "大安区", "710000"),
    ("台湾省", "台湾省", "台湾省", "710000"),
])
def test_hong_kong_macau_taiwan_stay_and_take_any_locality(
        table: RegionTable, province: str, city: str, district: str, adcode: str) -> None:
    res = table.resolve(province, city, district)
    assert res.ok, res.reason
    assert res.region is not None and res.region.adcode == adcode


def test_table_is_the_2023_statistics(table: RegionTable) -> None:
    assert len(table) == 2981  # 2,978 county-level units of 2023-06-30 + 台湾, 香港, 澳门
    gone = ("371202", "330104", "340221", "139001")  # 莱城区, 江干区, 芜湖县, 定州 (old codes)
    assert all(table.by_adcode(code) is None for code in gone)


def test_build_script_rebuilds_the_shipped_table(tmp_path: Path) -> None:
    """The same input gives the same file: rows from a small china-division dist/ folder."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "provinces.csv").write_text('code,name\n33,"浙江省"\n50,"重庆市"\n42,"湖北省"\n',
                                        encoding="utf-8")
    (dist / "cities.csv").write_text(
        'code,name,provinceCode\n3301,"杭州市",33\n5001,"市辖区",50\n5002,"县",50\n'
        '4290,"省直辖县级行政区划",42\n', encoding="utf-8")
    (dist / "areas.csv").write_text(
        'code,name,cityCode,provinceCode\n330102,"上城区",3301,33\n330114,"钱塘区",3301,33\n'
        '500101,"万州区",5001,50\n500229,"城口县",5002,50\n429004,"仙桃市",4290,42\n',
        encoding="utf-8")
    out = tmp_path / "regions.csv"
    script = REPO_ROOT / "resources" / "regions" / "build_regions.py"
    shipped = REPO_ROOT / "resources" / "regions" / "regions.csv"
    subprocess.run([sys.executable, str(script), str(dist), "--coordinates", str(shipped),
                    "-o", str(out)], check=True, capture_output=True)
    built = RegionTable.load(out)
    rows = {r.adcode: (r.province, r.city, r.district, r.city_adcode) for r in built}
    assert rows == {
        "330102": ("浙江省", "杭州市", "上城区", "330100"),
        "330114": ("浙江省", "杭州市", "钱塘区", "330100"),
        "500101": ("重庆市", "重庆市", "万州区", "500100"),
        "500229": ("重庆市", "重庆市", "城口县", "500100"),
        "429004": ("湖北省", "仙桃市", "仙桃市", "429004"),
        "710000": ("台湾省", "台湾省", "台湾省", "710000"),
        "810000": ("香港特别行政区", "香港特别行政区", "香港特别行政区", "810000"),
        "820000": ("澳门特别行政区", "澳门特别行政区", "澳门特别行政区", "820000"),
    }
    for region in built:  # reference points are the shipped table's
        assert (region.longitude, region.latitude) == (
            RegionTable.default().by_adcode(region.adcode).longitude,  # type: ignore[union-attr]
            RegionTable.default().by_adcode(region.adcode).latitude)  # type: ignore[union-attr]


# Every row of the previous table (cpca 0.5.5) whose adcode is gone: saved addresses still name
# them, so each must still resolve (by short form or FORMER_NAMES).
_VANISHED = """
河北省/唐山市/滦县 河北省/邯郸市/邯郸县 河北省/邯郸市/肥乡县 河北省/邯郸市/永年县 河北省/邢台市/邢台县 河北省/邢台市/任县 河北省/邢台市/南和县
河北省/承德市/平泉县 河北省/定州市/定州市 河北省/辛集市/辛集市 山西省/大同市/城区 山西省/大同市/矿区 山西省/大同市/南郊区 山西省/大同市/大同县
山西省/长治市/城区 山西省/长治市/郊区 山西省/长治市/长治县 山西省/长治市/屯留县 山西省/长治市/潞城市 山西省/朔州市/怀仁县 山西省/晋中市/太谷县
吉林省/四平市/公主岭市 黑龙江省/伊春市/伊春区 黑龙江省/伊春市/南岔区 黑龙江省/伊春市/友好区 黑龙江省/伊春市/西林区 黑龙江省/伊春市/翠峦区 黑龙江省/伊春市/新青区
黑龙江省/伊春市/美溪区 黑龙江省/伊春市/金山屯区 黑龙江省/伊春市/五营区 黑龙江省/伊春市/乌马河区 黑龙江省/伊春市/汤旺河区 黑龙江省/伊春市/带岭区
黑龙江省/伊春市/乌伊岭区 黑龙江省/伊春市/红星区 黑龙江省/伊春市/上甘岭区 黑龙江省/黑河市/嫩江县 黑龙江省/大兴安岭地区/漠河县 江苏省/南通市/崇川区
江苏省/南通市/港闸区 江苏省/南通市/海安县 江苏省/南通市/海门市 浙江省/杭州市/下城区 浙江省/杭州市/江干区 浙江省/杭州市/临安市 浙江省/宁波市/江东区
浙江省/宁波市/奉化市 浙江省/台州市/玉环县 安徽省/芜湖市/弋江区 安徽省/芜湖市/三山区 安徽省/芜湖市/芜湖县 安徽省/芜湖市/繁昌县 安徽省/芜湖市/无为县
安徽省/安庆市/潜山县 安徽省/宣城市/广德县 福建省/福州市/长乐市 福建省/三明市/梅列区 福建省/三明市/三元区 福建省/三明市/沙县 福建省/漳州市/长泰县
福建省/漳州市/龙海市 江西省/南昌市/湾里区 江西省/九江市/九江县 江西省/鹰潭市/余江县 江西省/赣州市/赣县 江西省/赣州市/龙南县 江西省/抚州市/东乡县
江西省/上饶市/上饶县 山东省/济南市/济阳县 山东省/济南市/章丘市 山东省/青岛市/即墨市 山东省/烟台市/长岛县 山东省/烟台市/蓬莱市 山东省/莱芜市/莱城区
山东省/莱芜市/钢城区 山东省/聊城市/茌平县 山东省/滨州市/邹平县 河南省/开封市/金明区 河南省/洛阳市/吉利区 河南省/洛阳市/孟津县 河南省/洛阳市/偃师市
河南省/新乡市/长垣县 河南省/许昌市/许昌县 河南省/周口市/淮阳县 湖北省/荆门市/京山县 湖北省/荆州市/监利县 湖南省/长沙市/宁乡县 湖南省/株洲市/株洲县
湖南省/邵阳市/邵东县 湖南省/永州市/祁阳县 广西壮族自治区/南宁市/横县 广西壮族自治区/桂林市/荔浦县 广西壮族自治区/百色市/田阳县 广西壮族自治区/百色市/平果县
广西壮族自治区/河池市/宜州市 重庆市/重庆市/梁平县 重庆市/重庆市/武隆县 四川省/成都市/郫县 四川省/成都市/新津县 四川省/德阳市/罗江县 四川省/遂宁市/射洪县
四川省/内江市/隆昌县 四川省/宜宾市/宜宾县 四川省/凉山彝族自治州/会理县 贵州省/六盘水市/水城县 贵州省/六盘水市/盘县 贵州省/毕节市/黔西县
贵州省/黔西南布依族苗族自治州/兴仁县 云南省/昆明市/晋宁县 云南省/曲靖市/马龙县 云南省/玉溪市/澄江县 云南省/昭通市/水富县 云南省/楚雄彝族自治州/禄丰县
西藏自治区/拉萨市/达孜县 西藏自治区/林芝市/米林县 西藏自治区/山南市/错那县 西藏自治区/那曲地区/那曲县 西藏自治区/那曲地区/嘉黎县 西藏自治区/那曲地区/比如县
西藏自治区/那曲地区/聂荣县 西藏自治区/那曲地区/安多县 西藏自治区/那曲地区/申扎县 西藏自治区/那曲地区/索县 西藏自治区/那曲地区/班戈县 西藏自治区/那曲地区/巴青县
西藏自治区/那曲地区/尼玛县 西藏自治区/那曲地区/双湖县 陕西省/西安市/户县 陕西省/宝鸡市/凤翔县 陕西省/咸阳市/彬县 陕西省/延安市/子长县 陕西省/汉中市/南郑县
陕西省/榆林市/神木县 陕西省/安康市/旬阳县 甘肃省/嘉峪关市/嘉峪关市 甘肃省/平凉市/华亭县 青海省/西宁市/湟中县 青海省/黄南藏族自治州/同仁县
新疆维吾尔自治区/阿克苏地区/库车县 新疆维吾尔自治区/塔城地区/沙湾县
"""
PREVIOUS_TABLE_VANISHED = _VANISHED.split()


def test_every_district_of_the_previous_table_still_resolves(table: RegionTable) -> None:
    assert len(PREVIOUS_TABLE_VANISHED) == 141
    unresolved = [name for name in PREVIOUS_TABLE_VANISHED
                  if not table.resolve(*name.split("/")).ok]
    assert unresolved == []

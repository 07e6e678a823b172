"""Province-level regions of China with canonical English names and Chinese aliases.

Records store the canonical English name ("Jiangsu"); user input in either language is
normalised with `normalise_region` so filters match whatever the user typed.
"""

from __future__ import annotations

# canonical English name -> Chinese name
REGIONS: dict[str, str] = {
    "Beijing": "北京",
    "Tianjin": "天津",
    "Hebei": "河北",
    "Shanxi": "山西",
    "Inner Mongolia": "内蒙古",
    "Liaoning": "辽宁",
    "Jilin": "吉林",
    "Heilongjiang": "黑龙江",
    "Shanghai": "上海",
    "Jiangsu": "江苏",
    "Zhejiang": "浙江",
    "Anhui": "安徽",
    "Fujian": "福建",
    "Jiangxi": "江西",
    "Shandong": "山东",
    "Henan": "河南",
    "Hubei": "湖北",
    "Hunan": "湖南",
    "Guangdong": "广东",
    "Guangxi": "广西",
    "Hainan": "海南",
    "Chongqing": "重庆",
    "Sichuan": "四川",
    "Guizhou": "贵州",
    "Yunnan": "云南",
    "Tibet": "西藏",
    "Shaanxi": "陕西",
    "Gansu": "甘肃",
    "Qinghai": "青海",
    "Ningxia": "宁夏",
    "Xinjiang": "新疆",
    "Hong Kong": "香港",
    "Macao": "澳门",
}

# Big cities people name instead of their province (the same table the built-in planner reads
# from user text), so a filter of "苏州" or "Shenzhen" means the province, not "no such region".
CITY_REGION: dict[str, str] = {
    "苏州": "Jiangsu",
    "南京": "Jiangsu",
    "无锡": "Jiangsu",
    "常州": "Jiangsu",
    "深圳": "Guangdong",
    "广州": "Guangdong",
    "东莞": "Guangdong",
    "佛山": "Guangdong",
    "杭州": "Zhejiang",
    "宁波": "Zhejiang",
    "合肥": "Anhui",
    "武汉": "Hubei",
    "成都": "Sichuan",
    "西安": "Shaanxi",
    "青岛": "Shandong",
    "济南": "Shandong",
    "厦门": "Fujian",
    "长沙": "Hunan",
    "郑州": "Henan",
    "大连": "Liaoning",
    "沈阳": "Liaoning",
    "suzhou": "Jiangsu",
    "nanjing": "Jiangsu",
    "shenzhen": "Guangdong",
    "guangzhou": "Guangdong",
    "hangzhou": "Zhejiang",
    "ningbo": "Zhejiang",
    "hefei": "Anhui",
    "wuhan": "Hubei",
    "chengdu": "Sichuan",
    "xi'an": "Shaanxi",
    "xian": "Shaanxi",
    "qingdao": "Shandong",
    "xiamen": "Fujian",
    "changsha": "Hunan",
    "dalian": "Liaoning",
}

_ALIASES: dict[str, str] = dict(CITY_REGION)
for _en, _zh in REGIONS.items():
    _ALIASES[_en.lower()] = _en
    _ALIASES[_zh] = _en
    for _suffix in ("省", "市", "自治区"):
        _ALIASES[_zh + _suffix] = _en
for _city, _en in CITY_REGION.items():
    if not _city.isascii():
        _ALIASES[_city + "市"] = _en
_ALIASES.update(
    {
        "inner mongolia autonomous region": "Inner Mongolia",
        "内蒙古自治区": "Inner Mongolia",
        "广西壮族自治区": "Guangxi",
        "宁夏回族自治区": "Ningxia",
        "新疆维吾尔自治区": "Xinjiang",
        "西藏自治区": "Tibet",
        "macau": "Macao",
    }
)


def normalise_region(text: str) -> str | None:
    """Canonical English region name for `text` in either language, or None if unknown."""
    key = text.strip()
    return _ALIASES.get(key) or _ALIASES.get(key.lower())


def region_label(region: str, lang: str = "en") -> str:
    """Display name of a canonical region in `lang`."""
    if lang == "zh":
        return REGIONS.get(region, region)
    return region


def region_names(lang: str = "en") -> list[str]:
    """Every canonical region's display name in `lang`, in the table's order (for error messages)."""
    return [region_label(r, lang) for r in REGIONS]

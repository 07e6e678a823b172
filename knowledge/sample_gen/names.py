"""Invented name parts for fictional organisations.

Every prefix is a made-up place-like word; combinations are checked to be unique within the
corpus. None of them is meant to denote a real university, company or fund.
"""

from __future__ import annotations

# (Chinese, pinyin) — used for universities, institutes and private firms.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("北辰", "Beichen"), ("青岚", "Qinglan"), ("云溪", "Yunxi"), ("瀚海", "Hanhai"), ("星澜", "Xinglan"),
    ("南枫", "Nanfeng"), ("明湖", "Minghu"), ("翠屏", "Cuiping"), ("岚山", "Lanshan"), ("松涛", "Songtao"),
    ("鹤岭", "Heling"), ("沧澜", "Canglan"), ("霞屿", "Xiayu"), ("清渚", "Qingzhu"), ("汀兰", "Tinglan"),
    ("远帆", "Yuanfan"), ("蓝湾", "Lanwan"), ("海棠", "Haitang"), ("若水", "Ruoshui"), ("峻岭", "Junling"),
    ("望舒", "Wangshu"), ("曜石", "Yaoshi"), ("衡岳", "Hengyue"), ("楚澜", "Chulan"), ("朔方", "Shuofang"),
    ("凌峰", "Lingfeng"), ("星垣", "Xingyuan"), ("澜石", "Lanshi"), ("苇岸", "Wei'an"), ("砺锋", "Lifeng"),
    ("峰岚", "Fenglan"), ("瑞岭", "Ruiling"), ("溪谷", "Xigu"), ("拓远", "Tuoyuan"), ("恒川", "Hengchuan"),
    ("湛澜", "Zhanlan"), ("晨曦", "Chenxi"), ("越峰", "Yuefeng"), ("泓源", "Hongyuan"), ("鼎衡", "Dingheng"),
    ("澄湖", "Chenghu"), ("霁川", "Jichuan"), ("栖梧", "Qiwu"), ("临皋", "Lingao"), ("砚溪", "Yanxi"),
    ("芷汀", "Zhiting"), ("横塘", "Hengtang"), ("问渠", "Wenqu"), ("观岫", "Guanxiu"), ("云帆", "Yunfan"),
    ("拾光", "Shiguang"), ("岫云", "Xiuyun"), ("麓湖", "Luhu"), ("雪松", "Xuesong"), ("沐阳", "Muyang"),
    ("嵩岚", "Songlan"), ("澹台", "Tantai"), ("苍岭", "Cangling"), ("西岑", "Xicen"), ("杉屿", "Shanyu"),
    ("碧川", "Bichuan"), ("烁石", "Shuoshi"), ("铭川", "Mingchuan"), ("镜澜", "Jinglan"), ("启澜", "Qilan"),
    ("溯川", "Suchuan"), ("鲲岳", "Kunyue"), ("凤岐", "Fengqi"), ("琢石", "Zhuoshi"), ("映川", "Yingchuan"),
    ("昱辉", "Yuhui"), ("臻岳", "Zhenyue"), ("锐川", "Ruichuan"), ("崇岭", "Chongling"), ("璞石", "Pushi"),
)

# Invented central-SOE groups: (short zh, pinyin, full zh group name, English group name).
SOE_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("中砺", "Zhongli", "中砺能源集团", "Zhongli Energy Group"),
    ("国岳", "Guoyue", "国岳电力集团", "Guoyue Power Group"),
    ("华曜", "Huayao", "华曜化工集团", "Huayao Chemical Group"),
    ("中澜", "Zhonglan", "中澜海洋工程集团", "Zhonglan Ocean Engineering Group"),
    ("国拓", "Guotuo", "国拓电网集团", "Guotuo Grid Group"),
    ("中瀚", "Zhonghan", "中瀚航天科技集团", "Zhonghan Aerospace Group"),
    ("中驰", "Zhongchi", "中驰轨道装备集团", "Zhongchi Rail Equipment Group"),
    ("华启", "Huaqi", "华启医药集团", "Huaqi Pharmaceutical Group"),
    ("国澄", "Guocheng", "国澄材料集团", "Guocheng Materials Group"),
    ("中翊", "Zhongyi", "中翊装备集团", "Zhongyi Machinery Group"),
    ("国曜", "Guoyao", "国曜信息通信集团", "Guoyao Information and Communications Group"),
    ("中岑", "Zhongcen", "中岑石化集团", "Zhongcen Petrochemical Group"),
)

# The group most natural for each domain (a subsidiary of it is created there).
SOE_GROUP_FOR_DOMAIN: dict[str, tuple[int, ...]] = {
    "new_energy": (0, 1),
    "ccus": (1, 11, 0),
    "hydrogen": (0, 11),
    "grid_storage": (4, 1),
    "new_materials": (8, 2),
    "integrated_circuits": (10, 8),
    "ai_digital": (10, 4),
    "telecom": (10,),
    "aerospace": (5, 8),
    "rail_transit": (6, 9),
    "marine": (3, 9),
    "biomedicine": (7,),
    "advanced_manufacturing": (9, 6),
    "petrochemicals": (11, 2),
}

UNIVERSITY_SUFFIX: tuple[tuple[str, str], ...] = (
    ("理工大学", "University of Technology"),
    ("科技大学", "University of Science and Technology"),
    ("工业大学", "Polytechnic University"),
    ("大学", "University"),
)

INVESTOR_SUFFIX: tuple[tuple[str, str], ...] = (
    ("创业投资有限公司", "Ventures"),
    ("产业投资基金", "Industrial Fund"),
    ("资本管理有限公司", "Capital"),
    ("科创股权投资基金", "Science and Technology Fund"),
)

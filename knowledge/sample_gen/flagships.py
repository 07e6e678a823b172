"""Hand-written flagship records with stable ids that demos, tools tests and evals rely on.

ACH-0001 (sulfide electrolyte, zh) is owned by ORG-0001 (a university); ORG-0002 (an SOE battery
maker) needs exactly that technology; ORG-0003 invests in new energy at TRL 4-7 (fits ACH-0001);
ORG-0004 looks similar but only funds TRL >= 7 (must be excluded for ACH-0001). FAC-0001 is the
solid-state pilot line whose calendar is pinned in `calendar.PINNED`.
"""

from __future__ import annotations

from knowledge.models import Facility
from knowledge.sample_gen.drafts import AchDraft, OrgDraft
from knowledge.sample_gen.formats import patent_number, software_copyright

# Topic bank entries the flagship achievements belong to (retrieval ground truth).
FLAGSHIP_TOPIC = {"ACH-0001": "ne_sulfide_se", "ACH-0002": "cc_amine_solvent", "ACH-0003": "h2_pem_stack"}

# Topics whose industrial need is pre-assigned to a flagship organisation.
PREASSIGNED_NEEDS = {"ne_sulfide_se": "ORG-0002", "ne_li_metal_interface": "ORG-0002"}


def flagship_orgs() -> list[OrgDraft]:
    return [
        OrgDraft(
            id="ORG-0001",
            name="澄湖理工大学",
            kind="university",
            lang="zh",
            domains=["new_energy", "new_materials", "grid_storage"],
            region="Jiangsu",
            capabilities=(
                "学校设有固态电池与先进能源材料研究中心，在硫化物固态电解质、锂金属负极界面和钠离子电池材料方向"
                "拥有教授团队12个、江苏省重点实验室2个，建有手套箱群与百公斤级材料中试平台，"
                "近五年承担国家重点研发计划项目6项，可提供材料表征、电池组装与失效分析服务。"
            ),
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0002",
            name="中砺动力电池有限公司",
            kind="soe",
            lang="zh",
            domains=["new_energy", "grid_storage"],
            region="Jiangsu",
            capabilities=(
                "中砺能源集团（中央企业）所属动力电池子公司，在江苏拥有两大生产基地、合计45 GWh电芯产能，"
                "已建成半固态电池示范线，计划2028年实现全固态电池装车；设有CNAS认可电池检测中心，研发人员1200人。"
            ),
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0003",
            name="Qinglan Energy Ventures",
            kind="investor",
            lang="en",
            domains=["new_energy", "grid_storage", "hydrogen"],
            region="Shanghai",
            needs=[
                "Seeking new energy, storage and hydrogen start-ups at TRL 4-7 spun out of universities and "
                "institutes; tickets of RMB 2 million to 30 million, lead or co-lead from Pre-A to Series B."
            ],
            capabilities=(
                "Manages RMB 3.5 billion across two funds with 41 portfolio companies in batteries, PV and hydrogen; "
                "helps founders reach pilot lines and SOE customers through its LP network."
            ),
            investment_min_cny=2_000_000,
            investment_max_cny=30_000_000,
            trl_min=4,
            trl_max=7,
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0004",
            name="瀚海成长股权投资基金",
            kind="investor",
            lang="zh",
            domains=["new_energy", "grid_storage", "new_materials"],
            region="Beijing",
            needs=[
                "寻求新能源、储能与新材料领域已完成中试、具备量产条件（TRL 7及以上）的成长期项目，"
                "单笔投资5000万-5亿元，可领投并派驻董事。"
            ],
            capabilities="管理规模180亿元，专注成长期与Pre-IPO阶段，已投资动力电池及关键材料企业23家，其中9家已上市。",
            investment_min_cny=50_000_000,
            investment_max_cny=500_000_000,
            trl_min=7,
            trl_max=9,
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0005",
            name="华东先进材料研究院",
            kind="institute",
            lang="zh",
            domains=["new_materials", "new_energy"],
            region="Jiangsu",
            capabilities=(
                "江苏省属新型研发机构，聚焦固态电池材料、高性能纤维与功能涂层，建有固态电池中试线"
                "（含露点-50 °C干燥房）与材料表征中心，科研人员260人，可提供中试验证与小批量试制服务。"
            ),
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0006",
            name="Shuofang Institute of Low-Carbon Technology",
            kind="institute",
            lang="en",
            domains=["ccus", "petrochemicals"],
            region="Shaanxi",
            capabilities=(
                "Provincial new-type R&D institute working on carbon capture solvents, CO2 utilisation and storage "
                "monitoring; operates a 10,000 t/yr flue-gas capture testbed at a coal power plant and a solvent "
                "analysis laboratory, with 140 researchers."
            ),
            fixed=True,
        ),
        OrgDraft(
            id="ORG-0007",
            name="鹤岭氢能研究院",
            kind="institute",
            lang="zh",
            domains=["hydrogen", "new_energy"],
            region="Inner Mongolia",
            capabilities=(
                "聚焦可再生能源制氢、电解槽与氢储运装备，建有兆瓦级电解槽测试平台和风电制氢示范场，"
                "科研人员180人，承担自治区氢能重大专项4项。"
            ),
            fixed=True,
        ),
    ]


def flagship_achievements() -> list[AchDraft]:
    return [
        AchDraft(
            id="ACH-0001",
            topic="ne_sulfide_se",
            lang="zh",
            domain="new_energy",
            title="硫化物固态电解质Li6PS5Cl低成本液相合成与空气稳定化技术",
            summary=(
                "本成果以硫银锗矿型Li6PS5Cl为基础，开发了乙酸乙酯液相合成与表面氧硫化物包覆工艺，"
                "室温离子电导率达11.6 mS/cm，在40%湿度空气中暴露30分钟后H2S释放量低于0.12 cm3/g。"
                "已在20公斤/批中试线上连续制备12批次，批次间电导率偏差小于5%；"
                "以其组装的5 Ah全固态软包电池在0.5C下循环800次容量保持率91%。"
                "技术成熟度TRL 5，已获授权发明专利2件，可采用许可、转让或合作开发方式推进产业化。"
            ),
            keywords=["硫化物固态电解质", "全固态电池", "硫银锗矿", "液相合成", "空气稳定性"],
            trl=5,
            owner_id="ORG-0001",
            region="Jiangsu",
            ip=[
                patent_number(2021, 1, 561234, granted=True),
                patent_number(2022, 1, 1187706, granted=True),
                patent_number(2024, 1, 882513, granted=False),
            ],
            transfer_modes=["assignment", "license", "joint_development"],
            asking_price_cny=5_000_000,
        ),
        AchDraft(
            id="ACH-0002",
            topic="cc_amine_solvent",
            lang="en",
            domain="ccus",
            title="Phase-change biphasic amine solvent with 2.3 GJ/t CO2 regeneration energy for coal flue gas",
            summary=(
                "A biphasic blend of AMP, piperazine and a glycol-ether phase splitter separates into CO2-rich and "
                "CO2-lean phases after absorption, so only about 45% of the solvent inventory is sent to the stripper. "
                "On a 10,000 t/yr pilot unit treating coal-fired flue gas it reached a regeneration energy of "
                "2.3 GJ/t CO2 at a 90% capture rate, against 3.6 GJ/t for 30 wt% MEA on the same unit. "
                "Oxidative degradation losses were 0.45 kg/t CO2 over 2,000 hours of operation. TRL 6; the institute "
                "offers a licence to the formulation together with a process design package."
            ),
            keywords=[
                "carbon capture",
                "biphasic solvent",
                "amine scrubbing",
                "regeneration energy",
                "coal power",
            ],
            trl=6,
            owner_id="ORG-0006",
            region="Shaanxi",
            ip=[
                patent_number(2020, 1, 1342087, granted=True),
                patent_number(2023, 1, 605918, granted=False),
                software_copyright(2023, 1456021),
            ],
            transfer_modes=["license", "service"],
            asking_price_cny=12_000_000,
        ),
        AchDraft(
            id="ACH-0003",
            topic="h2_pem_stack",
            lang="zh",
            domain="hydrogen",
            title="兆瓦级低铱PEM电解水制氢电堆",
            summary=(
                "该电堆采用转印法制备的低铱催化剂涂覆膜（阳极铱载量0.4 mg/cm2）与镀铂钛毡扩散层，"
                "单堆额定功率1 MW，产氢量200 Nm3/h。1.9 V下电流密度达2.5 A/cm2，额定工况直流电耗4.3 kWh/Nm3，"
                "可在10%-120%负荷范围内秒级跟随风电波动。已在内蒙古风电制氢示范平台完成3000小时运行考核，"
                "电压衰减率低于4 µV/h。技术成熟度TRL 6，可采用许可或合作开发方式合作。"
            ),
            keywords=["PEM电解", "电解水制氢", "低铱催化剂", "兆瓦级电堆", "绿氢"],
            trl=6,
            owner_id="ORG-0007",
            region="Inner Mongolia",
            ip=[
                patent_number(2021, 1, 904455, granted=True),
                patent_number(2023, 1, 1276340, granted=False),
            ],
            transfer_modes=["license", "joint_development"],
            asking_price_cny=18_000_000,
        ),
    ]


def flagship_facilities() -> list[Facility]:
    return [
        Facility(
            id="FAC-0001",
            name="华东先进材料研究院固态电池中试线",
            owner_id="ORG-0005",
            kind="pilot_line",
            domains=["new_energy"],
            processes=[
                "硫化物电解质合成",
                "dry-room cell assembly",
                "干法电极制备",
                "温等静压致密化",
                "pouch cell formation and grading",
            ],
            capacity="年产50吨硫化物电解质；0.2 GWh软包电芯 (dry room dew point -50 °C, 600 m2)",
            certifications=["CNAS", "ISO 9001", "IATF 16949"],
            region="Jiangsu",
            daily_rate_cny=38_000,
            min_days=5,
            lead_time_days=14,
            prerequisites=["安全评价报告", "material safety data sheet", "保密协议"],
        ),
        Facility(
            id="FAC-0002",
            name="CO2 Capture Solvent Testbed, Shuofang Institute of Low-Carbon Technology",
            owner_id="ORG-0006",
            kind="testbed",
            domains=["ccus"],
            processes=[
                "post-combustion amine absorption",
                "solvent regeneration energy measurement",
                "solvent degradation and corrosion testing",
                "CO2 compression and purification",
            ],
            capacity="10,000 t/yr CO2 from a 5,000 Nm3/h coal flue-gas slipstream",
            certifications=["CNAS", "CMA", "ISO 45001"],
            region="Shaanxi",
            daily_rate_cny=65_000,
            min_days=7,
            lead_time_days=21,
            prerequisites=[
                "solvent material safety data sheet",
                "HAZOP review of the test plan",
                "安全评价报告",
            ],
        ),
        Facility(
            id="FAC-0003",
            name="鹤岭氢能研究院兆瓦级电解槽测试平台",
            owner_id="ORG-0007",
            kind="testbed",
            domains=["hydrogen"],
            processes=["电解槽性能测试", "风光波动动态工况模拟", "氢气纯度分析", "加速耐久性测试"],
            capacity="最大测试功率5 MW，产氢1000 Nm3/h",
            certifications=["CNAS", "CMA"],
            region="Inner Mongolia",
            daily_rate_cny=45_000,
            min_days=3,
            lead_time_days=10,
            prerequisites=["设备安全技术说明书", "压力容器合格证", "试验方案"],
        ),
    ]

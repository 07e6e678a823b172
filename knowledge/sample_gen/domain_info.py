"""Per-domain vocabulary for fictional organisation names, capabilities and regions."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.sample_gen.spec import Pair, pair, pairs


@dataclass(frozen=True)
class DomainInfo:
    field: Pair  # institute field, e.g. "Low-Carbon Technology|低碳技术"
    businesses: tuple[Pair, ...]  # company business words
    industry_caps: tuple[Pair, ...]  # what a firm in the domain runs
    regions: tuple[str, ...]  # provinces where such activity clusters
    related: tuple[str, ...]  # neighbouring domains an organisation may also cover


def _d(field: str, businesses: str, caps: str, regions: str, related: str) -> DomainInfo:
    return DomainInfo(
        field=pair(field),
        businesses=pairs(businesses),
        industry_caps=pairs(caps),
        regions=tuple(r.strip() for r in regions.split(",")),
        related=tuple(r.strip() for r in related.split(",") if r.strip()),
    )


DOMAIN_INFO: dict[str, DomainInfo] = {
    "new_energy": _d(
        "New Energy Technology|新能源技术",
        "Power Battery|动力电池; Photovoltaic|光伏; New Energy|新能源; Battery Materials|电池材料",
        "runs {gwh} GWh of cell and module capacity with a CNAS-accredited battery test centre|拥有{gwh} GWh电芯及模组产能和CNAS认可电池检测中心; "
        "operates {gw} GW of PV cell lines and a national-level enterprise technology centre|运营{gw} GW光伏电池产线，设有国家级企业技术中心; "
        "produces cathode and anode materials at {kt} kt/yr with a kiln pilot workshop|正负极材料年产能{kt}千吨，配套窑炉中试车间",
        "Jiangsu, Fujian, Sichuan, Guangdong, Zhejiang, Jiangxi, Qinghai, Anhui",
        "grid_storage, new_materials",
    ),
    "ccus": _d(
        "Low-Carbon Technology|低碳技术",
        "Low-Carbon Technology|低碳科技; Carbon Management|碳资产管理; Clean Energy|清洁能源",
        "operates {n} coal and gas units with flue-gas CO2 capture trials under way|运营燃煤及燃气机组{n}台，正在开展烟气CO2捕集试验; "
        "holds CO2 pipeline and injection permits for an oilfield storage block|持有油田封存区块的CO2管输与注入许可; "
        "runs a cement and steel slag business of {kt} kt/yr with kiln flue gas available for trials|经营水泥及钢渣业务{kt}千吨/年，可提供窑炉烟气开展试验",
        "Shaanxi, Inner Mongolia, Xinjiang, Shandong, Ningxia, Shanxi, Jilin, Hebei",
        "petrochemicals, new_energy",
    ),
    "hydrogen": _d(
        "Hydrogen Energy|氢能",
        "Hydrogen Energy|氢能; Fuel Cell|燃料电池; Hydrogen Equipment|氢能装备",
        "operates {n} hydrogen refuelling stations and a fuel-cell truck fleet|运营加氢站{n}座及燃料电池重卡车队; "
        "develops wind and solar hydrogen projects totalling {mw} MW|开发风光制氢项目累计{mw} MW; "
        "manufactures electrolysers and high-pressure hydrogen equipment with ASME and TSG certification|生产电解槽及高压氢气装备，具备ASME与TSG资质",
        "Inner Mongolia, Ningxia, Jilin, Hebei, Shanghai, Guangdong, Shandong, Xinjiang",
        "new_energy, petrochemicals",
    ),
    "grid_storage": _d(
        "Energy Storage and Smart Grid|储能与智能电网",
        "Energy Storage|储能; Smart Grid|智能电网; Power Equipment|电力装备",
        "owns and operates {mw} MW of grid-side and renewable-paired storage|持有并运营电网侧及新能源配储{mw} MW; "
        "manufactures converters and switchgear with a UHV test hall|生产变流器及开关设备，建有特高压试验大厅; "
        "dispatches a provincial distribution network serving {m} million users|调度服务{m}百万用户的省级配电网",
        "Jiangsu, Hubei, Qinghai, Gansu, Guangdong, Zhejiang, Hebei, Shandong",
        "new_energy, ai_digital",
    ),
    "new_materials": _d(
        "Advanced Materials|先进材料",
        "New Materials|新材料; Special Alloys|特种合金; Composites|复合材料; Fine Chemicals|精细化工",
        "runs {kt} kt/yr of specialty materials capacity with pilot extrusion and coating lines|特种材料年产能{kt}千吨，配备挤出与涂布中试线; "
        "supplies aerospace and automotive customers under AS9100 and IATF 16949|按AS9100与IATF 16949体系为航空及汽车客户供货; "
        "operates a powder metallurgy and heat-treatment plant|运营粉末冶金与热处理工厂",
        "Jiangsu, Zhejiang, Shandong, Guangdong, Hunan, Shaanxi, Liaoning, Jiangxi",
        "aerospace, new_energy, advanced_manufacturing",
    ),
    "integrated_circuits": _d(
        "Integrated Circuit Innovation|集成电路创新",
        "Semiconductor|半导体; Microelectronics|微电子; Electronic Materials|电子材料",
        "runs a {inch}-inch wafer fab at {k}k wafers per month|运营{inch}英寸晶圆厂，月产能{k}千片; "
        "operates an advanced packaging and test plant with flip-chip and fan-out lines|运营先进封测工厂，具备倒装与扇出产线; "
        "supplies electronic chemicals and gases to domestic fabs|为国内晶圆厂供应电子化学品与特气",
        "Shanghai, Jiangsu, Beijing, Guangdong, Zhejiang, Anhui, Hubei, Sichuan",
        "ai_digital, telecom, new_materials",
    ),
    "ai_digital": _d(
        "Intelligent Computing|智能计算",
        "Intelligent Technology|智能科技; Industrial Internet|工业互联网; Data Technology|数据科技",
        "runs an industrial internet platform connecting {k}k machines|运营连接{k}千台设备的工业互联网平台; "
        "operates a {pf} PFLOPS computing centre for enterprise AI|运营{pf} PFLOPS企业级智算中心; "
        "delivers digital-factory projects for {n} manufacturers a year|每年为{n}家制造企业交付数字工厂项目",
        "Beijing, Guangdong, Zhejiang, Shanghai, Jiangsu, Sichuan, Hubei, Anhui",
        "integrated_circuits, telecom, advanced_manufacturing",
    ),
    "telecom": _d(
        "Communication Technology|通信技术",
        "Communications|通信; Optoelectronics|光电子; Network Technology|网络技术",
        "operates {k}k base stations and a provincial optical backbone|运营基站{k}千座及省级光传输骨干网; "
        "manufactures optical modules and RF front ends with a 5G OTA chamber|生产光模块与射频前端，建有5G OTA暗室; "
        "builds private networks for mines, ports and factories|为矿山、港口和工厂建设专网",
        "Guangdong, Hubei, Beijing, Jiangsu, Sichuan, Shaanxi, Zhejiang, Shanghai",
        "integrated_circuits, ai_digital",
    ),
    "aerospace": _d(
        "Aerospace Technology|空天技术",
        "Aerospace|航天; Aviation Equipment|航空装备; Satellite Technology|卫星技术",
        "assembles {n} satellites a year with thermal-vacuum and vibration test halls|年总装卫星{n}颗，建有热真空与振动试验大厅; "
        "machines and assembles airframe components under AS9100D|按AS9100D体系加工装配机体部件; "
        "runs an engine test stand for liquid rocket engines|运营液体火箭发动机试车台",
        "Shaanxi, Sichuan, Beijing, Shanghai, Liaoning, Jiangxi, Hunan, Guizhou",
        "new_materials, advanced_manufacturing",
    ),
    "rail_transit": _d(
        "Rail Transit Technology|轨道交通技术",
        "Rail Transit|轨道交通; Rolling Stock|轨道车辆; Railway Signalling|铁路信号",
        "builds {n} metro and EMU cars a year with a full-scale vehicle test line|年产地铁及动车组车辆{n}辆，拥有整车试验线; "
        "maintains {km} km of metro lines and depots|负责{km}公里地铁线路及车辆段运维; "
        "supplies traction and signalling systems certified to EN 50126 SIL4|提供通过EN 50126 SIL4认证的牵引与信号系统",
        "Hunan, Jilin, Shandong, Jiangsu, Sichuan, Beijing, Guangdong, Hubei",
        "advanced_manufacturing, ai_digital",
    ),
    "marine": _d(
        "Marine Equipment|海洋装备",
        "Marine Engineering|海洋工程; Shipbuilding|船舶; Offshore Equipment|海工装备",
        "operates a shipyard delivering {n} vessels a year with a 500,000 t dry dock|运营年交船{n}艘的船厂，拥有50万吨级船坞; "
        "operates offshore oil and gas facilities in water up to 1,500 m|运营水深达1500米的海上油气设施; "
        "builds and installs offshore wind foundations|建造并安装海上风电基础",
        "Shandong, Liaoning, Jiangsu, Shanghai, Guangdong, Zhejiang, Fujian, Hainan",
        "advanced_manufacturing, new_materials",
    ),
    "biomedicine": _d(
        "Biomedicine|生物医药",
        "Biopharmaceutical|生物制药; Pharmaceutical|医药; Medical Devices|医疗器械",
        "runs GMP biologics plants with {kl} kL of bioreactor capacity|运营GMP生物药工厂，生物反应器总容积{kl}千升; "
        "markets {n} approved drugs through a national hospital network|通过全国医院渠道销售已上市药品{n}个; "
        "manufactures Class III medical devices under ISO 13485|按ISO 13485体系生产三类医疗器械",
        "Jiangsu, Shanghai, Zhejiang, Guangdong, Beijing, Sichuan, Hubei, Shandong",
        "new_materials, ai_digital",
    ),
    "advanced_manufacturing": _d(
        "Intelligent Manufacturing|智能制造",
        "Intelligent Equipment|智能装备; Machine Tool|机床; Robotics|机器人; Hydraulics|液压",
        "produces {n} CNC machine tools a year with a precision assembly hall at 20±1 °C|年产数控机床{n}台，拥有20±1 °C恒温装配车间; "
        "builds industrial robots and automation lines for battery and auto plants|为电池与汽车工厂制造工业机器人及自动化产线; "
        "manufactures construction machinery with {dealers} dealers nationwide|生产工程机械，全国经销商{dealers}家",
        "Jiangsu, Zhejiang, Guangdong, Shandong, Liaoning, Hunan, Shanghai, Anhui",
        "new_materials, ai_digital, aerospace",
    ),
    "petrochemicals": _d(
        "Chemical Process Engineering|化工过程",
        "Petrochemical|石化; Refining and Chemicals|炼化; New Chemical Materials|化工新材料",
        "operates a {mt} Mt/yr integrated refinery and an ethylene cracker|运营{mt}百万吨/年炼化一体化基地及乙烯装置; "
        "produces polyolefins and specialty polymers at {kt} kt/yr|聚烯烃及特种聚合物年产能{kt}千吨; "
        "runs coal-to-olefins and methanol units in a chemical park|在化工园区运营煤制烯烃与甲醇装置",
        "Liaoning, Shandong, Zhejiang, Guangdong, Xinjiang, Ningxia, Shaanxi, Jiangsu",
        "ccus, new_materials",
    ),
}

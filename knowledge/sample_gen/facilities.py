"""Pilot facilities (中试平台): per-domain templates instantiated for corpus organisations."""

from __future__ import annotations

import random
from dataclasses import dataclass

from knowledge.domains import DOMAINS
from knowledge.models import Facility
from knowledge.sample_gen.drafts import OrgDraft
from knowledge.sample_gen.spec import Pair, pair, pairs


@dataclass(frozen=True)
class FacilityTemplate:
    domain: str
    kind: str
    name: Pair
    processes: tuple[Pair, ...]
    capacity: Pair
    certifications: tuple[str, ...]
    prerequisites: tuple[Pair, ...]
    rate_k: tuple[int, int]  # daily rate range, thousand RMB
    min_days: tuple[int, int]
    lead: tuple[int, int]


def fac(domain: str, kind: str, name: str, processes: str, capacity: str, certs: str, prereqs: str,
        rate_k: tuple[int, int], min_days: tuple[int, int], lead: tuple[int, int]) -> FacilityTemplate:
    return FacilityTemplate(domain, kind, pair(name), pairs(processes), pair(capacity),
                            tuple(c.strip() for c in certs.split(",")), pairs(prereqs), rate_k, min_days, lead)


_MSDS = "material safety data sheet|化学品安全技术说明书"
_SAFETY = "safety assessment report|安全评价报告"
_NDA = "signed confidentiality agreement|保密协议"
_PLAN = "approved test plan|试验方案"

TEMPLATES: tuple[FacilityTemplate, ...] = (
    # new_energy
    fac("new_energy", "pilot_line", "sodium-ion cell pilot line|钠离子电池中试线",
        "cathode slurry mixing|正极浆料制备; electrode coating and calendering|极片涂布辊压; stacking and pouch sealing|叠片与铝塑膜封装; formation and grading|化成分容",
        "2 Ah-50 Ah pouch cells, 300 cells per day|2-50 Ah软包电芯，日产300只", "CNAS, ISO 9001", f"{_MSDS}; {_NDA}", (18, 45), (3, 7), (7, 21)),
    fac("new_energy", "pilot_line", "perovskite module pilot line|钙钛矿组件中试线",
        "slot-die coating|狭缝涂布; thermal evaporation|热蒸镀; laser scribing P1-P3|激光划线P1-P3; encapsulation and IV testing|封装与IV测试",
        "up to 1.2 m x 0.6 m modules, 10 MW/yr|最大1.2米×0.6米组件，年产10 MW", "CNAS, ISO 9001, ISO 14001", f"{_MSDS}; {_SAFETY}", (25, 70), (5, 10), (10, 30)),
    fac("new_energy", "lab", "battery safety and abuse test lab|电池安全与滥用测试实验室",
        "nail penetration|针刺; thermal runaway propagation|热失控扩散; overcharge and short circuit|过充与短路; altitude simulation|低气压模拟",
        "cells up to 300 Ah and packs up to 100 kWh|单体最大300 Ah、电池包最大100 kWh", "CNAS, CMA, UL witness lab", f"{_MSDS}; {_PLAN}", (8, 25), (1, 3), (3, 14)),
    fac("new_energy", "demonstration_site", "PV outdoor field test site|光伏户外实证基地",
        "outdoor energy-yield monitoring|户外发电量监测; bifacial gain measurement|双面增益测量; soiling and degradation study|积灰与衰减研究",
        "2 MW of test racks on 12 ha|12公顷场地、2 MW测试支架", "CNAS, CMA", f"{_PLAN}; installation drawings|安装图纸", (3, 12), (14, 14), (7, 30)),
    # ccus
    fac("ccus", "testbed", "post-combustion capture slipstream testbed|燃烧后捕集侧线试验平台",
        "absorber-stripper operation|吸收-解吸运行; solvent degradation monitoring|溶剂降解监测; heat-integration trials|热集成试验",
        "1,000 t/yr CO2 from a gas-fired boiler slipstream|燃气锅炉侧线，年捕集1000吨CO2", "CNAS, ISO 45001", f"{_MSDS}; HAZOP review|HAZOP分析报告", (30, 80), (7, 14), (14, 30)),
    fac("ccus", "lab", "CO2 conversion catalysis lab|CO2转化催化实验室",
        "high-pressure fixed-bed evaluation|高压固定床评价; in-situ DRIFTS|原位漫反射红外; electrochemical flow-cell testing|电化学流动池测试",
        "8 parallel reactors up to 10 MPa|8通道并行反应器，最高10 MPa", "CNAS, CMA", f"{_MSDS}; {_NDA}", (5, 15), (1, 5), (3, 10)),
    fac("ccus", "demonstration_site", "CO2 mineralisation demonstration site|CO2矿化示范基地",
        "slag carbonation|钢渣碳化; carbonated block curing|碳化砌块养护; product testing|产品检测",
        "10,000 t/yr of slag|年处理钢渣1万吨", "CMA, ISO 9001", f"{_SAFETY}; {_PLAN}", (15, 40), (5, 14), (10, 30)),
    fac("ccus", "testbed", "geological storage monitoring test well|地质封存监测试验井",
        "fibre-optic DAS/DTS logging|光纤DAS/DTS测井; downhole pressure monitoring|井下压力监测; tracer injection|示踪剂注入",
        "2,000 m monitoring well with surface array|2000米监测井及地面监测阵列", "CMA, ISO 45001", f"{_SAFETY}; well-entry permit|入井作业许可", (40, 120), (3, 10), (14, 30)),
    # hydrogen
    fac("hydrogen", "testbed", "fuel-cell stack test bench|燃料电池电堆测试台",
        "polarisation and EIS testing|极化与阻抗测试; durability cycling|耐久循环; cold-start at -30 °C|-30 °C低温启动",
        "stacks up to 300 kW|电堆功率最大300 kW", "CNAS, CMA", f"{_PLAN}; hydrogen safety training certificate|氢安全培训证书", (10, 35), (2, 7), (5, 14)),
    fac("hydrogen", "lab", "high-pressure hydrogen materials lab|高压氢环境材料实验室",
        "hydrogen embrittlement testing|氢脆测试; slow-strain-rate tensile testing|慢应变速率拉伸; permeation measurement|渗透率测量",
        "gaseous hydrogen up to 140 MPa|气氢压力最高140 MPa", "CNAS, CMA", f"{_MSDS}; specimen drawings|试样图纸", (6, 20), (1, 5), (3, 21)),
    fac("hydrogen", "demonstration_site", "hydrogen refuelling demonstration station|加氢示范站",
        "70 MPa refuelling trials|70 MPa加注试验; compressor endurance runs|压缩机耐久运行; metering verification|计量校验",
        "500 kg/d station capacity|日加注能力500公斤", "ISO 9001, TSG certification", f"{_SAFETY}; pressure equipment certificates|压力设备合格证", (12, 30), (3, 10), (7, 21)),
    fac("hydrogen", "pilot_line", "cylinder winding pilot line|储氢瓶缠绕中试线",
        "liner rotomoulding|内胆滚塑; wet filament winding|湿法缠绕; hydraulic burst and cycle testing|水压爆破与循环测试",
        "2,000 Type IV cylinders per year|年产2000只IV型瓶", "IATF 16949, CNAS", f"{_NDA}; design drawings|设计图纸", (20, 55), (5, 10), (10, 30)),
    # grid_storage
    fac("grid_storage", "testbed", "grid-connected storage test field|储能并网检测场",
        "grid-code compliance testing|并网适应性测试; fault ride-through|故障穿越; round-trip efficiency measurement|能效测试",
        "up to 10 MW / 20 MWh under test|最大10 MW/20 MWh被测系统", "CNAS, CMA", f"{_PLAN}; single-line diagram|一次系统图", (30, 90), (3, 10), (14, 30)),
    fac("grid_storage", "lab", "high-voltage power electronics lab|高压电力电子实验室",
        "double-pulse testing|双脉冲测试; insulation coordination|绝缘配合; EMC pre-compliance|电磁兼容预测试",
        "up to 35 kV and 5 MVA|最高35 kV、5 MVA", "CNAS, CMA, ISO 17025", f"{_PLAN}; {_NDA}", (10, 30), (1, 5), (3, 14)),
    fac("grid_storage", "pilot_line", "flow-battery stack pilot line|液流电池电堆中试线",
        "bipolar plate moulding|双极板模压; stack assembly|电堆组装; electrolyte preparation|电解液配制",
        "30 MW of stacks per year|年产30 MW电堆", "ISO 9001, ISO 14001", f"{_MSDS}; {_SAFETY}", (15, 45), (5, 14), (10, 30)),
    fac("grid_storage", "demonstration_site", "microgrid demonstration park|微电网示范园区",
        "islanding and black-start tests|孤岛与黑启动试验; energy-management validation|能量管理验证; VPP dispatch trials|虚拟电厂调度试验",
        "5 MW PV, 2 MW wind, 10 MWh storage|光伏5 MW、风电2 MW、储能10 MWh", "CMA, ISO 50001", f"{_PLAN}; grid-connection agreement|并网协议", (8, 25), (7, 14), (14, 30)),
    # new_materials
    fac("new_materials", "pilot_line", "carbon-fibre precursor and carbonisation pilot line|碳纤维原丝及碳化中试线",
        "wet spinning|湿法纺丝; oxidation|预氧化; low/high temperature carbonisation|低温/高温碳化; surface treatment and sizing|表面处理与上浆",
        "100 t/yr|年产100吨", "CNAS, AS9100", f"{_NDA}; {_MSDS}", (40, 120), (7, 14), (14, 30)),
    fac("new_materials", "lab", "materials characterisation centre|材料表征中心",
        "SEM/TEM|扫描/透射电镜; XRD and XPS|XRD与XPS; thermal analysis|热分析; mechanical testing|力学性能测试",
        "24 shared instruments|共享仪器24台套", "CNAS, CMA, ISO 17025", f"{_MSDS}", (3, 12), (1, 3), (0, 7)),
    fac("new_materials", "pilot_line", "functional film coating pilot line|功能薄膜涂布中试线",
        "slot-die and gravure coating|狭缝与凹版涂布; UV curing|UV固化; roll-to-roll annealing|卷对卷退火",
        "1,300 mm web width, 30 m/min|幅宽1300毫米，线速30米/分钟", "ISO 9001, ISO 14001", f"{_MSDS}; {_NDA}", (20, 50), (3, 7), (7, 21)),
    fac("new_materials", "pilot_line", "powder atomisation pilot line|粉末雾化中试线",
        "vacuum induction gas atomisation|真空感应气雾化; plasma spheroidisation|等离子球化; sieving and classification|筛分分级",
        "200 L melt crucible, 50 t/yr|200升熔炼坩埚，年产50吨", "AS9100, ISO 9001", f"{_SAFETY}; alloy specification|合金成分要求", (25, 60), (3, 10), (7, 21)),
    # integrated_circuits
    fac("integrated_circuits", "pilot_line", "8-inch MEMS and compound semiconductor pilot line|8英寸MEMS与化合物半导体中试线",
        "lithography|光刻; dry etching|干法刻蚀; PVD/CVD deposition|PVD/CVD沉积; wafer bonding|晶圆键合",
        "class-100 cleanroom, 3,000 wafers per month|百级洁净室，月产3000片", "ISO 9001, IATF 16949", f"{_NDA}; process flow and GDS review|工艺流程与版图审查", (60, 150), (5, 14), (14, 30)),
    fac("integrated_circuits", "lab", "reliability and failure analysis lab|可靠性与失效分析实验室",
        "HTOL/HTGB|高温工作寿命/高温栅偏; FIB cross-section|FIB截面分析; AEC-Q qualification|AEC-Q认证测试",
        "200 burn-in sockets, 2 FIB systems|老化工位200个，FIB 2台", "CNAS, CMA, ISO 17025", f"{_PLAN}; {_NDA}", (8, 30), (1, 7), (3, 14)),
    fac("integrated_circuits", "pilot_line", "advanced packaging pilot line|先进封装中试线",
        "wafer bumping|晶圆凸点; hybrid bonding|混合键合; fan-out RDL|扇出重布线; 2.5D interposer assembly|2.5D转接板组装",
        "12-inch, 1,000 wafers per month|12英寸，月产1000片", "ISO 9001, IATF 16949", f"{_NDA}; package design review|封装设计评审", (50, 140), (5, 14), (14, 30)),
    fac("integrated_circuits", "testbed", "electronic chemicals evaluation line|电子化学品验证线",
        "wet clean evaluation|湿法清洗验证; trace metal analysis by ICP-MS|ICP-MS痕量金属分析; particle counting|颗粒检测",
        "12-inch process tools, 30 lots per month|12英寸工艺设备，月验证30批", "CNAS, ISO 17025", f"{_MSDS}; {_SAFETY}", (20, 60), (3, 10), (7, 21)),
    # ai_digital
    fac("ai_digital", "testbed", "industrial AI test field|工业智能测试场",
        "vision inspection benchmarking|视觉检测评测; PLC and OPC UA integration|PLC与OPC UA集成; edge device stress tests|边缘设备压力测试",
        "6 reconfigurable production cells|6个可重构生产单元", "CNAS, ISO/IEC 27001", f"{_NDA}; data handling plan|数据处理方案", (5, 20), (1, 5), (0, 10)),
    fac("ai_digital", "lab", "AI computing and model evaluation lab|智能算力与模型评测实验室",
        "GPU cluster training|GPU集群训练; model robustness evaluation|模型鲁棒性评测; privacy-computing sandbox|隐私计算沙箱",
        "512 GPU accelerators|GPU加速卡512张", "ISO/IEC 27001, CMA", f"{_NDA}; data compliance statement|数据合规声明", (10, 60), (1, 14), (0, 7)),
    fac("ai_digital", "demonstration_site", "digital twin demonstration plant|数字孪生示范工厂",
        "closed-loop optimisation trials|闭环优化试验; soft-sensor validation|软测量验证; operator training|操作员培训",
        "pilot chemical unit with 1,200 tags|千余测点化工中试装置", "ISO 9001, ISO/IEC 27001", f"{_SAFETY}; {_PLAN}", (15, 45), (5, 14), (7, 30)),
    fac("ai_digital", "testbed", "industrial cybersecurity range|工控安全靶场",
        "penetration testing|渗透测试; PLC attack-defence drills|PLC攻防演练; security compliance assessment|等保测评",
        "12 industrial control scenarios|12类工控场景", "CNAS, CMA", f"{_NDA}; authorisation letter|测试授权书", (8, 30), (2, 7), (3, 14)),
    # telecom
    fac("telecom", "lab", "5G OTA and millimetre-wave anechoic chamber|5G OTA毫米波暗室",
        "antenna pattern measurement|天线方向图测量; EIRP and EIS testing|EIRP与EIS测试; beam management validation|波束管理验证",
        "0.6-110 GHz, 6 m x 4 m quiet zone|0.6-110 GHz，静区6米×4米", "CNAS, CMA", f"{_PLAN}; device radio type-approval status|无线电型号核准情况", (10, 35), (1, 5), (3, 14)),
    fac("telecom", "testbed", "optical transmission testbed|光传输试验网",
        "800G/1.6T transmission tests|800G/1.6T传输测试; C+L band amplification|C+L波段放大; field-fibre emulation|现网光纤模拟",
        "2,000 km recirculating loop|2000公里循环环路", "CNAS", f"{_PLAN}; {_NDA}", (12, 40), (2, 7), (5, 21)),
    fac("telecom", "demonstration_site", "5G industrial private network demo site|5G工业专网示范场",
        "URLLC latency testing|低时延高可靠测试; TSN interworking|TSN互通; private network slicing|专网切片",
        "campus with 40 indoor and 8 outdoor cells|园区室内40小区、室外8小区", "CMA, ISO/IEC 27001", f"{_PLAN}; frequency use permit|频率使用许可", (8, 25), (3, 14), (7, 30)),
    fac("telecom", "pilot_line", "silicon photonics packaging pilot line|硅光封装中试线",
        "fibre-array coupling|光纤阵列耦合; laser bonding|激光器键合; high-speed module testing|高速模块测试",
        "10,000 modules per month|月产1万只模块", "ISO 9001, Telcordia GR-468", f"{_NDA}; product specification|产品规格书", (30, 80), (5, 10), (10, 30)),
    # aerospace
    fac("aerospace", "testbed", "space environment test centre|空间环境试验中心",
        "thermal vacuum cycling|热真空循环; vibration and shock|振动与冲击; atomic-oxygen exposure|原子氧辐照",
        "4 m thermal-vacuum chamber, 10 t shaker|4米热真空罐、10吨振动台", "CNAS, GJB 9001C", f"{_PLAN}; export-control statement|出口管制声明", (40, 120), (3, 10), (14, 30)),
    fac("aerospace", "pilot_line", "aerospace composites pilot line|航空复合材料中试线",
        "automated fibre placement|自动铺丝; autoclave curing|热压罐固化; thermoplastic welding|热塑性焊接; ultrasonic C-scan|超声C扫",
        "4.5 m x 12 m autoclave|热压罐4.5米×12米", "AS9100D, NADCAP", f"{_NDA}; material specification|材料规范", (50, 130), (5, 14), (14, 30)),
    fac("aerospace", "testbed", "liquid rocket engine test stand|液体火箭发动机试车台",
        "hot-fire testing|热试车; cold-flow testing|冷流试验; propellant conditioning|推进剂调节",
        "engines up to 100 t thrust|推力100吨级", "GJB 9001C, ISO 45001", f"{_SAFETY}; test article safety review|试验件安全评审", (80, 150), (3, 7), (21, 30)),
    fac("aerospace", "lab", "metal additive manufacturing lab|金属增材制造实验室",
        "laser powder-bed fusion|激光选区熔化; hot isostatic pressing|热等静压; industrial CT inspection|工业CT检测",
        "build volume 800 x 400 x 500 mm|成形尺寸800×400×500毫米", "AS9100D, CNAS", f"{_NDA}; build files and material spec|打印文件与材料规范", (15, 45), (2, 7), (7, 21)),
    # rail_transit
    fac("rail_transit", "testbed", "bogie and traction test rig|转向架与牵引试验台",
        "roller-rig dynamics|滚动振动试验; traction motor back-to-back testing|牵引电机对拖试验; brake performance|制动性能",
        "speeds up to 600 km/h on the roller rig|滚动台最高600公里/小时", "CNAS, CMA, ISO/IEC 17025", f"{_PLAN}; vehicle parameters|车辆参数", (40, 110), (3, 10), (14, 30)),
    fac("rail_transit", "demonstration_site", "urban rail test line|城轨试验线",
        "GoA4 signalling trials|GoA4信号试验; vehicle type tests|车辆型式试验; energy-recovery validation|能量回收验证",
        "5.6 km loop with 3 stations|5.6公里环线、3座车站", "CMA, EN 50126 assessor", f"{_SAFETY}; rolling-stock entry approval|车辆上线许可", (60, 140), (5, 14), (21, 30)),
    fac("rail_transit", "lab", "rail materials and track component lab|轨道材料与部件实验室",
        "fastener fatigue testing|扣件疲劳试验; rail weld testing|钢轨焊接检测; vibration isolator testing|减振器测试",
        "2,000 kN servo-hydraulic frame|2000千牛伺服液压试验机", "CNAS, CMA", f"{_PLAN}", (5, 18), (1, 7), (3, 14)),
    fac("rail_transit", "pilot_line", "rail vehicle carbody pilot workshop|轨道车辆车体中试车间",
        "friction-stir welding|搅拌摩擦焊; composite moulding|复合材料成型; carbody static load testing|车体静强度试验",
        "full-length carbodies up to 26 m|最长26米整车体", "ISO 3834, EN 15085", f"{_NDA}; design drawings|设计图纸", (30, 80), (7, 14), (14, 30)),
    # marine
    fac("marine", "testbed", "towing tank and wave basin|拖曳水池与波浪水池",
        "resistance and propulsion tests|阻力与推进试验; seakeeping|耐波性试验; floating-platform model tests|浮式平台模型试验",
        "510 m towing tank, 60 m x 40 m wave basin|510米拖曳水池、60米×40米波浪池", "CNAS, CMA", f"{_PLAN}; model drawings|模型图纸", (30, 90), (3, 10), (14, 30)),
    fac("marine", "lab", "deep-sea hyperbaric test lab|深海高压试验室",
        "hyperbaric pressure testing|高压舱压力试验; subsea connector qualification|水下连接器鉴定; seawater corrosion|海水腐蚀",
        "up to 120 MPa (12,000 m depth)|最高120 MPa（万米水深）", "CNAS, CMA, DNV witness", f"{_PLAN}; equipment safety data|设备安全资料", (12, 40), (2, 7), (7, 21)),
    fac("marine", "demonstration_site", "offshore test field|海上试验场",
        "AUV sea trials|AUV海试; offshore wind monitoring|海上风电监测; antifouling panel exposure|防污挂板试验",
        "20 km2 sea area with a moored platform|20平方公里海域及系泊平台", "CMA, ISO 45001", f"{_SAFETY}; maritime activity permit|海上作业许可", (20, 70), (5, 14), (14, 30)),
    fac("marine", "testbed", "marine engine and fuel test bench|船用发动机及燃料试验台",
        "dual-fuel engine testing|双燃料发动机试验; emissions measurement|排放测量; ammonia and methanol handling|氨与甲醇燃料处理",
        "engines up to 5 MW|功率最大5 MW", "CNAS, class society approval", f"{_SAFETY}; {_MSDS}", (35, 100), (5, 14), (14, 30)),
    # biomedicine
    fac("biomedicine", "pilot_line", "GMP biologics pilot plant|GMP生物药中试车间",
        "cell culture in 200 L and 500 L bioreactors|200升及500升细胞培养; chromatography purification|层析纯化; fill and finish|灌装",
        "200 L and 500 L single-use bioreactors|200升及500升一次性生物反应器", "GMP, ISO 9001", f"{_NDA}; cell bank qualification|细胞库检定报告", (60, 150), (7, 14), (21, 30)),
    fac("biomedicine", "lab", "cell and gene therapy process lab|细胞与基因治疗工艺实验室",
        "viral vector production|病毒载体生产; CAR-T manufacturing|CAR-T制备; release assays|放行检测",
        "B+A cleanrooms, 6 isolators|B+A级洁净区，隔离器6台", "GMP, CNAS", f"{_NDA}; biosafety approval|生物安全审批", (25, 80), (3, 14), (14, 30)),
    fac("biomedicine", "testbed", "medical device testing and animal study centre|医疗器械检测与动物实验中心",
        "biocompatibility testing|生物相容性测试; large-animal implantation|大动物植入; fatigue testing of implants|植入物疲劳测试",
        "40 large-animal housing units|大动物饲养单元40个", "CNAS, CMA, GLP", f"{_PLAN}; ethics approval|伦理审批", (15, 50), (5, 14), (14, 30)),
    fac("biomedicine", "pilot_line", "API and intermediate kilo lab|原料药及中间体公斤级实验室",
        "GMP synthesis in 50-500 L reactors|50-500升反应釜GMP合成; enzymatic biotransformation|酶催化转化; crystallisation and drying|结晶干燥",
        "reactors from 50 L to 500 L|50升至500升反应釜", "GMP, ISO 14001", f"{_MSDS}; {_SAFETY}", (20, 60), (3, 10), (7, 21)),
    # advanced_manufacturing
    fac("advanced_manufacturing", "testbed", "machine tool accuracy and reliability test centre|机床精度与可靠性测试中心",
        "laser interferometer calibration|激光干涉仪标定; thermal error testing|热误差测试; spindle run-in|主轴跑合",
        "machines up to 6 m travel|行程最大6米", "CNAS, CMA, ISO 17025", f"{_PLAN}", (8, 25), (2, 7), (5, 14)),
    fac("advanced_manufacturing", "lab", "robotics and reducer test lab|机器人与减速器测试实验室",
        "reducer life testing|减速器寿命试验; backlash and stiffness measurement|回差与刚度测量; robot path accuracy|机器人轨迹精度",
        "24 parallel life-test stations|24个并行寿命工位", "CNAS, CMA", f"{_PLAN}; {_NDA}", (5, 20), (1, 7), (3, 14)),
    fac("advanced_manufacturing", "pilot_line", "laser manufacturing pilot line|激光制造中试线",
        "laser cladding|激光熔覆; laser welding|激光焊接; laser powder-bed fusion|激光选区熔化",
        "20 kW fibre laser, parts up to 8 m long|20 kW光纤激光器，零件长度最大8米", "ISO 9001, ISO 3834", f"{_SAFETY}; part drawings|零件图纸", (15, 50), (2, 10), (7, 21)),
    fac("advanced_manufacturing", "demonstration_site", "smart factory demonstration line|智能工厂示范线",
        "flexible assembly|柔性装配; AGV logistics|AGV物流; MES integration|MES集成",
        "1,200 m2 line with 18 robots|1200平方米产线，机器人18台", "ISO 9001, ISO/IEC 27001", f"{_PLAN}; {_NDA}", (10, 35), (3, 14), (7, 30)),
    # petrochemicals
    fac("petrochemicals", "pilot_line", "catalyst evaluation and scale-up pilot plant|催化剂评价与放大中试装置",
        "fixed-bed and fluidised-bed evaluation|固定床与流化床评价; catalyst forming|催化剂成型; hydroprocessing pilot runs|加氢中试",
        "4 pilot units from 100 mL to 2 L|100毫升至2升中试装置4套", "CNAS, ISO 9001", f"{_MSDS}; {_SAFETY}", (20, 70), (5, 14), (14, 30)),
    fac("petrochemicals", "pilot_line", "polymerisation pilot plant|聚合中试装置",
        "solution polymerisation|溶液聚合; devolatilisation|脱挥; pelletising and film blowing|造粒与吹膜",
        "500 t/yr|年产500吨", "ISO 9001, ISO 14001", f"{_MSDS}; {_SAFETY}; {_NDA}", (40, 110), (7, 14), (14, 30)),
    fac("petrochemicals", "lab", "refinery analysis and wastewater lab|炼化分析与废水实验室",
        "crude assay|原油评价; GC and GC-MS analysis|GC及GC-MS分析; wastewater treatability tests|废水可处理性试验",
        "300 samples per month|月检测样品300个", "CNAS, CMA", f"{_MSDS}", (4, 15), (1, 5), (0, 10)),
    fac("petrochemicals", "demonstration_site", "chemical park shared demonstration unit|化工园区共享示范装置",
        "continuous-flow reaction trials|连续流反应试验; separation and purification|分离提纯; VOC control validation|VOC治理验证",
        "200 L reactor train with utilities|200升反应器串联及公用工程", "ISO 9001, ISO 45001", f"{_SAFETY}; HAZOP review|HAZOP分析报告", (25, 80), (5, 14), (14, 30)),
)

_OWNER_WEIGHTS = {"institute": 35, "university": 25, "soe": 25, "private": 15}


def build_facilities(rng: random.Random, orgs: list[OrgDraft], flagships: list[Facility]) -> list[Facility]:
    """One facility per template plus a second instance for eight domains, owned by orgs in the domain."""
    extra_domains = set(rng.sample(list(DOMAINS), 8))
    plan: list[FacilityTemplate] = []
    for domain in DOMAINS:
        temps = [t for t in TEMPLATES if t.domain == domain]
        plan.extend(temps)
        if domain in extra_domains:
            plan.append(rng.choice(temps))
    used: set[tuple[str, str]] = set()
    names = {f.name for f in flagships}
    out = list(flagships)
    for template in plan:
        candidates = [o for o in orgs if template.domain in o.domains and o.kind in _OWNER_WEIGHTS
                      and (o.id, template.name.en) not in used]
        # Organisations whose main field is the facility's domain are three times as likely to own it.
        weights = [_OWNER_WEIGHTS[o.kind] * (3 if o.domains[0] == template.domain else 1) for o in candidates]
        owner = rng.choices(candidates, weights=weights)[0]
        used.add((owner.id, template.name.en))
        lang = owner.lang
        base = template.name.get(lang)
        name = f"{owner.name}{base}" if lang == "zh" else f"{base[:1].upper()}{base[1:]}, {owner.name}"
        if name in names:
            continue
        names.add(name)
        domains = [template.domain]
        for other in owner.domains:
            if other != template.domain and rng.random() < 0.3:
                domains.append(other)
        out.append(Facility(
            id=f"FAC-{len(out) + 1:04d}",
            name=name,
            owner_id=owner.id,
            kind=template.kind,
            domains=domains,
            processes=[p.get(lang) for p in template.processes],
            capacity=template.capacity.get(lang),
            certifications=list(template.certifications),
            region=owner.region,
            daily_rate_cny=float(rng.randint(*template.rate_k) * 1000),
            min_days=rng.randint(*template.min_days),
            lead_time_days=rng.randint(*template.lead),
            prerequisites=[p.get(lang) for p in template.prerequisites],
        ))
    return out

"""Topic banks: new energy, CCUS, hydrogen, grid and energy storage."""

from __future__ import annotations

from knowledge.sample_gen.spec import Topic, topic

NE = "new_energy"
CC = "ccus"
H2 = "hydrogen"
GS = "grid_storage"

TOPICS: list[Topic] = [
    # ------------------------------------------------------------------ new_energy
    topic(
        NE,
        "ne_sulfide_se",
        "sulfide solid electrolyte|硫化物固态电解质",
        forms="Li6PS5Cl argyrodite|Li6PS5Cl硫银锗矿型; Li10GeP2S12-type|Li10GeP2S12型; "
        "halogen-rich Li5.5PS4.5Cl1.5|富卤素Li5.5PS4.5Cl1.5; oxygen-doped Li7P3S11|氧掺杂Li7P3S11",
        routes="solvent-free high-energy ball milling|无溶剂高能球磨; ethyl-acetate liquid-phase synthesis|乙酸乙酯液相合成; "
        "melt-quench and anneal|熔融淬冷-退火",
        uses="all-solid-state pouch cells|全固态软包电池; sulfide/lithium-metal cells for drones|无人机用锂金属固态电池; "
        "semi-solid EV cells|车用半固态电池",
        metrics="room-temperature ionic conductivity of {} mS/cm|室温离子电导率达{} mS/cm@6.5~13.8; "
        "H2S release below {} cm3/g after 30 min in 40% RH air|40%湿度空气暴露30分钟H2S释放量低于{} cm3/g@0.05~0.40; "
        "critical current density of {} mA/cm2 against Li metal|对锂金属临界电流密度{} mA/cm2@1.2~3.5",
        scales="gram batches in an argon glovebox|氩气手套箱克级合成; a 20 kg/batch pilot line|20公斤/批中试线; "
        "a 100 t/yr demonstration line|百吨级示范产线",
        kw="all-solid-state battery, lithium argyrodite, solid ionic conductor, H2S suppression|全固态电池，硫银锗矿，固体离子导体，抑制硫化氢",
        q="sulfide electrolytes that can be made at scale for all-solid-state batteries|全固态电池用的硫化物电解质",
        need="Seeking a tonne-scale production process for sulfide solid electrolytes with ionic conductivity of at least 10 mS/cm and stable handling in a -40 °C dew-point dry room|"
        "寻求单线产能千吨级的硫化物固态电解质量产工艺，要求离子电导率≥10 mS/cm，可在露点-40 °C干燥房内稳定操作",
        trl=(3, 6),
    ),
    topic(
        NE,
        "ne_perovskite_tandem",
        "perovskite-silicon tandem solar cell|钙钛矿/晶硅叠层太阳电池",
        forms="two-terminal monolithic|两端单片; four-terminal mechanically stacked|四端机械堆叠; "
        "textured-silicon conformal|绒面晶硅共形; wide-bandgap 1.68 eV|1.68 eV宽带隙",
        routes="self-assembled monolayer hole contacts|自组装单分子层空穴传输; hybrid evaporation-solution deposition|蒸镀-溶液两步法沉积; "
        "slot-die coating on textured wafers|绒面狭缝涂布",
        uses="high-efficiency rooftop modules|高效屋顶组件; building-integrated PV façades|光伏建筑一体化幕墙; utility-scale power plants|大型地面电站",
        metrics="certified power conversion efficiency of {}%|认证光电转换效率{}%@28.5~33.2; "
        "over 90% of initial efficiency retained after {} h of 85 °C/85% RH damp heat|85 °C/85%RH湿热{}小时后效率保持90%以上@600~2000; "
        "active area of {} cm2|有效面积{} cm2@1.0~260.0",
        scales="1 cm2 laboratory cells|1 cm2实验室电池; M10 full-size wafers on a 10 MW pilot line|10 MW中试线M10全尺寸硅片; "
        "a 100 MW demonstration line|100 MW示范线",
        kw="perovskite, tandem cell, heterojunction, power conversion efficiency|钙钛矿，叠层电池，异质结，光电转换效率",
        q="perovskite on silicon tandem cells above 30 percent efficiency|钙钛矿叠层电池效率突破",
        need="Looking for a perovskite-silicon tandem process that can be inserted into our 5 GW heterojunction line, with module efficiency above 26% and IEC 61215 damp-heat compliance|"
        "希望引进可嵌入现有5 GW异质结产线的钙钛矿/晶硅叠层工艺，组件效率≥26%并通过IEC 61215湿热测试",
        trl=(3, 7),
    ),
    topic(
        NE,
        "ne_na_cathode",
        "sodium-ion battery cathode|钠离子电池正极材料",
        forms="O3-type layered oxide NaNi1/3Fe1/3Mn1/3O2|O3型层状氧化物NaNi1/3Fe1/3Mn1/3O2; Prussian white Na2MnFe(CN)6|普鲁士白Na2MnFe(CN)6; "
        "polyanionic Na4Fe3(PO4)2P2O7|聚阴离子型Na4Fe3(PO4)2P2O7; copper-doped P2-type oxide|铜掺杂P2型氧化物",
        routes="ammonia-complexed co-precipitation|氨络合共沉淀; low-crystal-water hydrothermal synthesis|低结晶水水热合成; "
        "spray drying and solid-state calcination|喷雾干燥-固相烧结",
        uses="two-wheeler battery packs|两轮车电池包; grid storage cells|储能电芯; 12 V start-stop batteries|12 V启停电池",
        metrics="specific capacity of {} mAh/g at 0.1C|0.1C比容量{} mAh/g@115~162; "
        "capacity retention of {}% after 3000 cycles|3000次循环容量保持率{}%@80~94; "
        "material cost of about RMB {} per kg|材料成本约{}元/公斤@18~45",
        scales="coin cells and 2 Ah pouch cells|扣式电池及2 Ah软包; a 500 t/yr pilot kiln|500吨/年中试窑炉; a 5,000 t/yr production line|5000吨/年产线",
        kw="sodium-ion battery, cathode material, layered oxide, Prussian blue analogue|钠离子电池，正极材料，层状氧化物，普鲁士蓝类似物",
        q="cheap cathode material for sodium-ion batteries|钠离子电池正极材料",
        need="Seeking a sodium-ion cathode supplier or licence delivering over 140 mAh/g and 4,000 cycles for a 2 GWh storage cell plant|"
        "为2 GWh储能电芯工厂寻求钠离子正极材料技术，要求比容量≥140 mAh/g、循环寿命≥4000次",
        trl=(4, 8),
    ),
    topic(
        NE,
        "ne_topcon",
        "TOPCon cell passivation|TOPCon电池钝化接触",
        forms="n-type with 1.2 nm tunnel oxide|n型1.2 nm隧穿氧化层; rear-side localised poly-Si fingers|背面局域多晶硅栅线; "
        "edge-passivated half-cell|半片边缘钝化",
        routes="PECVD in-situ doped poly-Si|PECVD原位掺杂多晶硅; LPCVD with boron diffusion|LPCVD结合硼扩散; laser-assisted firing|激光辅助烧结",
        uses="bifacial utility modules|双面电站组件; distributed rooftop PV|分布式屋顶光伏",
        metrics="mass-production cell efficiency of {}%|量产电池效率{}%@25.3~26.9; "
        "implied open-circuit voltage of {} mV|隐开路电压{} mV@725~748; bifaciality of {}%|双面率{}%@80~90",
        scales="156 mm lab wafers|156 mm实验片; a 600 MW pilot line|600 MW中试线; a 5 GW mass-production line|5 GW量产线",
        kw="TOPCon, tunnel oxide, passivated contact, crystalline silicon|TOPCon，隧穿氧化层，钝化接触，晶硅电池",
        q="raise TOPCon solar cell efficiency with better passivation|提高TOPCon电池效率的钝化技术",
        need="Need an upgrade package for our 8 GW TOPCon lines that lifts average cell efficiency by at least 0.4 percentage points without new deposition tools|"
        "现有8 GW TOPCon产线需要技术升级方案，在不新增沉积设备的前提下平均效率提升≥0.4个百分点",
        trl=(5, 9),
    ),
    topic(
        NE,
        "ne_si_anode",
        "silicon-carbon anode|硅碳负极材料",
        forms="CVD silicon in porous carbon|多孔碳CVD沉积硅; pre-lithiated SiOx|预锂化氧化亚硅; nano-silicon/graphite composite|纳米硅/石墨复合",
        routes="fluidised-bed silane deposition|流化床硅烷沉积; magnesium pre-doping|预镁化处理; spray-pyrolysis carbon coating|喷雾热解碳包覆",
        uses="4C fast-charging EV cells|4C快充动力电池; consumer pouch cells|消费类软包电池; eVTOL high-energy cells|eVTOL高比能电芯",
        metrics="reversible capacity of {} mAh/g|可逆比容量{} mAh/g@480~1900; initial coulombic efficiency of {}%|首次库伦效率{}%@86.0~92.5; "
        "electrode swelling limited to {}%|极片膨胀率控制在{}%以内@18~40",
        scales="half cells and 1 Ah pouch cells|半电池及1 Ah软包; a 300 t/yr pilot plant|300吨/年中试装置; a 3,000 t/yr production line|3000吨/年产线",
        kw="silicon anode, lithium-ion battery, high energy density, volume expansion|硅负极，锂离子电池，高能量密度，体积膨胀",
        q="silicon anode that does not swell so much|低膨胀的硅碳负极",
        need="Seeking a silicon-carbon anode above 1,500 mAh/g with first-cycle efficiency over 90% for 350 Wh/kg EV cells, qualification samples within six months|"
        "寻求比容量≥1500 mAh/g、首效≥90%的硅碳负极，用于350 Wh/kg动力电芯，半年内提供验证样品",
        trl=(3, 8),
    ),
    topic(
        NE,
        "ne_battery_recycling",
        "spent lithium-ion battery recycling|退役锂电池回收",
        forms="LFP black-mass direct regeneration|磷酸铁锂黑粉直接修复再生; NCM hydrometallurgical recovery|三元材料湿法回收; "
        "lithium-first selective extraction|优先提锂",
        routes="solid-state relithiation|固相补锂; oxalic-acid leaching|草酸浸出; sulphate roasting and water leaching|硫酸盐焙烧-水浸",
        uses="cathode-grade material resupply|正极材料再生供应; battery-grade lithium carbonate|电池级碳酸锂",
        metrics="lithium recovery of {}%|锂回收率{}%@90.0~98.5; processing cost of RMB {} per tonne of black mass|黑粉处理成本{}元/吨@3500~9000; "
        "regenerated capacity of {} mAh/g|再生材料容量{} mAh/g@150~162",
        scales="bench-scale leaching tests|小试浸出实验; a 1,000 t/yr pilot plant|千吨级中试线; a 20,000 t/yr recycling plant|2万吨/年回收工厂",
        kw="battery recycling, black mass, lithium recovery, circular economy|电池回收，黑粉，锂回收，循环经济",
        q="recover lithium from old EV batteries|废旧动力电池提锂技术",
        need="Looking for an LFP black-mass regeneration route with lithium recovery above 95% and wastewater below 1 m3 per tonne for a 30,000 t/yr recycling plant|"
        "3万吨/年回收工厂寻求磷酸铁锂黑粉再生工艺，锂回收率≥95%，吨处理废水≤1立方米",
        trl=(4, 8),
    ),
    topic(
        NE,
        "ne_wind_sparcap",
        "carbon-fibre spar cap for wind turbine blades|风电叶片碳纤维主梁",
        forms="pultruded carbon-fibre plank|拉挤碳纤维板; glass/carbon hybrid laminate|玻碳混杂铺层; recyclable thermoplastic|可回收热塑性",
        routes="vacuum infusion with pultruded planks|拉挤板真空灌注; in-situ polymerised acrylic resin|原位聚合丙烯酸树脂; automated tape laying|自动铺带",
        uses="15 MW offshore turbines|15 MW海上风机; low-wind-speed onshore turbines|低风速陆上风机",
        metrics="blade length of {} m|叶片长度{}米@98~131; mass reduction of {}% versus an all-glass design|较全玻纤方案减重{}%@15~28; "
        "fatigue life above {} million cycles|疲劳寿命超过{}百万次@10~20",
        scales="coupon and sub-component tests|试样及子部件测试; a full-scale test blade|全尺寸测试叶片; serial production of 200 blade sets|200套批量生产",
        kw="wind blade, spar cap, carbon fibre, pultrusion|风电叶片，主梁，碳纤维，拉挤",
        q="lighter blades for big offshore wind turbines|大型海上风机叶片轻量化",
        need="Need a spar-cap solution for 126 m offshore blades that cuts blade mass by 20% while keeping the material cost increase below RMB 80,000 per blade|"
        "126米海上叶片主梁方案，要求减重20%，单支材料成本增幅不超过8万元",
        trl=(4, 9),
    ),
    topic(
        NE,
        "ne_lmfp",
        "lithium manganese iron phosphate cathode|磷酸锰铁锂正极材料",
        forms="LiMn0.6Fe0.4PO4|LiMn0.6Fe0.4PO4; LMFP blended with NCM523|LMFP/NCM523复合; nano-sized carbon-coated LMFP|纳米碳包覆LMFP",
        routes="solid-state synthesis with in-situ carbon coating|固相法原位碳包覆; hydrothermal crystallisation|水热结晶; sol-gel with Mg/Ti co-doping|溶胶凝胶镁钛共掺",
        uses="mid-range EV packs|中端电动车电池包; electric two-wheelers|电动两轮车",
        metrics="discharge plateau of {} V|放电平台{} V@3.95~4.10; compacted density of {} g/cm3|压实密度{} g/cm3@2.35~2.65; "
        "manganese dissolution below {} ppm after 500 cycles|500次循环锰溶出低于{} ppm@60~250",
        scales="laboratory tube furnace batches|实验室管式炉批次; a 2,000 t/yr pilot line|2000吨/年中试线; a 20,000 t/yr plant|2万吨/年工厂",
        kw="LMFP, phosphate cathode, manganese doping, energy density|磷酸锰铁锂，磷酸盐正极，锰掺杂，能量密度",
        q="LMFP cathode with higher voltage than LFP|比磷酸铁锂电压更高的正极",
        need="Seeking an LMFP cathode with compacted density over 2.5 g/cm3 and low manganese dissolution to replace LFP in 180 Wh/kg packs|"
        "寻求压实密度≥2.5 g/cm3、锰溶出低的磷酸锰铁锂，替代磷酸铁锂用于180 Wh/kg电池包",
        trl=(3, 8),
    ),
    topic(
        NE,
        "ne_pv_recycling",
        "end-of-life PV module recycling|退役光伏组件回收",
        forms="hot-knife glass separation|热刀玻璃分离; low-temperature EVA pyrolysis|低温EVA热解; wet-chemical silver recovery|湿法回收银",
        routes="mechanical-thermal delamination|机械-热法拆解; solvent swelling of encapsulant|溶剂溶胀封装层; electrowinning|电积提纯",
        uses="glass and aluminium frame reuse|玻璃与铝边框回用; high-purity silicon and silver recovery|高纯硅与银回收",
        metrics="mass recovery rate of {}%|材料回收率{}%@90~97; silver recovery of {}%|银回收率{}%@92~99; "
        "throughput of {} modules per hour|处理能力{}块/小时@30~120",
        scales="single-module lab trials|单块组件实验; a 5,000 t/yr pilot line|5000吨/年中试线; a 30,000 t/yr plant|3万吨/年工厂",
        kw="PV recycling, solar panel waste, silver recovery, EVA removal|光伏回收，组件退役，银回收，EVA去除",
        q="what to do with old solar panels at end of life|废旧光伏板怎么回收",
        need="Looking for a PV module recycling line with over 95% mass recovery and no fluorine-containing emissions for a provincial decommissioning programme|"
        "为全省退役光伏组件处置项目寻求回收产线，材料回收率≥95%且无含氟排放",
        trl=(4, 8),
    ),
    topic(
        NE,
        "ne_li_metal_interface",
        "lithium-metal anode interface engineering|锂金属负极界面修饰",
        forms="LiF-rich artificial SEI|富LiF人工SEI膜; lithiophilic Ag-C interlayer|亲锂银碳中间层; anode-free current collector coating|无负极集流体涂层",
        routes="atomic layer deposition|原子层沉积; roll-to-roll vapour fluorination|卷对卷气相氟化; magnetron sputtering|磁控溅射",
        uses="sulfide all-solid-state cells|硫化物全固态电池; 500 Wh/kg lithium-metal pouch cells|500 Wh/kg锂金属软包电池",
        metrics="lithium plating/stripping coulombic efficiency of {}%|锂沉积/剥离库伦效率{}%@99.2~99.9; "
        "stable cycling for {} h at 1 mA/cm2|1 mA/cm2下稳定循环{}小时@800~3000; interlayer thickness of {} nm|中间层厚度{} nm@20~500",
        scales="symmetric coin cells|对称扣式电池; 10 Ah pouch cells from a pilot line|中试线10 Ah软包; automotive sample cells|车规送样电芯",
        kw="lithium metal, dendrite suppression, interface, solid-state battery|锂金属，枝晶抑制，界面，固态电池",
        q="stop lithium dendrites in solid-state cells|固态电池锂枝晶怎么抑制",
        need="Seeking an anode interface treatment compatible with sulfide electrolytes that suppresses dendrites at 2 mA/cm2 for 1,000 cycles in 20 Ah cells|"
        "寻求与硫化物电解质兼容的负极界面处理技术，20 Ah电芯在2 mA/cm2下循环1000次无枝晶短路",
        trl=(2, 5),
    ),
    # ------------------------------------------------------------------ ccus
    topic(
        CC,
        "cc_amine_solvent",
        "low-regeneration-energy amine solvent for CO2 capture|低再生能耗CO2捕集胺吸收剂",
        forms="AMP/PZ blended amine|AMP/PZ复配胺; phase-change biphasic amine|相变两相胺; water-lean amine|少水胺; ionic-liquid-promoted amine|离子液体促进胺",
        routes="split-flow stripping with lean-vapour compression|分流解吸与贫液闪蒸压缩; intercooled absorber|级间冷却吸收塔; MVR heat-pump reboiler|MVR热泵再沸器",
        uses="coal-fired power plant flue gas|燃煤电厂烟气; cement kiln flue gas|水泥窑尾气; gas turbine exhaust|燃气轮机尾气",
        metrics="regeneration energy of {} GJ/t CO2|再生能耗{} GJ/t CO2@2.1~2.8; CO2 capture rate of {}%|CO2捕集率{}%@90~96; "
        "solvent degradation loss of {} kg/t CO2|溶剂降解损耗{} kg/t CO2@0.3~1.2",
        scales="a 1 t/d bench absorber-stripper|1吨/天小试吸收-解吸装置; a 10,000 t/yr pilot unit|万吨级中试装置; a 500,000 t/yr demonstration unit|50万吨/年示范工程",
        kw="carbon capture, amine scrubbing, solvent, post-combustion|碳捕集，胺法吸收，吸收剂，燃烧后捕集",
        q="how to cut the energy cost of amine carbon capture|降低胺法碳捕集能耗",
        need="Seeking a CO2 capture solvent with regeneration energy below 2.5 GJ/t for a 1 Mt/yr coal power retrofit|"
        "为100万吨/年燃煤电厂碳捕集改造寻求再生能耗低于2.5 GJ/t CO2的吸收剂",
        trl=(4, 8),
    ),
    topic(
        CC,
        "cc_slag_mineralisation",
        "CO2 mineralisation of steel slag|钢渣CO2矿化",
        forms="direct aqueous carbonation|直接湿法碳酸化; indirect ammonium-salt leaching|铵盐间接浸出; semi-dry carbonation curing|半干法碳化养护",
        routes="high-gravity rotating packed bed|超重力旋转填充床; pressurised autoclave curing|加压釜式养护; flue-gas direct contact|烟气直接接触",
        uses="autoclaved building blocks|蒸压建筑砌块; precipitated calcium carbonate|轻质碳酸钙; road-base aggregate|路基骨料",
        metrics="CO2 uptake of {} kg per tonne of slag|每吨钢渣固碳{}公斤@150~290; calcium conversion of {}%|钙转化率{}%@65~92; "
        "compressive strength of {} MPa|抗压强度{} MPa@15~45",
        scales="a 5 kg batch reactor|5公斤批次反应器; a 10,000 t/yr pilot line|万吨级中试线; a 100,000 t/yr plant at a steelworks|钢厂10万吨/年工程",
        kw="mineral carbonation, steel slag, CO2 utilisation, solid waste|矿化固碳，钢渣，CO2利用，固废资源化",
        q="turn steelmaking slag and CO2 into building materials|钢渣固碳做建材",
        need="Looking for a slag carbonation process that uses converter flue gas directly and produces blocks above MU15 strength, for 300,000 t/yr of slag|"
        "利用转炉烟气直接矿化钢渣制砌块，强度≥MU15，处理规模30万吨/年钢渣",
        trl=(3, 8),
    ),
    topic(
        CC,
        "cc_co2_methanol",
        "CO2 hydrogenation to methanol catalyst|CO2加氢制甲醇催化剂",
        forms="In2O3/ZrO2|In2O3/ZrO2; Zr-promoted Cu/ZnO/Al2O3|锆助剂Cu/ZnO/Al2O3; ZnZrOx solid solution|ZnZrOx固溶体",
        routes="co-precipitation with controlled ageing|控制老化共沉淀; flame spray pyrolysis|火焰喷雾热解; ammonia-evaporation deposition|蒸氨沉积",
        uses="green methanol from captured CO2 and electrolytic hydrogen|捕集CO2与绿氢合成绿色甲醇; coke-oven gas valorisation|焦炉气综合利用",
        metrics="methanol selectivity of {}%|甲醇选择性{}%@75~92; single-pass CO2 conversion of {}%|CO2单程转化率{}%@8~22; "
        "stable operation for {} h|稳定运行{}小时@1000~6000",
        scales="a fixed-bed microreactor|固定床微反应器; a 1,000 t/yr pilot unit|千吨级中试装置; a 100,000 t/yr demonstration plant|10万吨/年示范装置",
        kw="CO2 hydrogenation, green methanol, catalyst, e-fuel|CO2加氢，绿色甲醇，催化剂，电制燃料",
        q="making methanol from captured carbon dioxide|二氧化碳制甲醇",
        need="Need a CO2-to-methanol catalyst with over 85% selectivity and 8,000 h life for a 100,000 t/yr green methanol project fed by wind-power hydrogen|"
        "10万吨/年风电制氢耦合绿色甲醇项目，需要选择性≥85%、寿命≥8000小时的CO2加氢催化剂",
        trl=(3, 7),
    ),
    topic(
        CC,
        "cc_dac",
        "direct air capture sorbent|直接空气捕集吸附剂",
        forms="amine-grafted silica|胺接枝二氧化硅; Mg-MOF with diamine appendage|二胺修饰镁基MOF; K2CO3 on alumina|氧化铝负载碳酸钾",
        routes="temperature-vacuum swing adsorption|变温变压吸附; moisture-swing regeneration|湿度变换再生; steam-assisted desorption|蒸汽辅助脱附",
        uses="negative-emission credits|负排放碳信用; CO2 supply for greenhouses|温室CO2气肥",
        metrics="CO2 working capacity of {} mmol/g|CO2工作容量{} mmol/g@1.0~2.6; desorption temperature of {} °C|脱附温度{} °C@80~110; "
        "total energy use of {} GJ/t CO2|综合能耗{} GJ/t CO2@5.5~9.0",
        scales="packed-column breakthrough tests|固定床穿透实验; a 100 t/yr contactor module|百吨级接触器模组; a 1,000 t/yr demonstration array|千吨级示范阵列",
        kw="direct air capture, DAC, sorbent, negative emissions|直接空气捕集，DAC，吸附剂，负排放",
        q="pull CO2 straight out of the air|从空气中捕集二氧化碳",
        need="Seeking a DAC sorbent module below 7 GJ/t CO2 that runs on 100 °C waste heat, for a 1,000 t/yr negative-emissions pilot|"
        "千吨级负排放试点寻求可利用100 °C余热再生、能耗低于7 GJ/t CO2的DAC吸附模组",
        trl=(2, 6),
    ),
    topic(
        CC,
        "cc_eor_storage",
        "CO2 flooding and geological storage monitoring|CO2驱油与地质封存监测",
        forms="CO2 miscible flooding|CO2混相驱; water-alternating-gas injection|水气交替注入; saline-aquifer storage|咸水层封存",
        routes="distributed fibre-optic sensing|分布式光纤传感; time-lapse 4D seismic|时移4D地震; pressure-transient inversion|压力瞬态反演",
        uses="low-permeability oilfields|低渗透油田; offshore saline aquifers|海上咸水层",
        metrics="incremental oil recovery of {} percentage points|提高采收率{}个百分点@6~15; storage ratio of {}%|CO2埋存率{}%@55~80; "
        "monitoring coverage of {} km2|监测覆盖{}平方公里@5~60",
        scales="core-flooding experiments|岩心驱替实验; a 5-well pilot test area|5井组先导试验区; a 1 Mt/yr injection project|百万吨级注入工程",
        kw="CO2-EOR, geological storage, monitoring, MMV|CO2驱油，地质封存，监测，封存安全",
        q="monitor CO2 leakage after injecting it underground|二氧化碳封存泄漏监测",
        need="Looking for an integrated MMV system for a 1 Mt/yr CO2-EOR project in tight oil, including fibre-optic well monitoring and leak early warning|"
        "为百万吨级致密油CO2驱油封存项目寻求一体化监测方案，含井下光纤监测与泄漏预警",
        trl=(4, 9),
    ),
    topic(
        CC,
        "cc_oxyfuel",
        "oxy-fuel and chemical-looping combustion|富氧燃烧与化学链燃烧",
        forms="pressurised|增压; atmospheric retrofit|常压改造; biomass co-firing|生物质掺烧",
        routes="flue-gas recirculation control|烟气再循环控制; iron-ore oxygen carriers in dual fluidised beds|双流化床铁矿石载氧体; oxygen-staged burners|分级供氧燃烧器",
        uses="industrial boilers|工业锅炉; coal power units|燃煤机组",
        metrics="flue-gas CO2 concentration of {}%|烟气CO2浓度{}%@80~95; net efficiency penalty of {} percentage points|净效率损失{}个百分点@4.5~9.0; "
        "oxygen-carrier lifetime of {} h|载氧体寿命{}小时@500~3000",
        scales="a 50 kWth test rig|50 kWth试验台; a 3 MWth pilot boiler|3 MWth中试锅炉; a 35 MWth demonstration unit|35 MWth示范装置",
        kw="oxy-fuel, chemical looping, CO2-ready combustion, boiler|富氧燃烧，化学链，燃烧捕碳，锅炉",
        q="burn fuel in oxygen so the flue gas is almost pure CO2|富氧燃烧碳捕集",
        need="Need an oxy-fuel retrofit design for a 130 t/h industrial boiler producing flue gas above 85% CO2 with under 6 points efficiency loss|"
        "130吨/小时工业锅炉富氧燃烧改造，要求烟气CO2浓度≥85%，效率损失不超过6个百分点",
        trl=(3, 7),
    ),
    topic(
        CC,
        "cc_membrane",
        "CO2 separation membrane|CO2分离膜",
        forms="PEBAX mixed-matrix|PEBAX混合基质; facilitated-transport amine|胺基促进传递; carbon molecular sieve hollow-fibre|碳分子筛中空纤维",
        routes="interfacial polymerisation on PES supports|PES基膜界面聚合; dip-coating of hollow fibres|中空纤维浸涂; controlled pyrolysis|控制热解",
        uses="natural gas sweetening|天然气脱碳; biogas upgrading|沼气提纯; flue gas pre-concentration|烟气预浓缩",
        metrics="CO2 permeance of {} GPU|CO2渗透速率{} GPU@800~2500; CO2/N2 selectivity of {}|CO2/N2选择性{}@35~120; "
        "stable for {} h under humid flue gas|湿烟气中稳定运行{}小时@500~4000",
        scales="flat-sheet coupons|平板膜片; 8-inch spiral-wound modules|8英寸卷式组件; a 50,000 Nm3/d skid|5万标方/天撬装装置",
        kw="membrane separation, gas permeance, selectivity, carbon capture|膜分离，气体渗透，选择性，碳捕集",
        q="membranes for separating carbon dioxide from gas|二氧化碳膜分离",
        need="Seeking spiral-wound CO2 membranes above 1,500 GPU for biogas upgrading to 97% methane at 20,000 Nm3/d|"
        "沼气提纯至97%甲烷，处理量2万标方/天，寻求渗透速率≥1500 GPU的卷式CO2分离膜",
        trl=(3, 7),
    ),
    topic(
        CC,
        "cc_polycarbonate",
        "CO2-based polycarbonate polyols|CO2基聚碳酸酯多元醇",
        forms="zinc-cobalt double-metal-cyanide catalysed|锌钴双金属氰化物催化; salen-cobalt catalysed|salen钴催化; organoborane metal-free|有机硼无金属催化",
        routes="semi-batch copolymerisation with propylene oxide|与环氧丙烷半间歇共聚; continuous tubular reactor|连续管式反应器",
        uses="polyurethane foams|聚氨酯泡沫; waterborne coatings|水性涂料; biodegradable packaging films|可降解包装膜",
        metrics="CO2 content of {} wt%|CO2含量{} wt%@20~43; catalyst productivity of {} kg per gram|催化效率{}公斤/克@3~12; "
        "cyclic carbonate by-product below {}%|环状碳酸酯副产物低于{}%@2~8",
        scales="a 2 L autoclave|2升高压釜; a 3,000 t/yr pilot plant|3000吨/年中试装置; a 30,000 t/yr plant|3万吨/年装置",
        kw="CO2 copolymer, polycarbonate polyol, polyurethane, carbon utilisation|CO2共聚物，聚碳酸酯多元醇，聚氨酯，碳利用",
        q="use CO2 as a raw material for plastics|用二氧化碳做塑料原料",
        need="Looking for a CO2-polyol technology with at least 30 wt% CO2 that drops into our 50,000 t/yr polyether polyol plant|"
        "寻求CO2含量≥30 wt%的聚碳酸酯多元醇技术，可在现有5万吨/年聚醚装置上改造实施",
        trl=(3, 8),
    ),
    topic(
        CC,
        "cc_electroreduction",
        "CO2 electroreduction|CO2电催化还原",
        forms="ethylene-selective Cu gas-diffusion|铜基气体扩散电极产乙烯; CO-selective Ag nanoparticle|银纳米颗粒产CO; formate-selective Bi-based|铋基产甲酸",
        routes="membrane-electrode-assembly electrolyser|膜电极电解槽; acidic-electrolyte flow cell|酸性电解液流动池; solid-electrolyte cell|固体电解质电解池",
        uses="renewable-power-to-chemicals|可再生电力制化学品; on-site CO production for steelworks|钢厂现场制CO",
        metrics="Faradaic efficiency of {}%|法拉第效率{}%@60~95; current density of {} mA/cm2|电流密度{} mA/cm2@200~800; "
        "stable for {} h|稳定运行{}小时@100~1200",
        scales="5 cm2 lab cells|5 cm2实验电解池; a 1 kW stack|千瓦级电堆; a 100 kW demonstration system|百千瓦级示范系统",
        kw="electrocatalysis, CO2 reduction, electrolyser, power-to-X|电催化，CO2还原，电解槽，电转化学品",
        q="electrolyser that turns CO2 into ethylene or CO|二氧化碳电解制乙烯",
        need="Seeking a CO2 electrolyser stack above 300 mA/cm2 and 1,000 h life to produce CO on site from captured CO2 at a steel plant|"
        "钢厂利用捕集CO2现场电解制CO，寻求电流密度≥300 mA/cm2、寿命≥1000小时的电解电堆",
        trl=(2, 5),
    ),
    topic(
        CC,
        "cc_mrv_platform",
        "carbon accounting and MRV platform|碳排放核算与MRV平台",
        forms="facility-level emissions ledger|企业级排放台账; CCUS chain MRV|CCUS全链条监测核算; product carbon footprint|产品碳足迹",
        routes="IoT metering with blockchain notarisation|物联网计量+区块链存证; emission-factor knowledge base|排放因子知识库; mass-balance reconciliation|质量平衡校核",
        uses="national carbon market compliance|全国碳市场履约; CBAM export reporting|欧盟CBAM出口申报",
        metrics="coverage of {} emission sources|覆盖排放源{}个@200~5000; accounting cycle cut to {} days|核算周期缩短至{}天@1~7; "
        "deviation from third-party verification below {}%|与第三方核查偏差小于{}%@0.5~3.0",
        scales="historical data back-testing|历史数据回测; a 6-month trial at one power group|某发电集团6个月试运行; deployment across 40 plants|40家工厂规模化部署",
        kw="carbon accounting, MRV, carbon market, CBAM|碳核算，MRV，碳市场，碳边境调节",
        q="software to calculate and report company carbon emissions|企业碳排放核算软件",
        need="Need an MRV platform that handles CBAM reporting for our steel exports and reconciles with national carbon market verification within 1%|"
        "钢材出口需要CBAM申报，寻求与全国碳市场核查偏差≤1%的碳排放MRV平台",
        trl=(5, 9),
        software=True,
    ),
    # ------------------------------------------------------------------ hydrogen
    topic(
        H2,
        "h2_pem_stack",
        "PEM water electrolyser stack|PEM电解水制氢电堆",
        forms="250 kW|250千瓦; megawatt-class|兆瓦级; low-iridium|低铱载量; high-pressure 3 MPa|3 MPa高压",
        routes="titanium felt porous transport layers with Pt coating|镀铂钛毡扩散层; catalyst-coated membrane by decal transfer|转印法CCM; "
        "laser-welded bipolar plates|激光焊接双极板",
        uses="wind and solar hydrogen plants|风光制氢项目; refinery hydrogen supply|炼厂供氢; on-site hydrogen for refuelling stations|加氢站现场制氢",
        metrics="current density of {} A/cm2 at 1.9 V|1.9 V下电流密度{} A/cm2@2.0~3.2; iridium loading of {} mg/cm2|铱载量{} mg/cm2@0.20~0.80; "
        "DC energy consumption of {} kWh/Nm3 H2|直流电耗{} kWh/Nm3@4.10~4.50",
        scales="25 cm2 single cells|25 cm2单池; a 250 kW stack on a test platform|250 kW电堆平台测试; a 5 MW demonstration plant|5 MW示范项目",
        kw="PEM electrolysis, green hydrogen, iridium, electrolyser stack|PEM电解，绿氢，铱催化剂，电解槽电堆",
        q="proton exchange membrane electrolyser that follows wind power|PEM电解槽",
        need="Seeking a megawatt PEM electrolyser stack below 4.4 kWh/Nm3 with iridium under 0.5 mg/cm2 for a 20 MW wind-hydrogen project|"
        "20 MW风电制氢项目寻求直流电耗≤4.4 kWh/Nm3、铱载量≤0.5 mg/cm2的兆瓦级PEM电堆",
        trl=(4, 8),
    ),
    topic(
        H2,
        "h2_alkaline",
        "pressurised alkaline electrolyser|加压碱性电解槽",
        forms="1,000 Nm3/h|1000标方/小时; composite-diaphragm|复合隔膜; wide-load-range|宽负荷",
        routes="zirfon-type PPS composite diaphragm|PPS复合隔膜; Raney-nickel plasma-sprayed electrodes|等离子喷涂雷尼镍电极; dynamic lye-flow control|动态碱液流量控制",
        uses="off-grid solar hydrogen|离网光伏制氢; coal-chemical hydrogen substitution|煤化工绿氢替代",
        metrics="minimum stable load of {}%|最低稳定负荷{}%@10~30; DC energy consumption of {} kWh/Nm3|直流电耗{} kWh/Nm3@4.20~4.60; "
        "cold start in {} min|冷启动时间{}分钟@10~40",
        scales="a 10 Nm3/h test cell|10标方/小时试验槽; a 1,000 Nm3/h prototype|1000标方/小时样机; a 100 MW demonstration plant|百兆瓦示范工程",
        kw="alkaline electrolysis, diaphragm, renewable hydrogen, load flexibility|碱性电解，隔膜，可再生氢，负荷调节",
        q="alkaline electrolysers that can run at low load with solar power|适应光伏波动的碱性电解槽",
        need="Looking for 1,000 Nm3/h alkaline electrolysers that run stably down to 20% load with gas purity above 99.5% for an off-grid solar project|"
        "离网光伏制氢项目需要1000标方碱性电解槽，20%负荷下稳定运行、气体纯度≥99.5%",
        trl=(5, 9),
    ),
    topic(
        H2,
        "h2_aem",
        "anion exchange membrane electrolysis|阴离子交换膜电解水",
        forms="poly(aryl piperidinium) membrane|聚芳基哌啶鎓膜; PGM-free NiFe anode|无贵金属镍铁阳极; 5 kW AEM stack|5千瓦AEM电堆",
        routes="superacid-catalysed polycondensation|超强酸催化缩聚; electrodeposited NiFe-LDH|电沉积镍铁LDH; roll-to-roll membrane casting|卷对卷流延",
        uses="distributed hydrogen production|分布式制氢; home energy storage|户用储能制氢",
        metrics="membrane conductivity of {} mS/cm at 80 °C|80 °C电导率{} mS/cm@80~160; durability of {} h at 1 A/cm2|1 A/cm2下耐久{}小时@1000~5000; "
        "cell voltage of {} V at 1 A/cm2|1 A/cm2下电压{} V@1.70~1.90",
        scales="5 cm2 lab cells|5 cm2实验单池; a 5 kW stack|5 kW电堆; a 100 kW demonstration system|百千瓦示范系统",
        kw="AEM electrolysis, anion exchange membrane, PGM-free, hydrogen|AEM电解，阴离子交换膜，无贵金属，制氢",
        q="electrolyser without platinum or iridium|无贵金属电解水制氢",
        need="Seeking an AEM membrane or stack technology with 2,000 h durability at 1 A/cm2 to build 10 kW containerised hydrogen units|"
        "拟开发10 kW集装箱式制氢机组，寻求1 A/cm2下耐久≥2000小时的AEM膜或电堆技术",
        trl=(2, 6),
    ),
    topic(
        H2,
        "h2_soec",
        "solid oxide electrolysis cell|固体氧化物电解池",
        forms="metal-supported|金属支撑; fuel-electrode-supported|燃料极支撑; co-electrolysis of H2O/CO2|H2O/CO2共电解",
        routes="tape casting and co-sintering|流延-共烧; atmospheric plasma spraying|大气等离子喷涂; infiltrated nano-electrodes|浸渍纳米电极",
        uses="nuclear and industrial waste-heat hydrogen|核能及工业余热制氢; syngas production|合成气制备",
        metrics="electrical efficiency of {}% (LHV)|电效率{}%（低热值）@85~98; degradation of {}% per 1,000 h|衰减率{}%/千小时@0.4~1.5; "
        "operating temperature of {} °C|工作温度{} °C@650~800",
        scales="button cells|纽扣电池; a 30-cell short stack|30片短堆; a 200 kW system|200 kW系统",
        kw="SOEC, high-temperature electrolysis, co-electrolysis, ceramic cell|SOEC，高温电解，共电解，陶瓷电池",
        q="high temperature electrolysis using waste heat|利用余热的高温电解制氢",
        need="Need an SOEC system of at least 100 kW coupled to 180 °C process steam, with degradation below 1% per 1,000 h|"
        "寻求可耦合180 °C工艺蒸汽、衰减≤1%/千小时的百千瓦级SOEC系统",
        trl=(2, 6),
    ),
    topic(
        H2,
        "h2_type4_tank",
        "Type IV hydrogen cylinder|IV型储氢瓶",
        forms="70 MPa|70 MPa; 35 MPa|35 MPa; large-volume 320 L|320升大容积",
        routes="wet filament winding with T700 carbon fibre|T700碳纤维湿法缠绕; rotomoulded HDPE liner|滚塑高密度聚乙烯内胆; integrated boss sealing|瓶口一体化密封",
        uses="heavy fuel-cell trucks|燃料电池重卡; city fuel-cell buses|城市燃料电池客车; hydrogen tube trailers|长管拖车",
        metrics="gravimetric hydrogen density of {} wt%|质量储氢密度{} wt%@5.5~6.8; burst pressure of {} MPa|爆破压力{} MPa@158~180; "
        "liner permeation of {} NmL/h/L|内胆渗透率{} NmL/h/L@0.5~2.0",
        scales="burst and cycle tests on prototype bottles|样瓶爆破与循环测试; type-approval batch production|型式试验小批量; 10,000 bottles/yr serial production|万支/年量产",
        kw="Type IV tank, hydrogen storage, carbon fibre winding, polymer liner|IV型瓶，储氢，碳纤维缠绕，塑料内胆",
        q="lightweight 70 MPa hydrogen storage tanks for trucks|70兆帕车载储氢瓶",
        need="Seeking a 70 MPa Type IV cylinder licence above 5.7 wt% that has passed GB/T 35544 testing, for 2,000 heavy trucks a year|"
        "年配套2000辆燃料电池重卡，寻求质量储氢密度≥5.7 wt%并通过GB/T 35544检测的70 MPa IV型瓶技术",
        trl=(4, 9),
    ),
    topic(
        H2,
        "h2_lohc",
        "liquid organic hydrogen carrier|有机液体储氢",
        forms="dibenzyltoluene|二苄基甲苯; N-ethylcarbazole|N-乙基咔唑; methylcyclohexane|甲基环己烷",
        routes="Pt/Al2O3 dehydrogenation|Pt/Al2O3催化脱氢; Pd-free Ni-based hydrogenation|镍基加氢; heat-integrated reactor|热集成反应器",
        uses="long-distance hydrogen shipping|长距离氢运输; seasonal hydrogen storage|季节性储氢",
        metrics="hydrogen storage capacity of {} wt%|储氢量{} wt%@5.5~6.2; dehydrogenation temperature of {} °C|脱氢温度{} °C@180~300; "
        "catalyst lifetime of {} h|催化剂寿命{}小时@1000~8000",
        scales="a 100 mL autoclave|100毫升反应釜; a 100 kg/d hydrogen pilot unit|百公斤/天中试装置; a 5 t/d demonstration|5吨/天示范",
        kw="LOHC, hydrogen carrier, dehydrogenation catalyst, hydrogen logistics|LOHC，储氢载体，脱氢催化剂，氢储运",
        q="store and ship hydrogen as a liquid at ambient pressure|常压液态有机储氢",
        need="Looking for a LOHC system releasing 1 t/d of hydrogen below 280 °C for a 600 km hydrogen supply chain to chemical parks|"
        "为600公里化工园区供氢链寻求脱氢温度≤280 °C、放氢1吨/天的有机液体储氢系统",
        trl=(3, 7),
    ),
    topic(
        H2,
        "h2_fuel_cell_mea",
        "fuel-cell membrane electrode assembly|燃料电池膜电极",
        forms="ultra-low-platinum|超低铂; high-temperature PBI|高温PBI; ordered-electrode|有序化电极",
        routes="direct catalyst spraying on membrane|膜上直接喷涂; ionomer-gradient layering|离聚物梯度涂布; vertically aligned carbon nanotube supports|垂直碳纳米管载体",
        uses="heavy-duty truck stacks|重卡电堆; stationary combined heat and power|固定式热电联供",
        metrics="peak power density of {} W/cm2|峰值功率密度{} W/cm2@1.00~1.60; platinum use of {} g/kW|铂用量{} g/kW@0.10~0.35; "
        "durability of {} h|耐久性{}小时@8000~25000",
        scales="50 cm2 single cells|50 cm2单电池; a 120 kW stack|120 kW电堆; 1,000 vehicle sets a year|千台套/年量产",
        kw="MEA, PEMFC, platinum catalyst, fuel cell stack|膜电极，质子交换膜燃料电池，铂催化剂，燃料电池电堆",
        q="fuel cell electrodes using less platinum|低铂燃料电池膜电极",
        need="Seeking an MEA at or below 0.2 g Pt/kW with 20,000 h lifetime for a 200 kW heavy-truck fuel-cell stack|"
        "200 kW重卡燃料电池电堆寻求铂用量≤0.2 g/kW、寿命≥2万小时的膜电极",
        trl=(4, 8),
    ),
    topic(
        H2,
        "h2_pipeline_blending",
        "hydrogen blending in natural-gas pipelines|天然气管道掺氢输送",
        forms="X70 steel trunkline|X70钢干线; urban distribution network|城镇燃气管网; pure-hydrogen dedicated pipeline|纯氢管道",
        routes="in-situ hydrogen-embrittlement testing|原位氢脆测试; dynamic blending ratio control|动态掺混比控制; inner-wall barrier coating|内壁阻氢涂层",
        uses="gas utilities|燃气公司; industrial burners|工业燃烧器",
        metrics="hydrogen blending ratio of {}%|掺氢比例{}%@5~30; fracture toughness retention of {}%|断裂韧性保持率{}%@70~92; "
        "metering error below {}%|计量误差小于{}%@0.5~2.0",
        scales="full-scale pipe segment tests|全尺寸管段试验; a 20 km blending demonstration|20公里掺氢示范; a 400 km trunkline application|400公里干线应用",
        kw="hydrogen blending, pipeline, hydrogen embrittlement, gas network|掺氢，管道输送，氢脆，燃气管网",
        q="can we mix hydrogen into existing gas pipes|天然气管道掺氢安全吗",
        need="Need a validated package to blend 10-20% hydrogen into an urban gas network serving 200,000 households, including meter and burner adaptation|"
        "为20万户城市燃气管网掺氢10%-20%寻求成套方案，含计量表与燃具适配",
        trl=(4, 8),
    ),
    topic(
        H2,
        "h2_ammonia_cracking",
        "ammonia cracking for hydrogen|氨分解制氢",
        forms="Ru/La2O3|Ru/La2O3; Ni-Co non-precious|镍钴非贵金属; Pd-membrane reactor|钯膜反应器",
        routes="electrically heated structured reactor|电加热结构化反应器; autothermal partial oxidation|自热部分氧化; PSA purification|变压吸附提纯",
        uses="ammonia-to-hydrogen at ports|港口氨制氢; fuel-cell backup power|燃料电池备用电源",
        metrics="ammonia conversion of {}% at 500 °C|500 °C氨转化率{}%@95.0~99.9; hydrogen purity of {}%|氢气纯度{}%@99.900~99.999; "
        "residual ammonia below {} ppm|残氨低于{} ppm@0.1~5.0",
        scales="a fixed-bed test with 10 g catalyst|10克催化剂固定床; a 50 Nm3/h skid|50标方/小时撬装; a 1,000 Nm3/h unit|1000标方/小时装置",
        kw="ammonia cracking, hydrogen carrier, ruthenium catalyst, PSA|氨分解，氢载体，钌催化剂，变压吸附",
        q="get hydrogen back out of ammonia|用氨分解制取氢气",
        need="Seeking an ammonia cracker of 500 Nm3/h producing fuel-cell-grade hydrogen (NH3 below 0.1 ppm) for a port bunkering hub|"
        "港口氢能枢纽需要500标方/小时氨分解装置，产氢满足燃料电池级（残氨≤0.1 ppm）",
        trl=(3, 7),
    ),
    topic(
        H2,
        "h2_station_compressor",
        "hydrogen refuelling station compressor|加氢站压缩机",
        forms="ionic-liquid piston|离子液活塞式; metal diaphragm|金属隔膜式; liquid-hydrogen pump|液氢增压泵",
        routes="oil-free sealing|无油密封; two-stage intercooled compression|两级间冷压缩; diaphragm fatigue-life design|膜片疲劳寿命设计",
        uses="70 MPa car refuelling|70 MPa乘用车加注; 35 MPa truck stations|35 MPa重卡加氢站",
        metrics="discharge pressure of {} MPa|排气压力{} MPa@45~90; throughput of {} kg/h|流量{} kg/h@20~100; specific energy of {} kWh/kg|比能耗{} kWh/kg@1.5~3.0",
        scales="a bench prototype|台架样机; a 500 kg/d station trial|500公斤/天加氢站试用; fleet supply to 30 stations|30座加氢站批量应用",
        kw="hydrogen compressor, refuelling station, diaphragm compressor, HRS|氢气压缩机，加氢站，隔膜压缩机，加注",
        q="domestic compressors for hydrogen stations|国产加氢站压缩机",
        need="Looking for a 90 MPa oil-free hydrogen compressor above 50 kg/h with MTBF over 4,000 h for 1,000 kg/d stations|"
        "1000公斤/天加氢站寻求90 MPa无油氢气压缩机，流量≥50 kg/h，平均无故障时间≥4000小时",
        trl=(4, 9),
    ),
    # ------------------------------------------------------------------ grid_storage
    topic(
        GS,
        "gs_vanadium_flow",
        "vanadium redox flow battery|全钒液流电池",
        forms="high-concentration 2.0 M electrolyte|2.0 M高浓度电解液; thin-film composite membrane stack|复合膜电堆; 32 kW stack|32千瓦电堆",
        routes="mixed-acid electrolyte formulation|混酸电解液配方; welded stack assembly|焊接式电堆组装; flow-field optimisation|流场优化",
        uses="4-hour renewable firming|4小时新能源配储; industrial park peak shaving|工业园区削峰填谷",
        metrics="energy efficiency of {}% at 200 mA/cm2|200 mA/cm2下能量效率{}%@78~86; electrolyte cost of RMB {} per kWh|电解液成本{}元/kWh@900~1600; "
        "cycle life of {} cycles|循环寿命{}次@15000~20000",
        scales="a 1 kW stack|1 kW电堆; a 250 kW/1 MWh system|250 kW/1 MWh系统; a 100 MW/400 MWh station|100 MW/400 MWh电站",
        kw="flow battery, vanadium, long-duration storage, electrolyte|液流电池，全钒，长时储能，电解液",
        q="long duration storage with flow batteries|长时储能液流电池",
        need="Seeking a vanadium flow stack above 82% energy efficiency at 200 mA/cm2 for a 100 MW/400 MWh shared storage station|"
        "100 MW/400 MWh共享储能电站寻求200 mA/cm2下能量效率≥82%的全钒液流电堆",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_iron_chromium",
        "iron-chromium flow battery|铁铬液流电池",
        forms="Bi-catalysed negative electrode|铋催化负极; mixed-reactant electrolyte|混合电解液; kilowatt-class stack|千瓦级电堆",
        routes="hydrogen-evolution suppression additive|析氢抑制添加剂; electrolyte rebalancing cell|电解液再平衡电池; carbon-felt thermal activation|碳毡热活化",
        uses="low-cost 6-8 hour storage|6-8小时低成本储能; island microgrids|海岛微电网",
        metrics="energy efficiency of {}%|能量效率{}%@72~82; capacity fade of {}% per 1,000 cycles|每千次容量衰减{}%@0.5~3.0; "
        "system cost of RMB {} per kWh|系统成本{}元/kWh@1500~2400",
        scales="a single-cell test|单电池测试; a 250 kW module|250 kW模块; a 1 MW/6 MWh demonstration|1 MW/6 MWh示范",
        kw="iron-chromium, flow battery, low-cost storage, hydrogen evolution|铁铬，液流电池，低成本储能，析氢",
        q="cheaper flow battery than vanadium|比全钒便宜的液流电池",
        need="Need a flow-battery technology for 8-hour storage below RMB 2,000 per kWh installed for an island microgrid of 5 MW|"
        "5 MW海岛微电网需要8小时储能，系统成本低于2000元/kWh的液流电池技术",
        trl=(3, 7),
    ),
    topic(
        GS,
        "gs_caes",
        "compressed air energy storage|压缩空气储能",
        forms="salt-cavern adiabatic|盐穴绝热; artificial-cavern|人工硐室; near-isothermal|近等温",
        routes="high-temperature packed-bed heat storage|高温填充床蓄热; multi-stage intercooled compression|多级间冷压缩; liquid-piston compression|液体活塞压缩",
        uses="grid-scale peaking|电网调峰; renewable base-load support|新能源基地支撑",
        metrics="round-trip efficiency of {}%|电-电转换效率{}%@60~72; installed capacity of {} MW|装机容量{} MW@10~300; storage duration of {} h|储能时长{}小时@4~8",
        scales="a 100 kW test rig|100 kW试验台; a 10 MW pilot plant|10 MW中试电站; a 300 MW commercial station|300 MW商业电站",
        kw="CAES, compressed air, salt cavern, thermal storage|压缩空气储能，盐穴，蓄热，调峰",
        q="storing electricity as compressed air underground|压缩空气储能盐穴",
        need="Seeking an adiabatic CAES design above 70% round-trip efficiency for a 300 MW project using an abandoned salt cavern|"
        "利用废弃盐穴建设300 MW压缩空气储能，寻求电-电效率≥70%的绝热方案",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_grid_forming",
        "grid-forming energy storage converter|构网型储能变流器",
        forms="virtual synchronous generator|虚拟同步机; droop-controlled|下垂控制; modular multilevel|模块化多电平",
        routes="adaptive inertia control|自适应惯量控制; black-start sequencing|黑启动时序; SiC power stage|碳化硅功率级",
        uses="weak grids at desert renewable bases|沙漠新能源基地弱电网; microgrid islanding|微电网孤岛运行",
        metrics="inertia response within {} ms|惯量响应时间{} ms@10~50; short-circuit current support of {} times rated|短路电流支撑{}倍额定@1.5~3.0; "
        "conversion efficiency of {}%|转换效率{}%@98.5~99.3",
        scales="hardware-in-the-loop tests|硬件在环测试; a 2.5 MW field unit|2.5 MW现场样机; a 200 MW grid-forming storage station|200 MW构网储能电站",
        kw="grid-forming, PCS, virtual inertia, weak grid|构网型，储能变流器，虚拟惯量，弱电网",
        q="storage inverters that support weak grids|构网型储能变流器",
        need="Need grid-forming PCS units of 2.5 MW each with black-start capability for a 1 GW desert renewables base with short-circuit ratio below 1.5|"
        "沙漠1 GW新能源基地短路比低于1.5，需要具备黑启动能力的2.5 MW构网型储能变流器",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_thermal_runaway",
        "thermal-runaway early warning for battery storage|储能电站热失控预警",
        forms="H2/CO gas sensing|氢气/一氧化碳气体探测; online impedance spectroscopy|在线阻抗谱; fibre Bragg grating temperature sensing|光纤光栅测温",
        routes="multi-signal fusion with gradient boosting|多信号融合梯度提升; venting-gas spectral analysis|排气光谱分析; cell-level edge computing|电芯级边缘计算",
        uses="containerised storage stations|集装箱储能电站; user-side commercial storage|用户侧工商业储能",
        metrics="warning lead time of {} min before venting|排气前{}分钟预警@8~30; false alarm rate of {}%|误报率{}%@0.1~1.5; "
        "cell-level localisation accuracy of {}%|电芯级定位准确率{}%@90~99",
        scales="abuse tests on single cells|单体滥用试验; a 5 MWh container trial|5 MWh集装箱试点; deployment in 60 stations|60座电站部署",
        kw="thermal runaway, battery safety, early warning, BESS|热失控，电池安全，早期预警，储能系统",
        q="detect battery fires in storage containers before they start|储能电池起火前预警",
        need="Looking for a thermal-runaway warning system with at least 10 minutes lead time and under 0.5% false alarms for 3 GWh of storage containers|"
        "3 GWh储能集装箱需要提前≥10分钟、误报率≤0.5%的热失控预警系统",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_flywheel",
        "flywheel energy storage|飞轮储能",
        forms="carbon-fibre rotor|碳纤维转子; alloy-steel rotor|合金钢转子; magnetically levitated|磁悬浮",
        routes="active magnetic bearings|主动磁轴承; vacuum-sealed housing|真空密封壳体; high-speed permanent-magnet motor|高速永磁电机",
        uses="frequency regulation|电网调频; UPS for data centres|数据中心不间断电源; regenerative energy in metro|地铁再生制动能量回收",
        metrics="power of {} kW per unit|单机功率{} kW@250~1000; response time of {} ms|响应时间{} ms@5~20; standby loss of {}% per hour|待机损耗{}%/小时@1.0~3.0",
        scales="a spin-test rig|旋转试验台; a 1 MW array trial|1 MW阵列试运行; a 30 MW frequency-regulation station|30 MW调频电站",
        kw="flywheel, frequency regulation, magnetic bearing, power quality|飞轮储能，调频，磁轴承，电能质量",
        q="fast response storage for grid frequency control|电网快速调频储能",
        need="Seeking flywheel units of at least 500 kW with millisecond response to pair with a 600 MW thermal unit for frequency regulation|"
        "600 MW火电机组联合调频，需要单机≥500 kW、毫秒级响应的飞轮储能",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_liquid_cooled_container",
        "liquid-cooled battery storage container|液冷储能集装箱",
        forms="5 MWh 20-foot|20尺5 MWh; immersion-cooled|浸没式冷却; 314 Ah cell based|314 Ah电芯",
        routes="cold-plate thermal design with CFD|冷板CFD热设计; pack-level fire suppression|PACK级消防; integrated PCS skid|一体化PCS舱",
        uses="renewable plant co-located storage|新能源配储; independent shared storage|独立共享储能",
        metrics="cell temperature difference below {} °C|电芯温差小于{} °C@2.0~3.5; auxiliary power consumption of {}%|辅助功耗{}%@0.8~2.0; "
        "energy density of {} kWh per m2 footprint|占地能量密度{} kWh/m2@250~420",
        scales="a single-rack thermal test|单簇热测试; a 10 MWh trial station|10 MWh试点电站; a 400 MWh station|400 MWh电站",
        kw="BESS, liquid cooling, thermal management, container|储能系统，液冷，热管理，集装箱",
        q="keep storage battery cells at even temperature|储能电芯温差控制",
        need="Need 5 MWh liquid-cooled containers with cell temperature spread below 3 °C and auxiliary consumption under 1.5% for a 200 MWh project|"
        "200 MWh项目需要电芯温差≤3 °C、辅助功耗≤1.5%的5 MWh液冷储能集装箱",
        trl=(5, 9),
    ),
    topic(
        GS,
        "gs_vpp",
        "virtual power plant aggregation platform|虚拟电厂聚合平台",
        forms="demand-response aggregation|需求响应聚合; EV-charging flexibility|充电桩柔性调度; distributed PV and storage|分布式光储",
        routes="reinforcement-learning bidding|强化学习报价; day-ahead load forecasting|日前负荷预测; edge gateway control|边缘网关控制",
        uses="provincial spot markets|省级现货市场; ancillary service markets|辅助服务市场",
        metrics="aggregated flexible capacity of {} MW|聚合可调容量{} MW@50~800; dispatch tracking accuracy of {}%|调度跟踪准确率{}%@90~98; "
        "control latency of {} s|控制时延{}秒@1~10",
        scales="simulation on historical market data|历史市场数据仿真; a city-district trial|城区试点; a province-wide operation|全省范围运营",
        kw="virtual power plant, demand response, aggregation, electricity market|虚拟电厂，需求响应，聚合商，电力市场",
        q="aggregate factory loads to sell flexibility on the power market|虚拟电厂聚合可调负荷",
        need="Looking for a VPP platform able to aggregate 300 MW of industrial load and bid in the provincial spot and ancillary markets|"
        "寻求可聚合300 MW工业负荷、参与省级现货与辅助服务市场的虚拟电厂平台",
        trl=(5, 9),
        software=True,
    ),
    topic(
        GS,
        "gs_hvdc_breaker",
        "high-voltage DC circuit breaker|高压直流断路器",
        forms="hybrid|混合式; mechanical with active oscillation|机械式主动振荡; load-commutated|负载换流式",
        routes="fast repulsion mechanism|快速斥力机构; IGBT series valves|IGBT串联阀; coupled-negative-pressure design|耦合负压设计",
        uses="offshore wind DC grids|海上风电直流电网; multi-terminal VSC-HVDC|多端柔性直流",
        metrics="breaking current of {} kA|开断电流{} kA@15~26; breaking time of {} ms|开断时间{} ms@2.0~3.5; rated voltage of {} kV|额定电压{} kV@200~535",
        scales="a synthetic test circuit|合成试验回路; a 200 kV prototype|200 kV样机; a commissioned 535 kV grid project|535 kV工程投运",
        kw="HVDC breaker, DC grid, fault current, VSC-HVDC|直流断路器，直流电网，故障电流，柔性直流",
        q="breaking fault currents in DC grids|直流电网故障开断",
        need="Need a 500 kV DC breaker interrupting 25 kA within 3 ms for a four-terminal offshore wind DC grid|"
        "四端海上风电直流电网需要3毫秒内开断25 kA的500 kV直流断路器",
        trl=(4, 9),
    ),
    topic(
        GS,
        "gs_molten_salt",
        "molten-salt thermal energy storage|熔盐储热",
        forms="ternary nitrate salt|三元硝酸熔盐; chloride salt for 700 °C|700 °C氯化物熔盐; single-tank thermocline|单罐斜温层",
        routes="electric salt heaters|电加热熔盐; corrosion-resistant alloy tanks|耐腐蚀合金储罐; steam-generator retrofit|蒸汽发生器改造",
        uses="coal-plant flexibility retrofits|煤电灵活性改造; industrial steam supply|工业供汽; concentrated solar power|光热发电",
        metrics="operating temperature of {} °C|工作温度{} °C@290~700; storage capacity of {} MWh thermal|储热容量{} MWht@50~3000; "
        "daily heat loss of {}%|日热损失{}%@0.5~2.0",
        scales="a salt-loop test bench|熔盐回路试验台; a 20 MWht demonstration|20 MWht示范; a 1,000 MWht coal-plant retrofit|1000 MWht煤电改造工程",
        kw="molten salt, thermal storage, flexibility, steam supply|熔盐，储热，灵活性改造，供汽",
        q="store heat in molten salt to make a coal plant more flexible|熔盐储热煤电调峰",
        need="Seeking a molten-salt storage retrofit of at least 800 MWht for a 660 MW coal unit to cut minimum load to 20% while keeping industrial steam supply|"
        "660 MW煤电机组拟建≥800 MWht熔盐储热，深调至20%负荷同时保障工业供汽",
        trl=(5, 9),
    ),
]

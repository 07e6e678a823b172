"""Policy citations used by the term-sheet compliance checks, in one place.

Each entry names a document id and section ref that exist in `knowledge/sample/policies/`
(tests check this), in both languages; findings cite the one matching the output language.
"""

from __future__ import annotations

from pydantic import BaseModel


class PolicyRef(BaseModel):
    """A citable section: document id and section ref."""

    doc_id: str
    ref: str
    title: str = ""


class BilingualRef(BaseModel):
    en: PolicyRef
    zh: PolicyRef

    def pick(self, lang: str) -> PolicyRef:
        return self.zh if lang == "zh" else self.en


def _ref(doc: str, en_ref: str, zh_ref: str, en_title: str, zh_title: str) -> BilingualRef:
    return BilingualRef(
        en=PolicyRef(doc_id=f"{doc}-EN", ref=en_ref, title=en_title),
        zh=PolicyRef(doc_id=f"{doc}-ZH", ref=zh_ref, title=zh_title),
    )


_PTSTA = (
    "Law on Promoting the Transformation of S&T Achievements (2015)",
    "促进科技成果转化法（2015年修正）",
)
_SOE = ("Cai Zi [2016] No. 4", "财资〔2016〕4号")
_EIT_REGS = ("EIT Law Implementing Regulations", "企业所得税法实施条例")
_EIT_LAW = ("Enterprise Income Tax Law", "企业所得税法")

ART44 = _ref("CN-LAW-PTSTA-2015", "Article 44", "第四十四条", *_PTSTA)
ART45 = _ref("CN-LAW-PTSTA-2015", "Article 45", "第四十五条", *_PTSTA)
SOE_EQUITY_CAPS = _ref("CN-MOF-SOE-INCENTIVE-2016", "Chapter 3", "第三章", *_SOE)
SOE_DIVIDEND_CAP = _ref("CN-MOF-SOE-INCENTIVE-2016", "Chapter 4", "第四章", *_SOE)
EIT_ART90 = _ref("CN-REG-EIT-2007", "Article 90", "第九十条", *_EIT_REGS)
EIT_RATE = _ref("CN-LAW-EIT-2007", "Article 4", "第四条", *_EIT_LAW)
CAISHUI_2015_116 = _ref(
    "CN-MOF-CAISHUI-2015-116", "Item 2", "第二项", "Cai Shui [2015] No. 116", "财税〔2015〕116号"
)
CAISHUI_2010_111 = _ref(
    "CN-MOF-CAISHUI-2010-111", "Item 2", "第二项", "Cai Shui [2010] No. 111", "财税〔2010〕111号"
)
CIVIL_CODE_ROYALTY = _ref(
    "CN-LAW-CIVIL-CODE-TECH-CONTRACTS-2020",
    "Article 846",
    "第八百四十六条",
    "Civil Code (technology contracts)",
    "民法典（技术合同）",
)

CIVIL_CODE_JOINT_IP = _ref(
    "CN-LAW-CIVIL-CODE-TECH-CONTRACTS-2020",
    "Article 860",
    "第八百六十条",
    "Civil Code (technology contracts)",
    "民法典（技术合同）",
)
PATENT_CO_OWNERS = _ref(
    "CN-LAW-PATENT-2020", "Article 14", "第十四条", "Patent Law (2020 revision)", "专利法（2020年修正）"
)
CAISHUI_2016_101_TECH_INVESTMENT = _ref(
    "CN-MOF-CAISHUI-2016-101", "Item 3", "第三项", "Cai Shui [2016] No. 101", "财税〔2016〕101号"
)
ROYALTY_NOTE_MINIMUM = _ref(
    "SAMPLE-NOTE-ROYALTY-PRACTICE",
    "Item 4",
    "第四项",
    "Royalty practice note (sample)",
    "提成实务说明（样例）",
)

ALL_REFS: dict[str, BilingualRef] = {
    "ART44": ART44,
    "ART45": ART45,
    "SOE_EQUITY_CAPS": SOE_EQUITY_CAPS,
    "SOE_DIVIDEND_CAP": SOE_DIVIDEND_CAP,
    "EIT_ART90": EIT_ART90,
    "EIT_RATE": EIT_RATE,
    "CAISHUI_2015_116": CAISHUI_2015_116,
    "CAISHUI_2010_111": CAISHUI_2010_111,
    "CIVIL_CODE_ROYALTY": CIVIL_CODE_ROYALTY,
    "CIVIL_CODE_JOINT_IP": CIVIL_CODE_JOINT_IP,
    "PATENT_CO_OWNERS": PATENT_CO_OWNERS,
    "CAISHUI_2016_101_TECH_INVESTMENT": CAISHUI_2016_101_TECH_INVESTMENT,
    "ROYALTY_NOTE_MINIMUM": ROYALTY_NOTE_MINIMUM,
}

"""Policy questions: recognise the well-known topics and add the words their governing text uses.

Users ask "how much must inventors get?"; the law says "reward ... not less than 50% of the net
income". Appending the statute's own vocabulary (in the reply language) to the user's words lets
the retriever find the right article without a model.
"""

from __future__ import annotations

import re

# (cue in the question, English terms, Chinese terms)
TOPICS: list[tuple[str, str, str]] = [
    # Most specific first: only the first two topics a question touches are added.
    (
        r"spin[-\s]?(?:off|out)|start[-\s]?up|part[-\s]?time|leave (?:their|his|her) posts?|hold (?:shares|equity|a stake)|"
        r"兼职|离岗|创业|持股|在企业任职",
        "scientific staff of research institutes and universities may, with the unit's consent, work part-time in "
        "enterprises to transform achievements or leave their posts to start a business for up to 3 years",
        "科技人员 经单位同意 可以到企业兼职从事科技成果转化活动 也可以离岗创业 原则上不超过3年 保留人事关系",
    ),
    (
        r"cash reward|individual income tax|personal income tax|现金奖励|个人所得税|个税",
        "cash rewards to scientific staff for transforming service achievements: 50% counted as wages for individual income tax",
        "科技人员取得职务科技成果转化现金奖励 减按50%计入工资薪金所得 缴纳个人所得税",
    ),
    (
        r"article\s*45\b|第四十五条|inventor|researcher|reward|remunerat|完成人|发明人|科研人员|奖励|报酬|团队.{0,6}(?:比例|多少|分)",
        "Article 45 reward the persons who completed the achievement: transfer or licence at least 50% of the net income; "
        "investment at least 50% of the equity; own implementation at least 5% of operating profit for 3-5 years",
        "第四十五条 对完成、转化职务科技成果做出重要贡献的人员给予奖励和报酬 转让许可净收入不低于百分之五十 作价投资股份不低于百分之五十 "
        "实施转化营业利润不低于百分之五 连续三至五年",
    ),
    (
        r"article\s*44\b|第四十四条|unit rule|publish|internal rule|单位.{0,4}(?:规定|制度)|公开|公示",
        "Article 44 the unit sets the reward method in its rules or by agreement and must publish it",
        "第四十四条 单位制定相关规定 奖励和报酬的方式和数额 应当公开",
    ),
    (
        r"article\s*90\b|第九十条|tax|exempt|technology[-\s]transfer income|技术转让所得|免税|减免|所得税|税收|减半|half rate",
        "Article 90 technology transfer income not exceeding RMB 5 million in a tax year is exempt from enterprise income tax; "
        "the part exceeding 5 million is taxed at half rate",
        "第九十条 一个纳税年度内居民企业技术转让所得不超过500万元的部分免征企业所得税 超过500万元的部分减半征收",
    ),
    (
        r"non[-\s]?exclusive|five years|5 years|普通许可|非独占|5年以上|五年以上",
        "non-exclusive licence of five years or more qualifies as technology transfer income (Cai Shui 2015 No. 116)",
        "5年以上非独占许可使用权转让 技术转让所得 财税〔2015〕116号",
    ),
    (
        r"equity incentive|dividend|stock|option|股权激励|分红激励|分红|国有科技型企业",
        "state-owned technology enterprise equity incentive total at most 5% large 10% medium 30% small micro; "
        "one person at most 3%; annual dividend pool at most 15% of after-tax profit",
        "国有科技型企业股权和分红激励 股权激励总额 大型企业不超过5% 中型企业不超过10% 小微企业不超过30% 单个激励对象不超过3% "
        "年度分红激励总额不高于税后利润15%",
    ),
    (
        r"royalt|许可费|提成|使用费率|入门费",
        "royalty rate practice: most technology royalty rates are 5% or less, nearly all 10% or less",
        "技术许可使用费率惯例 多数不超过5% 绝大多数不超过10%",
    ),
    (
        r"\bhold(?! (?:shares|equity|a stake))|booking|reserve|expire|facility rules|预约|预留|暂留|过期|中试.{0,4}规则",
        "pilot facility booking rules: tentative hold expires unless confirmed; lead time; minimum days",
        "中试设施预约规则 暂留 到期失效 确认 提前预约 最短天数",
    ),
]


def expand_policy_query(query: str, lang: str) -> str:
    """`query` followed by the vocabulary of the topics it touches, in `lang`; unchanged when none match."""
    extra: list[str] = []
    for i, (cue, en, zh) in enumerate(TOPICS):
        if re.search(cue, query, re.I):
            extra.append(zh if lang == "zh" else en)
            if i == 0:
                # Staff mobility (part-time work, leaving to found a company) has its own provision;
                # the reward vocabulary that "科研人员" also cues would drown it.
                break
    return " ".join([query.strip(), *extra[:2]])

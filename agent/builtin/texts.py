"""User-facing strings of the builtin planner and responder, in Chinese and English."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_T: dict[str, tuple[str, str]] = {
    # step summaries (en, zh)
    "sum.search_achievements": ("Search achievements for “{q}”", "检索成果：“{q}”"),
    "sum.resolve_achievement": ("Find the achievement “{q}” refers to", "查找“{q}”对应的成果"),
    "sum.find_partners": ("Rank partners for {subject}", "为{subject}匹配合作方"),
    "sum.find_partners_any_region": (
        "Rank partners for {subject} in any region",
        "不限地区为{subject}匹配合作方",
    ),
    "sum.find_achievements": ("Find achievements for the need “{q}”", "为需求“{q}”匹配成果"),
    "sum.find_facilities": ("Find facilities{what}", "查找设施{what}"),
    "sum.check_availability": (
        "Check {facilities} for {days} free days{range}",
        "查询{facilities}在{range}内连续 {days} 天的空档",
    ),
    "sum.hold_slot": (
        "Hold {facility} from {start} for {days} days (needs your approval)",
        "预留{facility}：{start} 起 {days} 天（需您批准）",
    ),
    "sum.release_hold": ("Release hold {ref} (needs your approval)", "释放预留 {ref}（需您批准）"),
    "sum.confirm_booking": ("Confirm booking {ref} (needs your approval)", "确认预订 {ref}（需您批准）"),
    "sum.draft_term_sheet": (
        "Draft a term sheet ({deal}) for {ach} with {partner}",
        "起草{deal}条款：{ach} 与 {partner}",
    ),
    "sum.list_bookings": (
        "Show the holds and bookings of this conversation",
        "查看本次对话中的预留和预订",
    ),
    "sum.list_bookings_facility": ("Show the upcoming bookings of {facility}", "查看 {facility} 的预订"),
    "sum.search_policies": ("Search policies for “{q}”", "检索政策：“{q}”"),
    "sum.get_record": ("Look up {id}", "查询 {id}"),
    "later": ("(after the previous step)", "（待上一步完成后确定）"),
    # summaries of steps whose arguments wait for an earlier step (no "…" placeholders)
    "sum.release_hold_pending": (
        "Release the new hold (needs your approval)",
        "释放刚预留的档期（需您批准）",
    ),
    "sum.confirm_booking_pending": (
        "Confirm the new hold (needs your approval)",
        "确认刚预留的档期（需您批准）",
    ),
    "sum.hold_slot_pending": (
        "Hold the first free window (needs your approval)",
        "预留查到的第一个空档（需您批准）",
    ),
    "sum.find_partners_pending": ("Rank partners for the achievement found", "为查到的成果匹配合作方"),
    "sum.check_availability_pending": (
        "Check the facilities found for {days} free days{range}",
        "查询所找到设施在{range}内连续 {days} 天的空档",
    ),
    "sum.draft_pending_partner": (
        "Draft a term sheet ({deal}) for {ach} with the best-ranked partner",
        "起草{deal}条款：{ach} 与匹配度最高的合作方",
    ),
    "sum.draft_pending_ach": (
        "Draft a term sheet ({deal}) for the achievement found with {partner}",
        "起草{deal}条款：所查到的成果 与 {partner}",
    ),
    # clarifications
    "ask.no_such_window": (
        "The last answer offered {n} windows only, the first from {first}. Which one should I hold?",
        "上一条回答只给出了 {n} 个窗口（第一个从 {first} 开始）。要预留哪一个？",
    ),
    "ask.only_one_window": (
        "The last answer offered one window only: {facility} from {first}. Say “hold the first window” to hold it.",
        "上一条回答只给出了一个窗口：{facility}，{first} 起。如需预留，请说“预留第一个窗口”。",
    ),
    "ask.hold_dates": (
        "Which dates and how many days? (e.g. “three weeks in March 2027”)",
        "您希望在什么时间段预约？需要多少天？（例如“2027年3月，三周”）",
    ),
    "ask.invalid_date": (
        "{text} is not a date in the calendar. Which day did you mean?",
        "{text} 不是有效日期。您指的是哪一天？",
    ),
    "ask.reversed_dates": (
        "The end date ({end}) is before the start date ({start}), so those dates are not valid. Did you mean {end} to {start}? Please give the dates again.",
        "结束日期（{end}）早于开始日期（{start}），日期有误。您是指 {end} 至 {start} 吗？请重新提供日期。",
    ),
    "ask.zero_days": (
        "A booking needs at least 1 day; how many days do you need (e.g. “10 days” or “two weeks”)?",
        "预约天数至少为 1 天；请问需要多少天？（例如“10天”或“两周”）",
    ),
    "ask.hold_days": (
        "How many days do you need (e.g. “21 days” or “three weeks”)?",
        "需要预约多少天？（例如“21天”或“三周”）",
    ),
    "ask.facility": (
        "Which facility? Give its id (e.g. FAC-0001) or describe the process, domain or region.",
        "请问是哪个设施？请提供编号（如 FAC-0001），或说明工艺、领域或地区。",
    ),
    "ask.achievement": (
        "Which achievement? Give its id (e.g. ACH-0001) or describe the technology.",
        "请问是哪项成果？请提供编号（如 ACH-0001），或描述该技术。",
    ),
    "ask.hold_ref": (
        "Which hold? Give its reference (e.g. BK-3F9A1C2E).",
        "请问是哪个预留？请提供预订编号（如 BK-3F9A1C2E）。",
    ),
    "ask.record": (
        "Which record? Give its id (ACH-…, ORG-… or FAC-…).",
        "请问要查询哪条记录？请提供编号（ACH-…、ORG-… 或 FAC-…）。",
    ),
    "ask.need": (
        "What do you need? Describe the technology or problem (e.g. “low-cost CO2 capture for flue gas”).",
        "请描述您的需求（例如“烟气低成本二氧化碳捕集技术”）。",
    ),
    # notes
    "note.understood": ("Understood: {what}.", "已理解：{what}。"),
    "note.not_understood": ("I did not understand: {what}.", "以下内容未能理解：{what}。"),
    "note.assumed_deal": (
        "No deal type given; drafting a non-exclusive licence.",
        "未指定交易方式，按普通（非独占）许可起草。",
    ),
    "note.assumed_achievement": ("Took “{q}” to be {id} ({title}).", "已将“{q}”理解为 {id}（{title}）。"),
    "note.no_days": (
        "No length given; checked for the facility's minimum stay.",
        "未指定天数，按设施最短预订天数查询。",
    ),
    "note.carried_days": (
        "No length given; checked for {days} days, as in your last calendar request.",
        "未指定天数，沿用上一次查询的 {days} 天。",
    ),
    "note.budget": ("Step budget spent; answering with what I have.", "步骤数已用完，先根据现有结果回答。"),
    "note.context": ("Continuing from the previous request.", "延续上一轮的请求。"),
    "note.linked": ("Taken as {id} {name}.", "按 {id} {name} 理解。"),
    "ask.link": (
        "By “{mention}”, do you mean {a} {an} or {b} {bn}? Please give the id before I book anything.",
        "“{mention}”指的是 {a} {an} 还是 {b} {bn}？请确认编号，我再进行预约等操作。",
    ),
    "sep": ("; ", "；"),
}

DEAL_LABELS: dict[str, tuple[str, str]] = {
    "exclusive_license": ("exclusive licence", "独占许可"),
    "nonexclusive_license": ("non-exclusive licence", "普通许可"),
    "assignment": ("assignment", "转让"),
    "equity_investment": ("equity investment", "作价入股"),
    "joint_development": ("joint development", "合作开发"),
}

INTENT_LABELS: dict[str, tuple[str, str]] = {
    "find_partners": ("find partners", "寻找合作方"),
    "find_achievements": ("find achievements for a need", "为需求匹配成果"),
    "search_achievements": ("search achievements", "检索成果"),
    "find_facilities": ("find facilities", "查找设施"),
    "check_availability": ("check availability", "查询档期"),
    "hold_slot": ("hold a slot", "预留档期"),
    "release_hold": ("release a hold", "释放预留"),
    "confirm_booking": ("confirm a booking", "确认预订"),
    "list_bookings": ("list bookings", "查看预订"),
    "draft_term_sheet": ("draft a term sheet", "起草条款"),
    "policy": ("policy question", "政策问题"),
    "get_record": ("look up a record", "查询记录"),
    "help": ("help", "帮助"),
    "thanks": ("thanks", "致谢"),
}

EXAMPLES: dict[str, list[str]] = {
    "en": [
        "Find partners who would license ACH-0001",
        "Check a pilot line for three weeks in March 2027 and hold the first free window",
        "How much of the licence income must go to the inventors under the law?",
    ],
    "zh": [
        "谁会许可我们的硫化物固态电解质？",
        "查一下明年三月有没有中试线档期，三周，有的话帮我预留",
        "成果转化收入中发明人至少应得多少比例？",
    ],
}


def t(key: str, lang: str, **kw: object) -> str:
    en, zh = _T[key]
    return (zh if lang == "zh" else en).format(**kw)


def _pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """`key`'s label in `lang` from an (en, zh) table; the key itself when the table lacks it."""
    en, zh = table.get(key, (key, key))
    return zh if lang == "zh" else en


def deal_label(deal: str, lang: str) -> str:
    return _pick(DEAL_LABELS, deal, lang)


def intent_label(name: str, lang: str) -> str:
    return _pick(INTENT_LABELS, name, lang)


_KIND_LABELS = {
    "university": ("university", "高校"),
    "institute": ("institute", "科研院所"),
    "soe": ("SOE", "央国企"),
    "private": ("private firm", "民营企业"),
    "investor": ("investor", "投资机构"),
    "pilot_line": ("pilot line", "中试线"),
    "testbed": ("testbed", "测试平台"),
    "lab": ("lab", "实验室"),
    "demonstration_site": ("demonstration site", "示范基地"),
}


def kind_label(kind: str, lang: str) -> str:
    """An organisation or facility kind for people: "pilot_line" -> "pilot line" / "中试线"."""
    return _pick(_KIND_LABELS, kind, lang)


STRENGTH_LABELS = {
    "strong": ("strong match", "强匹配"),
    "fair": ("fair match", "中等匹配"),
    "weak": ("weak match", "弱匹配"),
}

_TRANSFER_MODE_LABELS = {
    "assignment": ("assignment", "转让"),
    "license": ("licence", "许可"),
    "equity": ("equity", "作价入股"),
    "joint_development": ("joint development", "合作开发"),
    "service": ("technical services", "技术服务"),
}

_BOOKING_STATUS_LABELS = {
    "held": ("held", "暂留中"),
    "confirmed": ("confirmed", "已确认"),
    "cancelled": ("released", "已释放"),
    "expired": ("expired", "已过期"),
}


def strength_label(strength: str, lang: str) -> str:
    """A match's strength for people: "strong" -> "strong match" / "强匹配"."""
    return _pick(STRENGTH_LABELS, strength, lang)


def transfer_mode_label(mode: str, lang: str) -> str:
    """An achievement's transfer mode for people: "joint_development" -> "合作开发"."""
    return _pick(_TRANSFER_MODE_LABELS, mode, lang)


def booking_status_label(status: str, lang: str) -> str:
    """A booking's status for people: "held" -> "held" / "暂留中"."""
    return _pick(_BOOKING_STATUS_LABELS, status, lang)

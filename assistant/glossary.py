"""English → Chinese glossary of the genre: the words residents use in English about a Chinese
department's performance report, mapped to the words such reports use. English questions are matched
through it, so a word missing here counts as unknown (and may lead to an abstention).

It is a genre glossary, not a list of one report's sentences: budgets and spending, staffing,
enterprises and their certifications, projects and funds, statistics, talent, problems and measures.
"""

from __future__ import annotations

import re

# Multi-word phrases first: they are matched in the question before its single words.
PHRASES: dict[str, tuple[str, ...]] = {
    "bank of china": ("中国银行",), "white list": ("白名单",), "public institution": ("事业单位",),
    "public institutions": ("事业单位",), "affiliated institution": ("事业单位",),
    "internal departments": ("内设机构",), "internal divisions": ("内设机构",), "internal units": ("内设机构",),
    "basic expenditure": ("基本支出",), "basic spending": ("基本支出",), "project expenditure": ("项目支出",),
    "project spending": ("项目支出",), "personnel expenditure": ("人员支出",), "personnel costs": ("人员支出",),
    "operating expenses": ("公用经费",), "public funds": ("公用经费",), "office expenses": ("公用经费",),
    "fiscal appropriation": ("财政拔款",), "financial appropriation": ("财政拔款",),
    "intellectual property": ("知识产权",), "business environment": ("营商环境",),
    "key laboratory": ("重点实验室",), "key laboratories": ("重点实验室",),
    "technology center": ("技术中心",), "technology centre": ("技术中心",),
    "innovation center": ("创新中心",), "innovation centre": ("创新中心",),
    "industrial park": ("工业园", "产业园"), "science park": ("科技园", "科创园区"), "tech park": ("科技园",),
    "digital industrial park": ("数字产业园",), "digital industry park": ("数字产业园",),
    "national bureau of statistics": ("国家统计局",), "statistics bureau": ("统计局",),
    "in charge of": ("负责",), "research integrity": ("科研诚信",), "scientific integrity": ("科研诚信",),
    "technology security": ("科技安全",), "technology confidentiality": ("科技保密",),
    "natural science foundation": ("自然基金",), "natural science fund": ("自然基金",),
    "leading group": ("领导小组",), "research institutes": ("科研院所",), "research institute": ("科研院所",),
    "higher education": ("高校", "院校"), "science and technology commissioners": ("科技特派员",),
    "sci-tech commissioners": ("科技特派员",), "technology commissioners": ("科技特派员",),
    "tech-based smes": ("科技型中小企业",), "technology-based smes": ("科技型中小企业",),
    "small and medium-sized": ("中小企业",), "high-tech enterprises": ("高新技术企业",),
    "high-tech companies": ("高新技术企业",), "high-tech firms": ("高新技术企业",),
    "official travel": ("差旅", "公务出差", "因公出国"), "official reception": ("公务接待",),
    "patent": ("专利",), "patents": ("专利",), "overseas travel": ("因公出国", "出国"), "travel expense": ("差旅费",), "travel expenses": ("差旅费",),
    "travel costs": ("差旅费",), "travel spending": ("差旅费",), "reception expenses": ("公务接待费",),
    "vehicle expenses": ("公务用车",), "official vehicles": ("公务用车",), "official cars": ("公务用车",), "three public": ("三公",),
    "year-on-year": ("同比",), "year on year": ("同比",), "last year": ("上年",), "previous year": ("上年",),
    "r&d": ("研发投入", "研发"), "research and development": ("研发投入", "研发"),
    "self-evaluation": ("自评",), "self evaluation": ("自评",), "performance goals": ("绩效目标",),
    "performance targets": ("绩效目标",), "interest subsidy": ("贴息",), "interest subsidies": ("贴息",),
    "candidate list": ("备选",), "reserve list": ("备选",), "renewal list": ("续贷",),
    "talent team": ("人才队伍",), "talent pool": ("人才",), "core technologies": ("关键核心技术",),
    "basic research": ("基础研究",), "applied research": ("应用研究",), "above-scale": ("规上",),
    "above designated size": ("规上",), "low-end": ("低端",), "mid-to-low-end": ("中低端",),
    "municipal party committee": ("市委",), "municipal government": ("市政府",),
    "tea company": ("茶",), "oil-tea": ("油茶",), "camellia oil": ("油茶",),
    "demonstration base": ("示范基地",), "cultural and technological": ("文化和科技",),
}

WORDS: dict[str, tuple[str, ...]] = {
    # budgets and spending
    "execution": ("执行",), "executed": ("执行",), "implementation": ("实施", "落实"), "implemented": ("实施", "落实"),
    "allocated": ("拨付", "下达", "拔款"), "allocation": ("拨付", "拔款"), "disbursed": ("兑现", "发放", "拨付"),
    "paid": ("兑现", "发放", "支出"), "payout": ("兑现",), "payouts": ("兑现",), "cashed": ("兑现",),
    "granted": ("发放", "获批"), "grant": ("补助", "资助"), "grants": ("补助", "资助"), "special": ("专项",),
    "earmarked": ("专项",), "outlay": ("支出",), "outlays": ("支出",), "spending's": ("支出",),
    "remuneration": ("人员支出",), "pay": ("人员支出",), "payroll": ("人员支出",),
    "financial": ("财政", "金融"), "finance": ("财政",), "treasury": ("财政",), "local": ("地方",),
    # staffing and organisation
    "staffing": ("编制",), "establishment": ("编制",), "posts": ("编制",), "quota": ("编制",),
    "civil": ("行政",), "servants": ("行政编制",), "hired": ("临聘人员",), "temps": ("临聘人员",),
    "organization": ("机构", "组织"), "organisation": ("机构", "组织"), "structure": ("组织架构", "架构"),
    "organizational": ("组织架构",), "sections": ("内设机构", "股"), "section": ("股",),
    "affiliated": ("下属",), "subordinate": ("下属",), "called": ("叫",), "named": ("名",),
    "responsible": ("负责", "职责"), "mandate": ("职责",), "formulating": ("拟订",), "drafting": ("拟订",),
    "foreign": ("国外",), "intelligence": ("智力",), "expertise": ("智力",),
    "lend": ("贷款", "放款", "发放"), "lent": ("贷款", "放款", "发放"), "lending": ("贷款", "放款"),
    "borrow": ("贷款",), "borrowed": ("贷款",), "credit": ("贷款",),
    # enterprises and certifications
    "certification": ("认定",), "certifications": ("认定",), "certify": ("认定",), "recognition": ("认定",),
    "identified": ("认定",), "designated": ("认定",), "qualified": ("认定",), "rated": ("认定",),
    "registration": ("注册", "入库"), "register": ("注册", "入库"), "registering": ("注册",),
    "enrolled": ("入库",), "listed": ("入库", "名单"), "included": ("入库", "列入"), "entered": ("进入", "入库"),
    "pool": ("入库",), "library": ("入库",), "reserve": ("备选",), "candidate": ("备选",), "candidates": ("备选",),
    "renewal": ("续贷",), "renewals": ("续贷",), "renew": ("续贷",), "renewed": ("续贷",), "whitelist": ("白名单",),
    "list": ("名单",), "policy": ("政策",), "policies": ("政策",), "preferential": ("惠企",),
    "benefit": ("惠企", "效益"), "benefits": ("惠企", "效益"), "online": ("网上",), "internet": ("网上",),
    "reform": ("改革",), "environment": ("环境",), "optimize": ("优化",), "optimise": ("优化",),
    "potential": ("潜在",), "cultivation": ("培育",), "cultivate": ("培育",), "cultivated": ("培育",),
    "nurture": ("培育",), "nurtured": ("培育",), "incubation": ("孵化器",), "incubators": ("孵化器",),
    "demonstration": ("示范",), "base": ("基地",), "bases": ("基地",), "cultural": ("文化",), "culture": ("文化",),
    "integration": ("融合",), "pharmaceutical": ("药械",), "machinery": ("机械",), "tea": ("茶",),
    # projects, funds and applications
    "applied": ("申报",), "apply": ("申报",), "applying": ("申报",), "application": ("申报",),
    "applications": ("申报",), "declared": ("申报",), "submitted": ("申报", "填报"), "filed": ("填报", "申报"),
    "approval": ("获批", "立项"), "established": ("创建", "编制"), "created": ("创建",), "built": ("建设", "搭建"),
    "build": ("建设", "搭建"), "building": ("建设",), "construction": ("建设",), "founded": ("创建",),
    "set": ("搭建",), "plan": ("计划",), "programme": ("计划", "项目"), "programs": ("计划", "项目"),
    "programmes": ("计划", "项目"), "scheme": ("计划",), "schemes": ("计划",), "initiative": ("计划", "工程"),
    "campaign": ("行动",), "campaigns": ("行动",), "action": ("行动",), "actions": ("行动",),
    "foundations": ("自然基金",), "prize": ("奖励",), "prizes": ("奖励",), "won": ("获得",), "obtained": ("获得",),
    "gained": ("获得",), "awarded": ("获得", "奖励"), "receiving": ("获得",), "completed": ("完成",),
    "complete": ("完成",), "completion": ("完成",), "finished": ("完成",), "fulfilled": ("完成",),
    "inspection": ("验收",), "checked": ("验收", "初审"), "checks": ("初审", "审核", "核定"), "check": ("初审", "审核"), "passed": ("验收",), "stage": ("阶段",),
    "evaluation-stage": ("考察阶段",), "shortlisted": ("考察",), "shortlist": ("考察",), "vetting": ("考察",),
    "provincial-level": ("省级",), "municipal-level": ("市级",), "city-level": ("市级",), "national-level": ("国家级",),
    "state-level": ("国家级",), "level": ("级",), "key": ("重点",), "priority": ("重点",),
    "cooperation": ("合作",), "collaboration": ("协作", "合作"), "universities": ("院校", "高校"),
    "university": ("院校", "高校"), "colleges": ("院校",), "institutes": ("院所",), "industry": ("产业",),
    "industries": ("产业",), "industrial": ("工业", "产业"), "digital": ("数字",), "park": ("园",), "parks": ("园",),
    "zone": ("园区",), "laboratory": ("实验室",), "laboratories": ("实验室",), "lab": ("实验室",), "labs": ("实验室",),
    "entrepreneurship": ("创业",), "startup": ("创业",), "startups": ("创业",), "model": ("模式",), "mode": ("模式",),
    "approach": ("模式",), "station": ("站",), "stations": ("站",),
    # statistics and R&D
    "statistical": ("统计",), "preliminary": ("初审",), "reviewed": ("初审", "审核"), "verified": ("核定", "认定"),
    "final": ("最终",), "finally": ("最终",), "ultimately": ("最终",), "officially": ("最终",), "data": ("数据",),
    "figures": ("数据",), "expenses": ("费用", "支出"), "intensity": ("强度",), "proportion": ("占比",),
    "ratio": ("占比",), "ranking": ("排名",), "ranks": ("排名",), "ranked": ("排名",), "average": ("平均",),
    "below": ("低于",), "lower": ("低于",), "indicators": ("指标",), "indicator": ("指标",),
    # talent
    "talented": ("人才",), "doctoral": ("博士",), "doctorate": ("博士",), "scholars": ("学术",),
    "experts": ("专家", "特派员"), "expert": ("专家", "特派员"), "trained": ("培训",), "training": ("培训",),
    "trainings": ("培训",), "courses": ("培训班",), "visits": ("次",), "sessions": ("次", "期"),
    "rural": ("乡村", "农村"), "villages": ("乡村",), "village": ("乡村",), "farmers": ("农民",),
    "agriculture": ("农业",), "agricultural": ("农业",),
    # problems and measures
    "challenges": ("问题", "不足"), "challenge": ("问题",), "difficulties": ("问题", "困难"), "obstacles": ("问题",),
    "bottlenecks": ("问题",), "deficiencies": ("问题", "不足"), "gaps": ("问题", "差距"),
    "weak": ("不强", "弱"), "insufficient": ("不足",), "inadequate": ("不足",), "lacking": ("不足", "缺乏"),
    "lack": ("不足", "缺乏"), "low": ("低",), "awareness": ("意识",), "independent": ("自主",),
    "capacity": ("能力",), "capability": ("能力",), "ability": ("能力",), "strength": ("实力",),
    "entities": ("主体",), "players": ("主体",), "carriers": ("载体",), "mechanism": ("机制",),
    "mechanisms": ("机制",), "long-term": ("长效",), "coordination": ("协调", "整合"), "support": ("支持",),
    "guarantee": ("保障",), "guarantees": ("保障",), "strengthen": ("加强", "强化"), "strengthening": ("加强", "强化"),
    "enhance": ("加强", "提高"), "promote": ("促进", "推进"), "promoting": ("促进", "推进"), "advance": ("推进",),
    "publicity": ("宣传", "公示"), "promotion": ("宣传",), "outreach": ("宣传",), "awareness-raising": ("宣传",),
    "reasons": ("原因",), "reason": ("原因",), "causes": ("原因",), "analysis": ("分析",),
    "direction": ("方向",), "directions": ("方向",), "future": ("下一步", "改进"), "going": ("下一步",),
    "original": ("原创",), "frontier": ("前沿",), "breakthrough": ("突破",), "breakthroughs": ("突破",),
    "products": ("产品",), "product": ("产品",),
    # results and rates
    "output": ("产出",), "outputs": ("产出",), "effect": ("效果",), "effects": ("效果",), "outcome": ("效果",),
    "outcomes": ("效果",), "information": ("信息",), "transparency": ("公开",), "open": ("公开",),
    "official travel": ("差旅", "公务出差", "因公出国"), "official reception": ("公务接待",),
    "patent": ("专利",), "patents": ("专利",), "overseas travel": ("因公出国", "出国"), "travel expense": ("差旅费",), "travel expenses": ("差旅费",),
    "travel costs": ("差旅费",), "travel spending": ("差旅费",), "reception expenses": ("公务接待费",),
    "vehicle expenses": ("公务用车",), "official vehicles": ("公务用车",), "official cars": ("公务用车",), "three public": ("三公",),
    "year-on-year": ("同比",), "decline": ("下降",), "declined": ("下降",), "decrease": ("下降",),
    "grow": ("增长",), "grew": ("增长",), "growing": ("增长",), "rise": ("增长",), "rose": ("增长",), "increased": ("增长",), "realized": ("实现",), "realised": ("实现",),
    "exceeded": ("超",), "over": ("超",), "surveyed": ("调查",), "survey": ("调查",),
}

_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("'s", ""), ("ly", ""))


def lookup(word: str, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The report-side forms of an English word, trying its plain forms (companies → company)."""
    word = word.lower().strip("'’")
    if word in table:
        return table[word]
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)] + repl
            if stem in table:
                return table[stem]
    return ()


def phrases_in(norm: str) -> list[tuple[str, tuple[str, ...]]]:
    """Multi-word glossary phrases in an English question, longest first, not overlapping."""
    found, taken = [], []
    for phrase in sorted(PHRASES, key=len, reverse=True):
        for m in re.finditer(r"(?<![a-z])" + re.escape(phrase) + r"(?![a-z])", norm):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((phrase, PHRASES[phrase]))
    return found


# English names of a city's or county's departments (X Bureau, Bureau of X), for telling whose report an English
# question asks about. Not subject terms: they only select departments.
_DEPARTMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "science and technology": ("科学技术局", "科技局"), "education": ("教育局",), "finance": ("财政局",),
    "statistics": ("统计局",), "civil affairs": ("民政局",), "public security": ("公安局",), "justice": ("司法局",),
    "agriculture and rural affairs": ("农业农村局",), "agriculture": ("农业农村局", "农业局"),
    "human resources and social security": ("人力资源和社会保障局", "人社局"),
    "natural resources": ("自然资源局",), "ecology and environment": ("生态环境局",),
    "housing and urban-rural development": ("住房和城乡建设局", "住建局"), "transport": ("交通运输局",),
    "transportation": ("交通运输局",), "water resources": ("水利局",), "commerce": ("商务局",),
    "culture and tourism": ("文化广电新闻出版旅游局", "文旅局"), "tourism": ("文化广电新闻出版旅游局", "旅游局"),
    "emergency management": ("应急管理局",), "audit": ("审计局",), "forestry": ("林业局",),
    "market supervision": ("市场监督管理局", "市场监管局"), "market regulation": ("市场监督管理局", "市场监管局"),
    "industry and information technology": ("工业和信息化局", "工信局"), "veterans affairs": ("退役军人事务局",),
    "medical security": ("医疗保障局", "医保局"), "healthcare security": ("医疗保障局", "医保局"),
    "sports": ("体育局",), "meteorological": ("气象局",), "taxation": ("税务局",),
}
_COMMISSIONS: dict[str, tuple[str, ...]] = {
    "health commission": ("卫生健康委员会", "卫健委"), "health and wellness commission": ("卫生健康委员会", "卫健委"),
    "development and reform commission": ("发展和改革委员会", "发改委"),
}


def departments_named(norm: str) -> list[str]:
    """The Chinese names of the departments an English question names (Science and Technology Bureau → 科技局)."""
    found = []
    for field, forms in _DEPARTMENT_FIELDS.items():
        f = re.escape(field)
        if re.search(rf"(?<![a-z]){f}(?: \w+)? bureau|bureau of {f}(?![a-z])", norm):
            found += forms
    return found + [f for name, forms in _COMMISSIONS.items() if re.search(rf"(?<![a-z]){re.escape(name)}", norm)
                    for f in forms]

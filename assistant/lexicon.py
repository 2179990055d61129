"""Genre vocabulary: colloquial and English words mapped to the terms these reports use."""

from __future__ import annotations

# Words a resident uses → words a performance report uses. Matching treats them as the same.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "处在": ("处于",), "处于": ("处于",), "花": ("支出",), "花了": ("支出",), "花钱": ("支出",), "开支": ("支出",), "开销": ("支出",),
    "花费": ("支出",), "用了": ("支出",), "钱": ("资金", "金额"), "经费": ("资金", "经费"),
    "一共": ("总",), "总共": ("总",), "合计": ("总",), "全部": ("总",), "总额": ("总",),
    "员工": ("人员", "编制"), "工作人员": ("人员", "编制"), "职工": ("人员", "编制"), "人数": ("人员", "编制"),
    "多少人": ("人员", "编制"), "编制数": ("编制",), "退休": ("退休人员",), "临时工": ("临聘人员",),
    "奖金": ("奖励", "奖补"), "补贴": ("奖补", "津贴", "补助"), "奖励": ("奖励", "奖补"),
    "工资": ("人员支出",), "人头费": ("人员支出",), "办公经费": ("公用经费",), "日常": ("公用经费", "基本支出"),
    "拨款": ("拔款", "拨款"), "财政拨款": ("财政拔款",), "收入": ("收入",),
    "高企": ("高新技术企业",), "高新企业": ("高新技术企业",), "高新技术": ("高新技术企业",),
    "科技型企业": ("科技型中小企业",), "中小企业": ("科技型中小企业",),
    "贷款": ("贷款", "放款"), "银行": ("中国银行",), "借": ("贷款",),
    "研发": ("研发投入", "研发"), "r&d": ("研发投入",), "研究经费": ("研发投入", "研发经费"),
    "成绩": ("完成", "成效", "效果"), "成果": ("完成", "成效"), "成效": ("效果", "完成"),
    "亮点": ("完成", "成效"), "业绩": ("完成",), "做了": ("完成", "履职"), "干了": ("完成", "履职"),
    "工作": ("工作",), "任务": ("任务", "工作任务"), "目标": ("目标", "绩效目标"),
    "问题": ("问题", "不足"), "不足": ("问题",), "短板": ("问题",), "困难": ("问题",), "差距": ("问题",),
    "原因": ("原因",), "改进": ("改进", "措施"), "整改": ("改进", "措施"), "措施": ("措施", "改进"),
    "下一步": ("改进", "措施", "方向"), "打算": ("改进", "措施"), "计划": ("计划", "措施"), "今后": ("改进", "方向"),
    "怎么改": ("改进", "措施"), "如何改进": ("改进", "措施"), "改善": ("改进",), "提升": ("提升", "改进"),
    "满意": ("满意度",), "评价": ("满意度",), "公众": ("社会公众",), "群众": ("社会公众",), "老百姓": ("社会公众",),
    "公开": ("公开",), "公布": ("公开",), "发布": ("公开",), "网上": ("政府网",),
    "部门": ("内设机构", "机构"), "科室": ("内设机构", "股"), "机构设置": ("内设机构",), "下属": ("事业单位",),
    "职责": ("职责",), "职能": ("职责",), "负责": ("职责", "负责"), "干什么": ("职责",),
    "拿到": ("获得", "获"), "得到": ("获得", "获"), "拿了": ("获得", "获"), "贷了": ("贷款",),
    "涨": ("增长",), "上涨": ("增长",), "涨了": ("增长",), "查摆": ("问题",),
    "投": ("投入",), "投了": ("投入",), "发工资": ("人员支出",), "办公": ("公用经费",), "运转": ("运行", "公用经费"), "人头": ("人员支出",), "花掉": ("支出",),
    "文件": ("《",), "依据": ("按照", "《"), "根据": ("按照", "《"),
    "预算": ("预算",), "老同志": ("退休人员",), "临时": ("临聘",), "公务员": ("行政编制",), "搞": ("开展",),
    "上面": ("上级",), "拨下来": ("上级", "下拨"), "批了": ("预算", "拔款"), "档次": ("低端", "中低端", "层次"),
    "对外": ("公开",), "性质": ("政府组成部门",), "农民": ("乡村",), "年初": ("年初",), "专家": ("特派员",), "下乡": ("科技下乡",), "人才": ("人才",),
    "孵化": ("孵化器",), "平台": ("平台", "载体"), "载体": ("载体",),
    "全市": ("全社会", "我市", "全市"), "归谁管": ("负责", "职责"), "谁管": ("负责", "职责"), "管": ("负责", "职责"), "组织架构": ("内设机构", "事业单位", "机构"), "架构": ("内设机构", "机构"), "增长": ("增长",), "增幅": ("增长",), "增加": ("增长",), "比例": ("占比",), "占比": ("占比",),
}

# English words → report terms. English questions are matched through these.
ENGLISH: dict[str, tuple[str, ...]] = {
    "total": ("总",), "overall": ("总", "整体"), "expenditure": ("支出",), "expenditures": ("支出",),
    "spending": ("支出",), "spend": ("支出",), "spent": ("支出",), "expense": ("支出",), "expenses": ("支出",),
    "cost": ("支出",), "costs": ("支出",), "budget": ("预算",), "budgeted": ("预算",), "initial": ("年初",),
    "personnel": ("人员支出", "人员"), "staff": ("人员", "编制"), "salaries": ("人员支出",), "salary": ("人员支出",),
    "wages": ("人员支出",), "employees": ("人员", "编制"), "people": ("人员", "人"), "public": ("公用", "公众"),
    "operating": ("公用经费", "运行"), "administrative": ("行政", "公用经费"), "office": ("公用经费", "办公室"),
    "basic": ("基本支出",), "project": ("项目",), "projects": ("项目",), "program": ("项目",),
    "fiscal": ("财政",), "appropriation": ("财政拔款",), "appropriations": ("财政拔款",), "revenue": ("收入",),
    "income": ("收入",), "funds": ("资金",), "fund": ("资金",), "funding": ("资金",), "money": ("资金",),
    "award": ("奖励", "奖补"), "awards": ("奖励", "奖补"), "reward": ("奖励",), "rewards": ("奖励",),
    "subsidy": ("奖补", "补助", "贴息"), "subsidies": ("奖补", "补助"), "bonus": ("奖补",), "allowance": ("津贴",),
    "allowances": ("津贴",), "interest": ("贴息",), "higher": ("上级",), "superior": ("上级",),
    "provincial": ("省",), "province": ("省",), "municipal": ("市",), "city": ("市",), "county": ("市",),
    "department": ("部门",), "department's": ("部门",), "departments'": ("部门",), "large": ("总额",),
    "big": ("总额",), "start": ("年初",), "beginning": ("年初",), "academic": ("学术",), "discipline": ("学科",),
    "leaders": ("带头人",), "leader": ("带头人",), "nominated": ("推荐",), "recommended": ("推荐",),
    "issued": ("发放",), "issue": ("发放",), "granted": ("发放", "获批"), "amount": ("金额",),
    "evaluation": ("自评", "评价"), "self-evaluation": ("自评",), "assessment": ("自评", "绩效"),
    "businesses": ("企业",), "business": ("企业",), "served": ("服务",), "serve": ("服务",), "service": ("服务",),
    "enterprises": ("企业",), "enterprise": ("企业",), "companies": ("企业",), "company": ("企业",),
    "firms": ("企业",), "firm": ("企业",), "smes": ("科技型中小企业",), "sme": ("科技型中小企业",),
    "small": ("中小",), "medium": ("中小",), "tech": ("科技",), "technology": ("科技", "技术"),
    "science": ("科技", "科学"), "scientific": ("科技",), "innovation": ("创新",), "innovative": ("创新",),
    "high-tech": ("高新技术企业",), "hightech": ("高新技术企业",), "certified": ("认定",), "recognized": ("认定",),
    "recognised": ("认定",), "accredited": ("认定",), "registered": ("入库", "注册"), "database": ("入库",),
    "loan": ("贷款",), "loans": ("贷款",), "bank": ("银行",), "credit": ("贷款",),
    "research": ("研发",), "r&d": ("研发投入",), "development": ("研发", "发展"), "investment": ("投入",),
    "growth": ("增长",), "increase": ("增长",), "grew": ("增长",), "rate": ("增长",), "percent": ("%",),
    "satisfaction": ("满意度",), "satisfied": ("满意度",), "residents": ("社会公众",), "public's": ("社会公众",),
    "problems": ("问题",), "problem": ("问题",), "issues": ("问题",), "shortcomings": ("问题", "不足"),
    "weaknesses": ("问题",), "measures": ("措施",), "improvements": ("改进", "措施"), "improve": ("改进",),
    "improvement": ("改进",), "plans": ("改进", "措施"), "next": ("改进",), "steps": ("措施",),
    "achievements": ("完成", "成效"), "accomplishments": ("完成",), "results": ("完成", "效果"),
    "accomplished": ("完成",), "achieved": ("完成",), "goals": ("目标",), "targets": ("目标",),
    "target": ("目标",), "objectives": ("目标",), "performance": ("绩效",), "tasks": ("任务",),
    "internal": ("内设机构",), "departments": ("内设机构",), "divisions": ("内设机构",), "units": ("机构", "单位"),
    "offices": ("内设机构",), "institution": ("事业单位",), "institutions": ("事业单位", "机构"),
    "retired": ("退休人员",), "retirees": ("退休人员",), "temporary": ("临聘人员",), "contract": ("临聘人员",),
    "positions": ("编制",), "established": ("编制",), "headcount": ("编制",), "administrative-staff": ("行政编制",),
    "duties": ("职责",), "responsibilities": ("职责",), "functions": ("职责",), "role": ("职责",),
    "disclosed": ("公开",), "published": ("公开",), "disclosure": ("公开",), "publish": ("公开",),
    "website": ("政府网",), "government": ("政府",), "talent": ("人才",), "talents": ("人才",),
    "doctors": ("博士",), "phd": ("博士",), "phds": ("博士",), "commissioners": ("特派员",),
    "specialists": ("特派员",), "incubator": ("孵化器",), "platform": ("平台",), "platforms": ("平台",),
    "workstation": ("工作站",), "center": ("中心",), "centre": ("中心",), "natural": ("自然基金",),
    "foundation": ("自然基金",), "statistics": ("统计",),
    "reported": ("填报",), "gazelle": ("瞪羚企业",), "acceptance": ("验收",), "report": ("报告",),
    "bureau": ("科技局",), "high": ("高新技术企业", "高新"), "national": ("国家",), "two": ("2",),
    "main": ("主要",), "guidance": ("指导",), "times": ("次",), "confirmed": ("认定",), "approved": ("获批", "立项"), "year": ("年",), "annual": ("年度",),
}

# "In total": it asks for a sum of the subject named beside it (项目一共花了多少), and names 总 only
# when nothing else is named (一共花了多少钱). Matching weighs it at half.
QUANTIFIERS = frozenset({"一共", "总共", "合计", "全部", "总额"})

# Words that carry no subject of their own in a question about this report.
GENERIC = frozenset("""
bureau bureau's report report's reports document

局里 本局 我局 贵局 单位 部门 报告 文件 这份 该 年 年度 年度的
多少 多少钱 金额 数额 数量 数字 数 总数 一共 总共 合计 分别 各 各是 各自 大概 大约 具体 情况 怎么样 如何 哪 哪些 哪个 哪家 哪几家 几 几家 几个
什么 是什么 有什么 有哪些 介绍 说说 讲讲 请问 一下 呢 吗 啊 了 的 得 是 有 在 对 为 和 与 及 或 还 又 都 也 那 那么 这 这个 这些 它 它们 其
做 做了 进行 开展 情况如何 多大 多高 怎样 怎么 为什么 哪里 取得 获得 得到 达到 主要 相关 具体 方面 现在 目前
至今 还是 仍然 仍 依然 还 到底 究竟 哪类 哪种 类 种 样 怎么评价 如何评价 体现 体现在 上年 上一年 比 一年 全年 每年 当中 之中 里面 占 占了 其中 去年 今年 当年 本年 局里 单位里 这块 是不是 有没有 能不能 会不会 准备 打算 方面 这方面 报告里 报告中 说 提到 写 讲
多少名 多少人 多少家 多少个 多少项 多少笔 多少次 几名 几人 几项 几笔 几次 万元 元 亿元 百分之
what which who how much many was were is are the of in for a an to did does do by and or on with its it this that
there their they about tell me please give list name named according report's bureau's
put forward into got get gets made make gave give given received receive has have had been being be will would could should can
also its them any all some each per from into as at than then so such more most identify identifies identified
mention mentioned mentions say says said state states stated shown show shows describe described does did done
went go goes going gone use used happen happened like look looks much
face faced faces facing help helped helps helping encounter encountered meet met take took taken need needs
want know find found keep kept carry carried out up during under within through via among between after
before since until now currently still yet already ever not no yes actually really exactly roughly approximately
自己 出来 起来 下来 一下子 到底是 都是 分别是 搞 各种 各类 各项 发现 自评发现 指出 认为 请核实 核实 请 麻烦
该局 你们局 我们局 这个局 咱们局 贵局 这个单位 你们单位
人 家 个 名 项 次 笔 期 件 条 位 份
altogether combined overall's whole entire figure figures number numbers
为啥 为什么 为何 只有 仅有 家里 里 归谁 谁管 自评报告
叫 叫啥 叫做 啥 名字 名称 全称 下面 底下 下边 大多 大多数 大部分 多数 多半 基本上
""".split())

# A question naming one of these (and the report not) asks about something the report does not cover.
OUT_OF_SCOPE_SUFFIXES = ("局长", "书记", "主任", "科长", "股长", "电话", "地址", "邮箱", "网址", "官网", "传真", "邮编")
ENTITY_SUFFIXES = ("局", "厅", "委", "委员会", "部", "办", "费", "税", "率", "公司", "医院", "学校", "大学")

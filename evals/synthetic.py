"""Deterministic synthetic reports of the bundled genre (部门整体支出绩效自评报告), as distractors for scale benchmarks.

Every report has the bundled report's heading structure (一、/（一）/1、, and （一） nested in （一）), another
department, place and year, and figures that add up: 总支出 = 基本支出 + 项目支出 and
基本支出 = 人员支出 + 公用经费. The bundled report's own department (科学技术局) is never generated, so its
eval questions stay well defined with the distractors present.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

YEARS = tuple(range(2019, 2025))
PLACES = (("庐山市", "lushan"), ("都昌县", "duchang"), ("湖口县", "hukou"), ("彭泽县", "pengze"),
          ("永修县", "yongxiu"), ("德安县", "dean"), ("瑞昌市", "ruichang"), ("共青城市", "gongqing"),
          ("武宁县", "wuning"), ("修水县", "xiushui"))
# (department, file code, field of work, three tasks of the year)
DEPARTMENTS = (
    ("教育局", "jyj", "教育", "推进义务教育优质均衡发展|实施校舍安全改造工程|加强教师队伍建设"),
    ("农业农村局", "nyncj", "农业农村", "落实粮食安全责任制|推进高标准农田建设|发展特色富民产业"),
    ("财政局", "czj", "财政", "深化预算管理制度改革|加强政府债务管理|推进预算绩效管理"),
    ("民政局", "mzj", "民政", "兜牢困难群众基本生活底线|推进养老服务体系建设|加强社区治理"),
    ("卫生健康委员会", "wjw", "卫生健康", "推进紧密型县域医共体建设|做好重大疾病防控|提升基层医疗服务能力"),
    ("文化广电新闻出版旅游局", "wlj", "文化旅游", "推进全域旅游发展|实施文化惠民工程|加强文物保护利用"),
    ("自然资源局", "zrzyj", "自然资源", "编制国土空间规划|严守耕地保护红线|推进不动产登记便民服务"),
    ("交通运输局", "jtysj", "交通运输", "推进农村公路提质改造|保障道路运输安全|完善城乡客运网络"),
    ("水利局", "slj", "水利", "实施防汛抗旱能力提升工程|推进农村供水保障|加强河湖长制管理"),
    ("人力资源和社会保障局", "rsj", "人力资源和社会保障", "稳定和扩大就业|推进社会保险扩面|加强劳动保障监察"),
    ("住房和城乡建设局", "zjj", "住房和城乡建设", "推进城镇老旧小区改造|加强建筑工程质量监管|实施保障性安居工程"),
    ("市场监督管理局", "scjgj", "市场监管", "优化营商登记服务|守牢食品药品安全底线|加强知识产权保护"),
    ("应急管理局", "yjglj", "应急管理", "开展安全生产专项整治|提升森林防灭火能力|加强应急救援队伍建设"),
    ("林业局", "lyj", "林业", "推进国土绿化行动|加强森林资源管护|发展油茶产业"),
    ("商务局", "swj", "商务", "促进消费扩容提质|推进外贸稳增长|加快电子商务进农村"),
    ("司法局", "sfj", "司法行政", "推进法治政府建设|做好公共法律服务|开展普法宣传教育"),
    ("审计局", "sjj", "审计", "开展预算执行审计|实施经济责任审计|推进审计整改落实"),
    ("统计局", "tjj", "统计", "组织经济普查|提升统计数据质量|加强统计执法监督"),
    ("退役军人事务局", "tyjrj", "退役军人服务", "落实优抚安置政策|推进退役军人就业创业|加强褒扬纪念工作"),
    ("医疗保障局", "ybj", "医疗保障", "推进医保支付方式改革|加强医保基金监管|提升医保经办服务"),
)
_COUNT = "一二三四五六七八九十"
_PROBLEMS = ("资金保障不足|{field}工作经费主要依靠财政拨款，项目资金到位较晚，部分工作推进缓慢。",
             "绩效管理不够精细|绩效目标设置不够细化量化，部分指标难以考核，绩效监控有待加强。",
             "人员力量薄弱|专业技术人员偏少，人员老化，业务能力与新形势要求还有差距。")
_MEASURES = ("加强预算编制管理|科学编制部门预算，提高预算编制的准确性，加快项目资金支付进度。",
             "强化绩效目标管理|细化量化绩效指标，开展绩效运行监控，及时纠正执行偏差。",
             "加强干部队伍建设|积极参加业务培训，引进专业人才，提升{field}管理服务水平。")


@dataclass(frozen=True)
class Budget:
    """Amounts in hundredths of 万元 (so 130.74万元 is 13074), which keeps every sum exact."""

    initial: int
    personnel: int
    public: int
    project_local: int
    project_higher: int

    @property
    def basic(self) -> int:
        return self.personnel + self.public

    @property
    def project(self) -> int:
        return self.project_local + self.project_higher

    @property
    def total(self) -> int:
        return self.basic + self.project


@dataclass(frozen=True)
class SyntheticReport:
    place: str
    department: str  # e.g. 庐山市教育局
    year: int
    budget: Budget
    file_name: str
    text: str


def wan(hundredths: int) -> str:
    """13074 → '130.74' (万元, two decimals, as the reports write them)."""
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def report_slots() -> list[tuple[int, int, int]]:
    """Every (place, department, year) index triple a corpus can draw from, in a fixed order."""
    return [(p, d, y) for p in range(len(PLACES)) for d in range(len(DEPARTMENTS)) for y in YEARS]


def generate_corpus(n: int, seed: int, out_dir: Path) -> list[Path]:
    """Write `n` distinct synthetic reports (UTF-8 .txt) into `out_dir`; the same seed gives the same bytes."""
    slots = report_slots()
    if not 0 <= n <= len(slots):
        raise ValueError(f"n must be between 0 and {len(slots)} (places × departments × years)")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for place, department, year in sorted(rng.sample(slots, n)):
        report = generate_report(random.Random(f"{seed}:{place}:{department}:{year}"), place, department, year)
        path = out_dir / report.file_name
        path.write_bytes(report.text.encode("utf-8"))
        paths.append(path)
    return paths


def generate_report(rng: random.Random, place_index: int, department_index: int, year: int) -> SyntheticReport:
    place, place_code = PLACES[place_index]
    name, code, field, tasks = DEPARTMENTS[department_index]
    budget = _budget(rng)
    ctx = {"place": place, "gov": place[-1], "name": name, "field": field, "year": year,
           "we": "我委" if name.endswith("委员会") else "我局", "short": place[-1] + name}
    lines = [f"{year}年度部门整体支出绩效自评报告", f"{place}{name}", ""]
    lines += _overview(rng, ctx, tasks.split("|"), budget)
    lines += _performance(rng, ctx, tasks.split("|"))
    lines += _problems(ctx)
    lines += ["四、绩效自评结果拟应用和公开情况", "绩效自评结果拟在政府网上进行公开。", ""]
    file_name = f"synthetic-{place_code}-{code}-{year}-performance-self-evaluation.txt"
    return SyntheticReport(place, place + name, year, budget, file_name, "\n".join(lines))


def _budget(rng: random.Random) -> Budget:
    personnel = rng.randint(8_000, 90_000)
    public = rng.randint(1_500, 20_000)
    project_local = rng.randint(2_000, 60_000)
    project_higher = rng.randint(0, 120_000)
    initial = personnel + public + project_local + rng.randint(-5_000, 5_000)
    return Budget(max(initial, 1_000), personnel, public, project_local, project_higher)


def _overview(rng: random.Random, c: dict, tasks: list[str], b: Budget) -> list[str]:
    staff = [rng.randint(5, 40), rng.randint(0, 30), rng.randint(2, 40), rng.randint(0, 10)]
    bodies = rng.randint(3, 9)
    return [
        "一、部门概况", "（一）部门主要职责职能，组织架构、人员等基本情况。", "1、部门主要职责",
        f"{c['short']}是主管{c['field']}工作的政府工作部门，主要职责是：贯彻执行{c['field']}方面的法律法规和方针政策，"
        f"拟订全{c['gov']}{c['field']}发展规划并组织实施，负责{c['field']}领域的统筹协调、监督管理和公共服务，"
        f"完成{c['gov']}委、{c['gov']}政府交办的其他任务。",
        "2、组织架构", f"{c['name']}内设机构{bodies}个，下属事业单位{rng.randint(1, 6)}个。",
        f"3、人员行政编制人数{staff[0]}人，事业编制人数{staff[1]}人，退休人员{staff[2]}人，临聘人员{staff[3]}人。",
        "（二）当年部门履职总体目标、工作任务。",
        *[f"{i + 1}、{task}。" for i, task in enumerate(tasks)],
        "（三）当年部门年度整体支出绩效目标。",
        f"{c['year']}年{c['we']}部门年度整体支出绩效目标：一是落实本级{c['field']}专项资金{wan(b.project_local)}万元；"
        f"二是拨付上级{c['field']}项目资金{wan(b.project_higher)}万元；三是机关行政运行{wan(b.basic)}万元。",
        "（四）部门预算绩效管理开展情况",
        f"在{c['gov']}委、{c['gov']}政府的领导和{c['gov']}财政的大力支持下，{c['year']}年{c['we']}各项工作顺利推进。"
        f"一是{tasks[0]}，完成年度目标任务的{rng.randint(90, 100)}%；二是{tasks[1]}，"
        f"累计投入资金{wan(rng.randint(5_000, 90_000))}万元；三是{tasks[2]}，组织专题培训{rng.randint(3, 30)}场次。",
        "（五）当年部门预算及执行情况。",
        f"{c['year']}年初部门预算资金总额{wan(b.initial)}万元，其中：财政拨款收入{wan(b.initial)}万元。"
        f"{c['year']}年总支出{wan(b.total)}万元，其中：基本支出{wan(b.basic)}万元（包含人员支出{wan(b.personnel)}万元，"
        f"公用经费{wan(b.public)}万元），项目支出{wan(b.project)}万元（其中：本级{c['field']}专项资金"
        f"{wan(b.project_local)}万元，上级{c['field']}项目资金{wan(b.project_higher)}万元）。",
    ]


def _performance(rng: random.Random, c: dict, tasks: list[str]) -> list[str]:
    lines = ["二、部门整体支出绩效实现情况", "（一）履职完成情况："]
    for i, task in enumerate(tasks):
        lines.append(
            f"{i + 1}、{task}。一是完成重点项目{rng.randint(2, 40)}个，覆盖乡镇（街道）{rng.randint(3, 20)}个；"
            f"二是投入资金{wan(rng.randint(1_000, 80_000))}万元，惠及群众{rng.randint(500, 90_000)}人次；"
            f"三是开展督导检查{rng.randint(2, 60)}次，整改问题{rng.randint(1, 50)}个；"
            f"四是建立健全工作台账和长效机制，定期调度推进，确保各项任务按时保质完成。")
    lines += [f"（二）履职效果情况：一是社会效益：提升{c['field']}公共服务水平；二是经济效益：资金使用效益逐年提高。",
              "（三）社会满意度及可持续性影响",
              f"服务对象和社会公众对{c['field']}工作满意度持续上升，达{rng.randint(85, 99)}%以上，"
              f"不断助力{c['field']}事业可持续发展。"]
    return lines


def _problems(c: dict) -> list[str]:
    lines = ["三、部门整体支出绩效中存在问题及改进措施", "（一）主要问题及原因分析："]
    lines += [f"（{_COUNT[i]}）{p.format(**c).replace('|', '。', 1)}" for i, p in enumerate(_PROBLEMS)]
    lines.append("（二）改进的方向及具体措施：")
    lines += [f"（{_COUNT[i]}）{m.format(**c).replace('|', '。', 1)}" for i, m in enumerate(_MEASURES)]
    return lines

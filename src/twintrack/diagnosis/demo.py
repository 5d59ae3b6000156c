"""Diagnosis demo data for the Jiaxing demo city, deterministic from a seed.

Called by twintrack.demo.load after the enterprises exist: service providers with their
assignments, a catalogue of a few dozen solutions, assessments of most enterprises in the
MIIT 2022 framework (about a third assessed again after support; the large firms also in
GB/T 39116), demonstrations including Jushi Group's, adoptions of lightweight solutions, and
two logins: `jushi` (Jushi Group's enterprise user) and `fuwushang1` (the first provider,
assigned to a few enterprises). Every name of a provider or solution is made up for the demo.

Written in bulk (a few dozen queries), with history rows, through the same scoring as the
pages (scoring.score_answers with each framework version's own rules).
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from twintrack.diagnosis.frameworks import load_shipped_frameworks, spec_of
from twintrack.diagnosis.models import (
    AdoptionStatus, Answer, Assessment, AssessmentKind, Demonstration, DemonstrationKind, DemonstrationStatus,
    DemonstrationTier, Dimension, DimensionScore, Framework, Option, ProviderAssignment, Question,
    ServiceProvider, Solution, SolutionAdoption, SolutionKind, Stage,
)
from twintrack.diagnosis.scoring import score_answers, weakest_dimensions
from twintrack.enterprises.models import Enterprise
from twintrack.metrics import version
from twintrack.orgs.models import Membership, Role

SEED = 20231015
DEMO_PASSWORD = "twintrack-demo"
REASON = "demo data"
MIIT, GBT = "miit_sme_digital_2022", "gbt39116_2020"
JUSHI = "巨石集团有限公司"

# (name_zh, name_en, contact, phone): made-up firms for the demo.
PROVIDERS = (
    ("嘉兴数智工业服务有限公司", "Jiaxing Shuzhi Industrial Services (demo)", "周工", "0573-8200-0001"),
    ("浙江云上智造科技有限公司", "Zhejiang Cloud Manufacturing Technology (demo)", "陈经理", "0571-8800-0002"),
    ("嘉兴绿能数字科技有限公司", "Jiaxing Green Energy Digital (demo)", "沈工", "0573-8200-0003"),
    ("杭州轻量工业软件有限公司", "Hangzhou Lightweight Industrial Software (demo)", "王经理", "0571-8800-0004"),
    ("浙江精益数字化咨询有限公司", "Zhejiang Lean Digital Consulting (demo)", "朱老师", "0571-8800-0005"),
    ("嘉兴智能装备改造有限公司", "Jiaxing Smart Equipment Retrofit (demo)", "徐工", "0573-8200-0006"),
)

SMALL, ANY = ("medium", "small", "micro"), ()
# provider index, name_zh, name_en, kind, lightweight, industries, dimensions, sizes, price band
SOLUTIONS = (
    (0, "轻量化MES云服务", "Lightweight cloud MES", "saas", True, (), ("operation", "manufacturing"), SMALL, "a_under_50k"),
    (0, "设备联网与数据采集套件", "Equipment connection and data collection kit", "retrofit", True, (),
     ("foundation", "resources"), ANY, "b_50k_200k"),
    (0, "化纤纺丝车间数字化改造", "Digital upgrade of chemical-fibre spinning workshops", "retrofit", False, ("282",),
     ("foundation", "operation", "resources"), ANY, "c_200k_1m"),
    (0, "纺织织造生产管理SaaS", "Weaving production management SaaS", "saas", True, ("17",), ("operation",
     "manufacturing"), SMALL, "a_under_50k"),
    (0, "小微企业数字化诊断与培训", "Digital diagnosis and training for small firms", "consulting", True, (),
     ("management", "personnel"), ("small", "micro"), "a_under_50k"),
    (0, "汽车零部件质量追溯系统", "Quality traceability for auto parts", "saas", True, ("367",),
     ("operation", "results", "manufacturing"), ANY, "b_50k_200k"),
    (1, "工业互联网平台一体化方案", "Integrated industrial internet platform", "platform", False, (),
     ("foundation", "management", "technology"), ("large", "medium"), "d_over_1m"),
    (1, "云ERP进销存财务一体化", "Cloud ERP: purchasing, stock and accounts", "saas", True, (),
     ("management", "operation"), SMALL, "a_under_50k"),
    (1, "电子行业SMT产线数据采集", "SMT line data collection for electronics", "retrofit", True, ("398",),
     ("foundation", "operation", "resources"), ANY, "b_50k_200k"),
    (1, "数据中台与管理驾驶舱", "Data platform and management cockpit", "platform", False, (),
     ("management", "results", "technology"), ("large", "medium"), "c_200k_1m"),
    (1, "供应链协同云平台", "Supply-chain collaboration cloud", "saas", True, (), ("operation",), ANY, "b_50k_200k"),
    (1, "玻纤行业智能工厂整体方案", "Smart factory for glass fibre", "platform", False, ("306",),
     ("foundation", "operation", "manufacturing", "resources"), ("large", "medium"), "d_over_1m"),
    (2, "能耗在线监测SaaS", "Online energy monitoring SaaS", "saas", True, (), ("operation", "results"), ANY,
     "a_under_50k"),
    (2, "能源管理系统（EMS）", "Energy management system (EMS)", "platform", False, (), ("operation", "results",
     "manufacturing"), ("large", "medium"), "c_200k_1m"),
    (2, "玻纤窑炉能效优化", "Glass-fibre furnace efficiency optimisation", "retrofit", False, ("306",),
     ("results", "operation"), ANY, "c_200k_1m"),
    (2, "化工园区安全环保在线监测", "Online safety and emissions monitoring for chemicals", "saas", True, ("26",),
     ("operation", "results"), ANY, "b_50k_200k"),
    (2, "空压机与电机系统节能改造", "Compressed air and motor system retrofit", "retrofit", True, (),
     ("results", "resources"), ANY, "b_50k_200k"),
    (2, "碳排放核算与管理SaaS", "Carbon accounting SaaS", "saas", True, (), ("results", "management"), SMALL,
     "a_under_50k"),
    (3, "扫码报工小程序", "Scan-to-report mini-program", "saas", True, (), ("operation", "manufacturing"),
     ("small", "micro"), "a_under_50k"),
    (3, "轻量化CRM与订单管理", "Lightweight CRM and orders", "saas", True, (), ("operation", "manufacturing"), SMALL,
     "a_under_50k"),
    (3, "仓储条码管理SaaS", "Barcode warehouse SaaS", "saas", True, (), ("operation", "manufacturing"), SMALL,
     "a_under_50k"),
    (3, "注塑机联网与排产", "Injection-moulding machine connection and scheduling", "saas", True, ("292",),
     ("foundation", "operation", "resources"), ANY, "b_50k_200k"),
    (3, "钣金加工智能排产", "Sheet-metal scheduling", "saas", True, ("331", "333"), ("operation", "manufacturing"),
     SMALL, "a_under_50k"),
    (3, "紧固件行业云MES", "Cloud MES for fasteners", "saas", True, ("348",), ("operation", "foundation"), SMALL,
     "a_under_50k"),
    (4, "数字化转型规划咨询", "Digital transformation planning", "consulting", True, (), ("management",
     "personnel"), ANY, "b_50k_200k"),
    (4, "精益生产与数字化管理提升", "Lean production and digital management", "consulting", True, (),
     ("management", "results"), ANY, "b_50k_200k"),
    (4, "首席数字官培训计划", "Chief digital officer programme", "consulting", True, (), ("management",
     "personnel"), ANY, "a_under_50k"),
    (4, "智能制造能力成熟度评估辅导", "Intelligent manufacturing maturity coaching", "consulting", False, (),
     ("personnel", "technology", "management"), ("large", "medium"), "b_50k_200k"),
    (4, "纺织服装数字化转型样板复制", "Replicating textile digital benchmarks", "consulting", True, ("17", "18"),
     ("management", "operation"), ANY, "a_under_50k"),
    (5, "老旧设备数控化改造", "CNC retrofit of old machines", "retrofit", True, (), ("foundation", "resources"),
     ANY, "b_50k_200k"),
    (5, "机器换人自动化单元", "Robot cells replacing manual work", "retrofit", False, (), ("foundation",
     "results", "resources"), ANY, "c_200k_1m"),
    (5, "工厂5G专网与网络安全", "Plant 5G network and security", "retrofit", False, (), ("foundation",
     "technology", "resources"), ("large", "medium"), "c_200k_1m"),
    (5, "化纤卷绕设备智能化改造", "Smart retrofit of fibre winders", "retrofit", False, ("282",),
     ("foundation", "results", "manufacturing"), ANY, "c_200k_1m"),
    (5, "电子元件视觉质检", "Machine-vision inspection for electronic parts", "retrofit", True, ("398",),
     ("results", "operation", "manufacturing"), ANY, "b_50k_200k"),
    (5, "塑料制品产线自动化", "Automation of plastic-product lines", "retrofit", False, ("292",),
     ("foundation", "results"), ANY, "c_200k_1m"),
    (5, "金属制品焊接机器人工作站", "Welding robot stations for metal products", "retrofit", False, ("33",),
     ("foundation", "results", "resources"), ANY, "c_200k_1m"),
)

PAIN_POINTS = {
    "foundation": ("关键设备未联网，运行数据靠人工记录", "信息系统分散，数据口径不一"),
    "operation": ("排产靠经验，订单交期不稳定", "库存账实不符，物料齐套率低"),
    "management": ("没有转型规划和专职人员", "经营数据不能及时汇总，决策滞后"),
    "results": ("能耗和质量成本没有分项统计", "转型投入的成效无法衡量"),
    "personnel": ("缺少懂业务又懂技术的人员",),
    "technology": ("系统之间没有集成，重复录入",),
    "resources": ("网络未覆盖生产现场",),
    "manufacturing": ("生产过程不透明，质量问题难追溯",),
}
RECOMMENDATIONS = {
    "foundation": ("分步实施设备联网和数据采集", "统一物料和产品编码"),
    "operation": ("上线轻量化MES，实现扫码报工", "建立条码化仓储管理"),
    "management": ("制定三年数字化转型规划，设立专人负责", "建设管理驾驶舱，按周复盘经营指标"),
    "results": ("建立能耗和质量分项计量", "设定转型成效指标并按季度评估"),
    "personnel": ("开展全员数字技能培训",),
    "technology": ("打通ERP与MES数据",),
    "resources": ("车间网络改造，关键设备接入",),
    "manufacturing": ("建立质量追溯体系",),
}

DEMONSTRATION_KINDS = {
    "large": (DemonstrationKind.FUTURE_FACTORY, DemonstrationKind.SMART_FACTORY),
    "medium": (DemonstrationKind.SMART_FACTORY, DemonstrationKind.DIGITAL_WORKSHOP),
    "small": (DemonstrationKind.SUBINDUSTRY, DemonstrationKind.LIGHTWEIGHT),
    "micro": (DemonstrationKind.LIGHTWEIGHT,),
}
KIND_TITLE = {
    DemonstrationKind.FUTURE_FACTORY: ("未来工厂", "future factory"),
    DemonstrationKind.SMART_FACTORY: ("智能工厂", "smart factory"),
    DemonstrationKind.DIGITAL_WORKSHOP: ("数字化车间", "digital workshop"),
    DemonstrationKind.SUBINDUSTRY: ("细分行业数字化转型样板", "sub-industry transformation benchmark"),
    DemonstrationKind.LIGHTWEIGHT: ("轻量化改造标杆", "lightweight transformation benchmark"),
}

BASE_MATURITY = {"large": 0.64, "medium": 0.5, "small": 0.37, "micro": 0.27, "": 0.35}
ASSESSED_SHARE = {"large": 0.97, "medium": 0.88, "small": 0.72, "micro": 0.55, "": 0.5}


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


class _Writer:
    """Scores answers with the framework's rules and collects rows for bulk writing."""

    def __init__(self, framework: Framework):
        self.framework = framework
        self.spec = spec_of(framework)
        self.dimensions = {d.code: d for d in Dimension.objects.filter(framework=framework)}
        self.questions = {q.code: q for q in Question.objects.filter(dimension__framework=framework)}
        self.options = {(o.question_id, o.code): o for o in Option.objects.filter(question__dimension__framework=framework)}
        self.pending: list[tuple[Assessment, object]] = []

    def answers_for(self, rng: random.Random, maturity: dict[str, float]) -> dict[str, str]:
        answers = {}
        for dimension in self.spec.dimensions:
            for question in dimension.questions:
                count = len(question.options)
                position = maturity[dimension.code] * (count - 1) + rng.gauss(0, 0.6)
                index = max(0, min(count - 1, int(round(position))))
                answers[question.code] = question.options[index].code
        return answers

    def add(self, enterprise, answers, kind, assessed_on, stage, provider=None, pain="", advice="", summary=""):
        score = score_answers(self.spec, answers)
        assessment = Assessment(
            enterprise=enterprise, framework=self.framework, framework_key=self.framework.key, kind=kind,
            provider=provider, assessed_on=assessed_on, stage=stage, overall_score=score.overall,
            level=score.level.level, level_code=score.level.code, summary=summary, pain_points=pain,
            recommendations=advice)
        self.pending.append((assessment, score))
        return assessment, score

    def write(self) -> int:
        objs = [a for a, _ in self.pending]
        bulk_create_with_history(objs, Assessment, batch_size=500, default_change_reason=REASON)
        if any(a.pk is None for a in objs):  # a backend that returns no ids: read them back
            ids = {(a.enterprise_id, a.framework_id, a.assessed_on, a.kind): a.pk for a in
                   Assessment.objects.filter(framework=self.framework)}
            for a in objs:
                a.pk = a.id = ids[(a.enterprise_id, a.framework_id, a.assessed_on, a.kind)]
        scores, answers = [], []
        for assessment, score in self.pending:
            for code, value in score.dimensions.items():
                scores.append(DimensionScore(assessment_id=assessment.pk, dimension=self.dimensions[code], code=code,
                                             score=value))
            for q_code, (o_code, value) in score.answers.items():
                question = self.questions[q_code]
                answers.append(Answer(assessment_id=assessment.pk, question=question,
                                      option=self.options[(question.id, o_code)], score=value))
        DimensionScore.objects.bulk_create(scores, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)
        count = len(self.pending)
        self.pending = []
        return count


def _mark_latest(framework_key: str) -> None:
    latest = {}
    for pk, enterprise_id, day in (Assessment.objects.filter(framework_key=framework_key, is_active=True)
                                   .order_by("assessed_on", "id").values_list("id", "enterprise_id", "assessed_on")):
        latest[enterprise_id] = pk
    Assessment.objects.filter(framework_key=framework_key).update(is_latest=False)
    Assessment.objects.filter(id__in=list(latest.values())).update(is_latest=True)


def _findings(rng, spec, dimensions: dict) -> tuple[str, str]:
    weak = weakest_dimensions(spec, dimensions)[:2]
    pain = [rng.choice(PAIN_POINTS[c]) for c in weak if c in PAIN_POINTS]
    advice = [rng.choice(RECOMMENDATIONS[c]) for c in weak if c in RECOMMENDATIONS]
    return "\n".join(dict.fromkeys(pain)), "\n".join(dict.fromkeys(advice))


def load_diagnosis_demo(seed: int = SEED) -> list[str]:
    """Write the diagnosis demo (into a database holding the demo enterprises); returns the logins."""
    rng = random.Random(seed)
    load_shipped_frameworks()
    miit = Framework.objects.get(key=MIIT, is_current=True)
    gbt = Framework.objects.get(key=GBT, is_current=True)
    enterprises = list(Enterprise.objects.filter(is_active=True).select_related("org").order_by("uscc"))
    if not enterprises:
        return []
    by_name = {e.name_zh: e for e in enterprises}

    providers = [ServiceProvider(name_zh=zh, name_en=en, contact=contact, phone=phone,
                                 org=enterprises[0].org.parent or enterprises[0].org,
                                 description="演示数据（虚构的服务商）")
                 for zh, en, contact, phone in PROVIDERS]
    bulk_create_with_history(providers, ServiceProvider, default_change_reason=REASON)
    providers = list(ServiceProvider.objects.filter(name_zh__in=[p[0] for p in PROVIDERS]).order_by("id"))
    by_provider_name = {p.name_zh: p for p in providers}
    providers = [by_provider_name[p[0]] for p in PROVIDERS]

    references = [e.name_zh for e in enterprises if e.size in ("small", "medium")]
    solutions = []
    for i, (p, zh, en, kind, light, industries, dims, sizes, price) in enumerate(SOLUTIONS):
        solutions.append(Solution(
            provider=providers[p], name_zh=zh, name_en=en, kind=kind, lightweight=light,
            summary_zh=f"{zh}：面向{'、'.join(industries) + '行业' if industries else '制造业'}企业，{SolutionKind(kind).label}。（演示数据）",
            summary_en=f"{en} for {'GB/T ' + ', '.join(industries) if industries else 'any manufacturing'}. (demo data)",
            industries=sorted(industries), dimensions=sorted(dims), sizes=sorted(sizes), price_band=price,
            reference_customers="\n".join(rng.sample(references, 2)) if references else ""))
    bulk_create_with_history(solutions, Solution, default_change_reason=REASON)
    solutions = list(Solution.objects.filter(provider__in=providers).order_by("id"))

    writer, gbt_writer = _Writer(miit), _Writer(gbt)
    assignments: list[ProviderAssignment] = []
    followed: list[tuple] = []  # (enterprise, score) of follow-up assessments, for adoptions
    spec = writer.spec
    jushi = by_name.get(JUSHI)
    first_provider_firms = 0
    for enterprise in enterprises:
        size = enterprise.size or ""
        is_jushi = enterprise is jushi
        if not is_jushi and rng.random() > ASSESSED_SHARE.get(size, 0.5):
            continue
        level = min(0.95, max(0.05, BASE_MATURITY.get(size, 0.35) + rng.gauss(0, 0.13)))
        if is_jushi:
            level = 0.64  # level 3 before support, level 4 after
        maturity = {d.code: min(0.98, max(0.0, level + rng.gauss(0, 0.09))) for d in spec.dimensions}
        baseline_day = _day(rng, date(2023, 2, 1), date(2023, 6, 30))
        offline = is_jushi or rng.random() < 0.45
        provider = None
        if offline:
            if first_provider_firms < 6 and not is_jushi and size in ("small", "medium"):
                provider = providers[0]
                first_provider_firms += 1
                end = None  # fuwushang1's current assignments
            else:
                provider = providers[rng.randrange(1, len(providers))]
                end = date(2023, 12, 31) if rng.random() < 0.5 else None
            assignments.append(ProviderAssignment(provider=provider, enterprise=enterprise,
                                                  start_date=baseline_day - timedelta(days=rng.randint(7, 30)),
                                                  end_date=end, note="演示数据"))
        answers = writer.answers_for(rng, maturity)
        assessment, score = writer.add(enterprise, answers, AssessmentKind.OFFLINE if offline else AssessmentKind.SELF,
                                       baseline_day, Stage.BASELINE, provider)
        if offline:
            assessment.pain_points, assessment.recommendations = _findings(rng, spec, score.dimensions)
            assessment.summary = "现场诊断（演示数据）"
        if is_jushi or rng.random() < 0.36:
            uplift = {c: min(0.99, v + (0.14 if is_jushi else rng.uniform(0.04, 0.2))) for c, v in maturity.items()}
            later = _day(rng, date(2023, 8, 1), date(2023, 11, 20))
            answers = writer.answers_for(rng, uplift)
            kind = AssessmentKind.OFFLINE if provider is not None and rng.random() < 0.6 else AssessmentKind.SELF
            second, second_score = writer.add(enterprise, answers, kind, later, Stage.FOLLOW_UP,
                                              provider if kind == AssessmentKind.OFFLINE else None)
            if kind == AssessmentKind.OFFLINE:
                second.pain_points, second.recommendations = _findings(rng, spec, second_score.dimensions)
                second.summary = "支持后复诊（演示数据）"
            followed.append((enterprise, second_score))
        if size in ("large",) or is_jushi:
            g_level = min(0.95, max(0.05, level * 0.85 + rng.gauss(0, 0.05)))
            g_maturity = {d.code: min(0.98, max(0.0, g_level + rng.gauss(0, 0.08))) for d in gbt_writer.spec.dimensions}
            gbt_writer.add(enterprise, gbt_writer.answers_for(rng, g_maturity), AssessmentKind.SELF,
                           baseline_day + timedelta(days=3), Stage.BASELINE)
    writer.write()
    gbt_writer.write()
    _mark_latest(MIIT)
    _mark_latest(GBT)
    bulk_create_with_history(assignments, ProviderAssignment, default_change_reason=REASON)

    # Demonstrations: Jushi Group's, then the strongest firms' of other sub-industries.
    demonstrations = []
    if jushi is not None:
        demonstrations.append(Demonstration(
            enterprise=jushi, kind=DemonstrationKind.FUTURE_FACTORY, tier=DemonstrationTier.PROVINCIAL,
            title_zh="巨石集团玻璃纤维智能制造未来工厂", title_en="Jushi Group glass-fibre future factory",
            industry_id=jushi.industry_id, year=2022, status=DemonstrationStatus.DESIGNATED,
            designated_on=date(2022, 12, 20), open_for_visits=True, visit_contact="巨石集团数字化部（演示）",
            criteria="数字化设计、智能化生产、绿色化制造、安全化管控；全流程数据贯通（演示数据）",
            evidence="智能制造基地建设总结、关键指标（人均产值、能耗）对比（演示数据）"))
        demonstrations.append(Demonstration(
            enterprise=jushi, kind=DemonstrationKind.DIGITAL_WORKSHOP, tier=DemonstrationTier.CITY,
            title_zh="巨石集团短切纤维数字化车间", title_en="Jushi Group chopped-strand digital workshop",
            industry_id=jushi.industry_id, year=2021, status=DemonstrationStatus.DESIGNATED,
            designated_on=date(2021, 11, 5), open_for_visits=True, visit_contact="巨石集团数字化部（演示）",
            criteria="关键工序数控化率、设备联网率（演示数据）", evidence="车间数字化改造验收材料（演示数据）"))
    latest_scores: dict[int, Decimal] = {}
    for a in Assessment.objects.filter(framework_key=MIIT, is_latest=True).values("enterprise_id", "overall_score"):
        latest_scores[a["enterprise_id"]] = a["overall_score"]
    best_by_group: dict[str, Enterprise] = {}
    for enterprise in sorted(enterprises, key=lambda e: (-latest_scores.get(e.id, Decimal(0)), e.uscc)):
        group = enterprise.industry_id[:3]
        if enterprise is jushi or enterprise.id not in latest_scores or group in best_by_group:
            continue
        best_by_group[group] = enterprise
    for i, (group, enterprise) in enumerate(sorted(best_by_group.items())):
        kind = rng.choice(DEMONSTRATION_KINDS.get(enterprise.size or "small", DEMONSTRATION_KINDS["small"]))
        title_zh, title_en = KIND_TITLE[kind]
        short = enterprise.name_zh.replace("有限公司", "")
        status = DemonstrationStatus.DESIGNATED if i % 4 else DemonstrationStatus.NOMINATED
        year = 2023 if status == DemonstrationStatus.NOMINATED else rng.choice((2021, 2022, 2023))
        demonstrations.append(Demonstration(
            enterprise=enterprise, kind=kind,
            tier=DemonstrationTier.PROVINCIAL if kind == DemonstrationKind.FUTURE_FACTORY else DemonstrationTier.CITY,
            title_zh=f"{short}{title_zh}", title_en=f"{enterprise.name_en or short} {title_en}",
            industry_id=enterprise.industry_id, year=year, status=status,
            designated_on=date(year, 12, 1) if status == DemonstrationStatus.DESIGNATED else None,
            open_for_visits=status == DemonstrationStatus.DESIGNATED and rng.random() < 0.8,
            visit_contact="企业办公室（演示）", criteria="数字化水平评测三级及以上；细分行业代表性（演示数据）",
            evidence="诊断报告与改造前后指标对比（演示数据）"))
    bulk_create_with_history(demonstrations, Demonstration, default_change_reason=REASON)

    # Adoptions: SMEs assessed after support mostly completed a lightweight solution that fits.
    from twintrack.diagnosis.matching import Profile, offers_from, rank_solutions

    offers = offers_from([s for s in solutions if s.lightweight])
    maxima = {code: spec.dimension_max(code) for code in (d.code for d in spec.dimensions)}
    adoptions = []
    for enterprise, score in followed:
        if enterprise.size not in ("medium", "small", "micro"):
            continue
        matches = rank_solutions(Profile(enterprise.industry_id, enterprise.size, score.dimensions, maxima), offers, 1)
        if not matches:
            continue
        completed = rng.random() < 0.7
        started = _day(rng, date(2023, 6, 1), date(2023, 8, 31))
        adoptions.append(SolutionAdoption(
            enterprise=enterprise, solution=matches[0].offer.obj,
            status=AdoptionStatus.COMPLETED if completed else AdoptionStatus.IN_PROGRESS, started_on=started,
            completed_on=started + timedelta(days=rng.randint(30, 75)) if completed else None, note="演示数据"))
    bulk_create_with_history(adoptions, SolutionAdoption, default_change_reason=REASON)

    logins = _users(jushi, providers[0])
    version.bump()
    return logins


def _users(jushi, provider: ServiceProvider) -> list[str]:
    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    logins = []
    if jushi is not None:
        user, _ = User.objects.get_or_create(username="jushi", defaults={"password": password})
        Membership.objects.update_or_create(user=user, defaults={"role": Role.ENTERPRISE, "org": None,
                                                                 "enterprise": jushi})
        logins.append("jushi")
    user, _ = User.objects.get_or_create(username="fuwushang1", defaults={"password": password})
    Membership.objects.update_or_create(user=user, defaults={"role": Role.PROVIDER, "org": None, "provider": provider})
    logins.append("fuwushang1")
    return logins



"""The demo's supervision round: 2023 Q3, two groups, four units, six enterprises.

Called from `twintrack.demo.load.load_demo` after the units, enterprises and district
logins exist. Everything goes through the services with the dates it would have had in
2023, so the follow-up reads as it happened: some requirements verified, some responded and
waiting, one sent back, some never answered. Seen from today (2026), every requirement not
verified by its due date is overdue.

Logins (password twintrack-demo): duchazu1 leads the first group (Nanhu District, Tongxiang
City), duchazu2 the second (Pinghu City, Jiaxing Port Area).
"""
from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from twintrack.enterprises.models import Enterprise
from twintrack.orgs.models import Membership, OrgUnit, Role
from twintrack.supervision import services
from twintrack.supervision.models import KeyTask, Round
from twintrack.supervision.reference import seed_key_tasks

ROUND_CODE = "2023Q3"
PASSWORD = "twintrack-demo"
SUPERVISORS = (("duchazu1", "王建国"), ("duchazu2", "李淑芬"))

GROUPS = (
    # number, name_zh, name_en, leader, unit codes
    (1, "第一督查组", "First group", "duchazu1", ("330402", "330483")),
    (2, "第二督查组", "Second group", "duchazu2", ("330482", "JXGQ")),
)

VISITS = (
    # group, unit, date, enterprises (English names), attendees
    (1, "330402", date(2023, 9, 12), ("Fengchuan Electronics", "Dewei Stainless Steel"),
     "南湖区经信局、发改局负责同志；第一督查组全体成员"),
    (1, "330483", date(2023, 9, 13), ("Jushi Group",), "桐乡市经信局、科技局负责同志；第一督查组全体成员"),
    (2, "330482", date(2023, 9, 12), ("Meiyi Intelligent Sensing", "Odeon Transmission"),
     "平湖市经信局负责同志；第二督查组全体成员"),
    (2, "JXGQ", date(2023, 9, 14), ("Transchemical Synthesis",), "嘉兴港区经发局负责同志；第二督查组全体成员"),
)

FINDINGS = {
    # unit: [(kind, text, enterprise English name or None)]
    "330402": [
        ("progress", "区级“两化”改造工作专班实体化运作，建立项目月度调度和问题清单制度，重点项目按计划推进。", None),
        ("highlight", "丰川电子建成SMT智能产线，设备联网率达90%以上，生产效率提升约25%，具备打造细分行业改造样本的基础。",
         "Fengchuan Electronics"),
        ("problem", "德威不锈钢退火、酸洗工序能耗偏高，节能改造方案尚未完成论证，技改投资进度慢于序时。",
         "Dewei Stainless Steel"),
        ("plan", "下步将围绕电子信息、不锈钢制品两个细分行业开展诊断服务，四季度新开工改造项目不少于20个。", None),
    ],
    "330483": [
        ("progress", "桐乡市以玻纤、化纤行业为重点推进智能化改造，重点项目入库率和开工率均居全市前列。", None),
        ("highlight", "巨石集团“未来工厂”实现从原料到成品全流程数字化管控，单位产品综合能耗较改造前下降约15%，可作为全市示范标杆推广。",
         "Jushi Group"),
        ("problem", "中小企业改造意愿不强，轻量化改造产品和服务商供给不足，“小快轻准”解决方案覆盖面不广。", None),
        ("plan", "计划组织玻纤、经编行业中小企业开展现场观摩，推广巨石集团改造经验。", None),
    ],
    "330482": [
        ("progress", "平湖市出台“两化”改造专项扶持政策，光机电、汽车零部件行业改造项目加快推进。", None),
        ("highlight", "欧迪恩传动建设数字化车间，实现订单、排产、质检数据贯通，产品交付周期缩短约20%。",
         "Odeon Transmission"),
        ("problem", "美谊智能传感规模较小，数字化改造资金压力大，对线下诊断服务需求迫切但尚未对接服务商。",
         "Meiyi Intelligent Sensing"),
        ("plan", "下步将组织服务商开展免费线下诊断，力争年底前完成规上企业诊断全覆盖。", None),
    ],
    "JXGQ": [
        ("progress", "港区聚焦化工新材料产业，推进园区智慧化管理平台建设，重点企业安全环保数据实时接入。", None),
        ("highlight", "传化合成材料实施余热回收和电机系统节能改造，年节约标准煤约3000吨。", "Transchemical Synthesis"),
        ("problem", "部分化工企业节能降碳改造项目投资大、周期长，能耗在线监测覆盖不全，节能量核算依据不够规范。", None),
        ("plan", "计划四季度完成园区企业能效诊断，推动一批节能降碳改造项目入库。", None),
    ],
}

# unit, enterprise (English) or None, key task number, text, due date, owner, finding kind it answers,
# then the follow-up: (step, date, user, text) with step in respond / send_back / verify.
REQUIREMENTS = (
    ("330402", None, 2, "以丰川电子SMT智能产线为基础，编制电子信息细分行业数字化改造样本，形成可复制推广的改造方案。",
     date(2023, 11, 30), "南湖区经信局 陈晓华", "highlight",
     [("respond", date(2023, 11, 20), "nanhu", "已编制《电子信息行业数字化改造样本（丰川电子）》，经区专班审定后印发各镇街。"),
      ("verify", date(2023, 11, 28), "duchazu1", "样本内容完整，已在全区推广，同意销号。")]),
    ("330402", "Dewei Stainless Steel", 3, "完成退火、酸洗工序节能改造方案论证并启动实施，同步开展线下节能诊断。",
     date(2023, 10, 31), "德威不锈钢 设备部 周强", "problem",
     [("respond", date(2023, 10, 25), "nanhu", "企业已完成节能改造初步方案，拟更换蓄热式燃烧系统。"),
      ("send_back", date(2023, 11, 2), "duchazu1", "方案未附节能量测算依据，请补充第三方诊断报告后重新反馈。")]),
    ("330402", None, 1, "梳理区内数字化改造重点项目清单，按月报送进度，确保技改投资进度不低于序时。",
     date(2023, 12, 31), "南湖区经信局", None, []),
    ("330483", None, 1, "总结巨石集团“未来工厂”建设经验，申报省级数字化改造示范标杆。",
     date(2023, 12, 15), "桐乡市经信局 沈磊", "highlight",
     [("respond", date(2023, 12, 10), "tongxiang", "已完成经验总结材料并报送省经信厅，巨石集团列入省级示范标杆培育名单。"),
      ("verify", date(2023, 12, 14), "duchazu1", "经核实，申报材料已报送，同意销号。")]),
    ("330483", None, 2, "制定玻纤、经编行业中小企业轻量化改造推进计划，年内完成不少于30家企业轻量化改造。",
     date(2023, 12, 31), "桐乡市经信局", "problem",
     [("respond", date(2023, 12, 28), "tongxiang", "推进计划已印发，截至12月底完成轻量化改造26家，其余4家将于1月完成。")]),
    ("330482", "Meiyi Intelligent Sensing", 3, "对接诊断服务商，完成数字化、绿色化线下诊断，形成改造清单。",
     date(2023, 11, 15), "美谊智能传感 总经理办公室", "problem",
     [("respond", date(2023, 11, 10), "pinghu", "已由服务商完成线下诊断，形成改造清单12项，其中轻量化改造项目3项已启动。"),
      ("verify", date(2023, 11, 20), "duchazu2", "诊断报告和改造清单齐全，同意销号。")]),
    ("330482", "Odeon Transmission", 2, "将数字化车间建设经验整理为汽车零部件行业改造样本，组织同行业企业现场观摩。",
     date(2023, 12, 20), "平湖市经信局", "highlight", []),
    ("JXGQ", None, 3, "建立园区重点用能企业能耗在线监测体系，规范节能量核算，四季度完成企业能效诊断。",
     date(2023, 12, 31), "港区经发局 钱伟", "problem",
     [("respond", date(2023, 12, 20), "gangqu", "已完成8家重点用能企业能效诊断。"),
      ("send_back", date(2023, 12, 26), "duchazu2", "能耗在线监测体系尚未建立，请补充建设进展。"),
      ("respond", date(2023, 12, 29), "gangqu", "在线监测平台已上线，接入重点用能企业12家，节能量核算办法已印发。"),
      ("verify", date(2023, 12, 30), "duchazu2", "现场核查平台运行正常，同意销号。")]),
    ("JXGQ", "Transchemical Synthesis", 3, "完成余热回收项目节能量第三方核定，并申报绿色低碳示范项目。",
     date(2023, 11, 30), "传化合成材料 安环部", "highlight",
     [("respond", date(2023, 12, 5), "gangqu", "第三方核定报告已出具，核定年节能量2860吨标准煤，示范项目申报材料正在准备。")]),
    ("JXGQ", None, 1, "谋划园区数字化管理平台二期，明确建设内容和投资计划。",
     date(2024, 3, 31), "港区经发局", "plan", []),
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _supervisors() -> dict:
    User = get_user_model()
    password = make_password(PASSWORD)
    users = {}
    for username, full_name in SUPERVISORS:
        user, _created = User.objects.get_or_create(username=username,
                                                    defaults={"password": password, "first_name": full_name})
        Membership.objects.update_or_create(user=user, defaults={"role": Role.SUPERVISOR, "org": None})
        users[username] = user
    return users


@transaction.atomic
def load_supervision_demo() -> list[str]:
    """Create the 2023 Q3 round (once); returns the supervisor logins."""
    users = _supervisors()
    logins = list(users)
    if Round.all_objects.filter(code=ROUND_CODE).exists():
        return logins
    User = get_user_model()
    bureau = User.objects.filter(username="bureau").first()
    people = {u.username: u for u in User.objects.filter(
        username__in={"bureau", "nanhu", "tongxiang", "pinghu", "gangqu"})} | users
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in=["330402", "330483", "330482", "JXGQ"])}
    enterprises = {e.name_en: e for e in Enterprise.objects.filter(
        name_en__in=[name for visit in VISITS for name in visit[3]])}
    seed_key_tasks()
    tasks = {t.number: t for t in KeyTask.objects.all()}

    round_ = services.create_round(bureau, code=ROUND_CODE, name_zh="2023年第三季度“两化”改造督查服务",
                                   name_en="2023 Q3 supervision service", start_date=date(2023, 9, 11),
                                   end_date=date(2023, 9, 15), report_year=2023, report_month=8,
                                   note="听取进展、问题和计划，走访企业，下达下一阶段工作要求。",
                                   when=_at(date(2023, 9, 1)))
    groups = {}
    for number, name_zh, name_en, leader, units in GROUPS:
        groups[number] = services.create_group(bureau, round_, name_zh=name_zh, name_en=name_en, number=number,
                                               leader=users[leader], members=[users[leader]],
                                               units=[orgs[code] for code in units], when=_at(date(2023, 9, 1)))
    visits, findings = {}, {}
    for number, unit, day, names, attendees in VISITS:
        group = groups[number]
        leader = group.leader
        visit = services.record_visit(leader, group, orgs[unit], day,
                                      enterprises=[enterprises[n] for n in names if n in enterprises],
                                      attendees=attendees, when=_at(day, 17))
        visits[unit] = visit
        for kind, text, enterprise in FINDINGS[unit]:
            finding = services.record_finding(leader, visit, kind, text,
                                              enterprise=enterprises.get(enterprise) if enterprise else None,
                                              when=_at(day, 18))
            findings.setdefault((unit, kind), finding)
    for unit, enterprise, task, text, due, owner, kind, steps in REQUIREMENTS:
        visit = visits[unit]
        requirement = services.issue_requirement(
            visit.group.leader, round_, tasks[task], text, due, org=orgs[unit],
            enterprise=enterprises.get(enterprise) if enterprise else None, owner=owner, visit=visit,
            finding=findings.get((unit, kind)) if kind else None, when=_at(visit.date, 18))
        for step, day, who, step_text in steps:
            user = people.get(who)
            if step == "respond":
                services.respond(user, requirement, step_text, when=_at(day, 15))
            elif step == "send_back":
                services.send_back(user, requirement, step_text, when=_at(day, 11))
            else:
                services.verify(user, requirement, step_text, when=_at(day, 16))
    return logins

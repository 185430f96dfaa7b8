"""Synthetic rectification data built from the structure and phrases of the real notices.

Pure: no database.  ``plan_institutions`` draws institutions, inspections,
categories, issues and notices from a seeded ``random.Random``;
``render_notice`` writes the text of one notice the way the samples are laid
out (header, 一、主体责任, 二、（一）关于…方面 / 1.问题 / 整改落实情况：… 一是…二是…,
三、立行立改, 公开期限 and contacts), so the same plans serve the
``generate_demo_data`` command (rows written directly, parser not run) and the
pipeline benchmark (texts uploaded and parsed for real).  Same seed, same
``today`` and same names to avoid → the same data.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

COMPLETED, IN_PROGRESS, LONG_TERM, NOT_STATED = "completed", "in_progress", "long_term", "not_stated"

# --- phrase banks (from the five samples, recombined) ---------------------------
# city → (level body of its counties' committees, counties); "区/县/旗/市" decides 区委/县委/旗委/市委.
PLACES = {
    "清远市": ["清城区", "清新区", "英德市", "连州市", "佛冈县", "阳山县"],
    "长沙市": ["芙蓉区", "天心区", "岳麓区", "雨花区", "浏阳市", "宁乡市", "长沙县"],
    "辽阳市": ["白塔区", "文圣区", "宏伟区", "太子河区", "辽阳县", "灯塔市"],
    "赤峰市": ["红山区", "松山区", "敖汉旗", "翁牛特旗", "巴林左旗", "林西县", "宁城县"],
    "聊城市": ["东昌府区", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "临清市"],
    "株洲市": ["荷塘区", "芦淞区", "醴陵市", "攸县", "茶陵县"],
    "韶关市": ["浈江区", "武江区", "曲江区", "乐昌市", "南雄市", "仁化县"],
    "鞍山市": ["铁东区", "铁西区", "立山区", "海城市", "台安县"],
    "通辽市": ["科尔沁区", "开鲁县", "库伦旗", "奈曼旗", "扎鲁特旗"],
    "德州市": ["德城区", "陵城区", "乐陵市", "禹城市", "齐河县", "平原县"],
    "衡阳市": ["珠晖区", "雁峰区", "石鼓区", "耒阳市", "衡东县", "祁东县"],
    "梅州市": ["梅江区", "梅县区", "兴宁市", "大埔县", "五华县"],
}
CITY_HOSPITALS = ["人民医院", "第一人民医院", "第二人民医院", "第三人民医院", "中医院", "中心医院", "妇幼保健院",
                  "儿童医院", "精神卫生中心", "口腔医院", "肿瘤医院", "传染病医院", "康复医院", "中西医结合医院",
                  "骨伤科医院", "眼科医院", "急救中心", "疾病预防控制中心", "皮肤病防治院", "职业病防治院"]
COUNTY_HOSPITALS = ["人民医院", "中医院", "妇幼保健院", "第二人民医院", "疾病预防控制中心", "精神病医院"]
TOWNS = ["城关镇", "新华街道", "东城街道", "西城街道", "南关镇", "北关镇", "河口镇", "石桥镇", "大王庄镇", "龙泉镇",
         "太平镇", "新城街道", "和平街道", "柳树镇", "黄土坡镇", "青山镇", "白沙镇", "双河镇", "长乐镇", "金山镇"]
TOWN_CLINICS = ["卫生院", "社区卫生服务中心", "中心卫生院"]

CATEGORY_TITLES = [
    "关于聚焦党中央各项决策部署在基层的落实情况方面",
    "关于聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题方面",
    "关于聚焦基层组织建设方面",
    "关于聚焦巡察、审计等监督发现问题整改落实情况方面",
    "关于统筹指导学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神方面",
    "关于贯彻全面从严治党方面",
    "关于扛牢党建主体责任，夯实干部人才队伍建设方面",
    "关于强化政治执行力，提升巡察审计整改质效方面",
    "关于落实全面从严治党“两个责任”方面",
    "关于医德医风和行业作风建设方面",
    "关于财经纪律和内部控制方面",
    "关于选人用人和人才队伍建设方面",
]
# (title as the samples print it, the subject its measures talk about)
ISSUE_TITLES = [
    ("学习内容不聚焦，贯彻落实有差距", "理论学习"), ("落实意识形态工作不到位", "意识形态工作"),
    ("落实平安医院建设有差距", "平安医院建设"), ("中医药高质量发展有短板", "中医药特色发展"),
    ("医疗质量与安全管理不到位", "医疗质量管理"), ("慢性病审批把关不严", "慢性病审批"),
    ("执行医保政策不严格", "医保基金使用"), ("党风廉政建设存在薄弱环节", "党风廉政建设"),
    ("财务管理不规范", "财务管理"), ("内部控制管理有欠缺", "内部控制"), ("基层组织建设还有不足", "基层党组织建设"),
    ("审计发现问题整改不到位", "审计整改"), ("贯彻民主集中制不到位", "民主集中制"),
    ("警示教育没有做到“警钟长鸣”", "警示教育"), ("公务用车管理不规范", "公务用车"), ("违规报销费用", "费用报销"),
    ("会计凭证装订出现大量跳号", "会计凭证"), ("群众诉求解决不及时", "群众诉求办理"), ("个别科室过度诊疗", "合理诊疗"),
    ("党支部换届不及时", "党支部换届"), ("干部选拔任用工作不严谨", "干部选拔任用"),
    ("严格落实保密、网络安全工作责任制", "保密和网络安全"), ("加强选人用人工作统筹谋划", "选人用人"),
    ("严格执行党委领导下的院长负责制", "院长负责制"), ("树牢全心全意为人民服务的宗旨", "便民服务"),
    ("恪守医德医风", "医德医风建设"), ("进一步加强项目管理", "项目管理"),
]
SUBJECTS = ["意识形态工作", "医保基金使用", "药品耗材管理", "医德医风建设", "选人用人", "基层党组织建设",
            "招投标管理", "中央八项规定精神落实", "科研项目管理", "人才队伍建设", "安全生产", "信息化建设",
            "绩效考核", "院务公开", "固定资产管理", "合同管理", "预算执行", "物资采购", "后勤服务保障",
            "医疗废物处置", "临床用血管理", "门诊服务流程", "病历书写质量", "互联网医院建设", "对外合作投资"]
SHORTCOMINGS = ["落实不到位", "存在薄弱环节", "有差距", "不规范", "把关不严", "机制不健全", "有短板",
                "责任压得不实", "监督管理不严格", "执行不严格", "推进缓慢", "流于形式"]
DEPARTMENTS = ["党委办公室", "医务科", "财务科", "护理部", "纪检监察室", "总务科", "信息科", "人事科", "药剂科",
               "医保办", "门诊办", "审计科", "科教科", "院感科"]
MEASURES = [
    "{date}召开党委会议专题研究{subject}整改工作，制定印发《关于加强{subject}的实施细则》",
    "由{dept}牵头对{subject}开展全面自查，建立问题台账{n}项，逐项明确责任人和完成时限",
    "组织全院中层以上干部开展{subject}专题培训{n}次，覆盖{m}人次",
    "修订完善《医院{subject}工作规范》，从制度上规范相关工作流程",
    "{dept}每季度对{subject}开展监督检查，发现问题{n}个，已全部督促整改",
    "将{subject}纳入科室绩效考核，对落实不力的{n}名责任人进行了约谈提醒",
    "{date}前完成对{subject}相关账目和资料的清理核对，做到“日清月结”",
    "邀请上级部门专家来院指导{subject}工作，形成问题清单并逐项销号",
    "利用党委理论学习中心组学习、“三会一课”等形式，强化{subject}相关要求的学习",
    "建立{subject}定期调度机制，{dept}每月通报进展，滞后事项实行“预警提示”",
]
STATUS_SENTENCES = {
    COMPLETED: ["整改落实情况：已完成整改。", "整改落实情况：已整改完成。", "整改进展：已完成。"],
    IN_PROGRESS: ["整改落实情况：取得阶段性成效。", "整改落实情况：正在整改。", "整改落实情况：取得阶段性成果。"],
    LONG_TERM: ["整改落实情况：长期坚持。", "整改落实情况：需长期坚持。"],
    NOT_STATED: ["整改情况：", "整改落实情况："],
}
RESPONSIBILITY = [
    "巡察反馈会后，{party}第一时间成立巡察整改工作领导小组，由党委书记任组长，全面统筹推进整改工作。"
    "针对巡察反馈的{c}方面{n}个问题，逐一明确责任领导、责任科室和整改时限，建立问题清单、任务清单、责任清单，"
    "形成“一个问题、一名领导、一个责任科室、一抓到底”的闭环管理。",
    "{party}坚持以习近平新时代中国特色社会主义思想为指导，切实把抓好巡察整改作为一项重要政治任务摆上突出位置。"
    "对巡察反馈的{c}方面{n}个问题照单全收，召开专题会议研究部署，细化提出整改措施，层层压实整改责任，"
    "确保整改任务到人、责任到岗、措施得力。",
]
ORDINALS = "一二三四五六七八九十"


# --- plans -----------------------------------------------------------------------
@dataclass(frozen=True)
class IssuePlan:
    category: int  # index into the inspection's categories
    number: str
    title: str
    statuses: tuple[str, ...]  # one per notice, oldest first
    measures: tuple[tuple[str, ...], ...]  # one tuple per notice
    due_on: dt.date | None
    verification: str  # unverified / verified / reopened

    @property
    def status(self) -> str:
        return self.statuses[-1]


@dataclass(frozen=True)
class NoticePlan:
    published_on: dt.date
    disclosure_start: dt.date
    disclosure_end: dt.date
    phone: str
    email: str
    immediate_items: tuple[str, ...]


@dataclass(frozen=True)
class InspectionPlan:
    body: str  # 市委 / 区委 / 县委 / 旗委
    round: str
    group: str
    started_on: dt.date
    ended_on: dt.date
    feedback_on: dt.date
    categories: tuple[str, ...]
    issues: tuple[IssuePlan, ...]
    notices: tuple[NoticePlan, ...]


@dataclass(frozen=True)
class InstitutionPlan:
    name: str
    region: str
    parent_body: str
    inspections: tuple[InspectionPlan, ...] = field(default=())


def institution_names(rng: random.Random, taken: set[str]) -> Iterator[tuple[str, str, str]]:
    """Endless (name, region, body) triples not in ``taken``; city, county and township levels mixed."""
    cities = list(PLACES)
    attempts = 0
    while True:
        city = rng.choice(cities)
        level = rng.random()
        if level < 0.25:
            name, region, body = city + rng.choice(CITY_HOSPITALS), city, "市委"
        else:
            county = rng.choice(PLACES[city])
            body = {"区": "区委", "县": "县委", "旗": "旗委"}.get(county[-1], "市委")
            if level < 0.6:
                name = county + rng.choice(COUNTY_HOSPITALS)
            else:
                name = county + rng.choice(TOWNS) + rng.choice(TOWN_CLINICS)
            region = city + county
        attempts += 1
        if name in taken and attempts > 50:
            # The name space (~9,000) is nearly used up: branch campuses keep names unique.
            name = f"{name}第{len(taken) + 1}分院"
        if name not in taken:
            taken.add(name)
            attempts = 0
            yield name, region, body


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _measures(rng: random.Random, subject: str, around: dt.date) -> tuple[str, ...]:
    # rng.random() scaled rather than randint: this runs ~150,000 times for 2,000 institutions.
    r = rng.random
    return tuple(
        p.format(date=date_text(around + dt.timedelta(days=5 + int(r() * 56))), subject=subject,
                 dept=DEPARTMENTS[int(r() * len(DEPARTMENTS))], n=2 + int(r() * 29), m=40 + int(r() * 561))
        for p in rng.sample(MEASURES, 2 if r() < 0.5 else 3)
    )


# Sample titles and subject+shortcoming combinations: ~330 distinct (title, subject) pairs.
_TITLE_POOL = ISSUE_TITLES + [(s + sh, s) for s in SUBJECTS for sh in SHORTCOMINGS]


def _statuses(rng: random.Random, notices: int) -> tuple[str, ...]:
    """Claimed status per notice; a later notice never walks a completed issue back."""
    first = rng.choices([COMPLETED, IN_PROGRESS, LONG_TERM, NOT_STATED], weights=[45, 35, 10, 10])[0]
    statuses = [first]
    for _ in range(notices - 1):
        prev = statuses[-1]
        statuses.append(prev if prev == COMPLETED else rng.choices([COMPLETED, prev], weights=[60, 40])[0])
    return tuple(statuses)


def plan_inspection(rng: random.Random, body: str, feedback_on: dt.date, today: dt.date) -> InspectionPlan:
    started = feedback_on - dt.timedelta(days=rng.randint(90, 150))
    ended = started + dt.timedelta(days=rng.randint(40, 75))
    n_notices = 2 if rng.random() < 0.25 else 1
    published = []
    day = feedback_on
    for _ in range(n_notices):
        day = min(day + dt.timedelta(days=rng.randint(90, 200)), today)
        published.append(day)
    categories = tuple(rng.sample(CATEGORY_TITLES, rng.randint(3, 5)))
    titles = rng.sample(_TITLE_POOL, rng.randint(10, 37) if rng.random() < 0.95 else rng.randint(38, 60))
    issues = []
    for i, (title, subject) in enumerate(titles):
        statuses = _statuses(rng, n_notices)
        due_on = None
        if statuses[-1] in (IN_PROGRESS, LONG_TERM) or (statuses[-1] == NOT_STATED and rng.random() < 0.5):
            # About a third of open issues are past their deadline.
            due_on = today + dt.timedelta(days=rng.randint(-240, 420))
        verification = "unverified"
        if statuses[-1] == COMPLETED:
            verification = rng.choices(["unverified", "verified", "reopened"], weights=[60, 35, 5])[0]
        issues.append(IssuePlan(
            category=min(i * len(categories) // len(titles), len(categories) - 1), number=str(i + 1), title=title,
            statuses=statuses, measures=tuple(_measures(rng, subject, p) for p in published),
            due_on=due_on, verification=verification,
        ))
    notices = tuple(
        NoticePlan(
            published_on=p, disclosure_start=p, disclosure_end=p + dt.timedelta(days=rng.choice([15, 21, 30])),
            phone=f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}",
            email=f"jw{rng.randint(1000, 99999)}@163.com",
            immediate_items=tuple(f"{rng.choice(SUBJECTS)}{rng.choice(SHORTCOMINGS)}" for _ in range(rng.randint(0, 3))),
        )
        for p in published
    )
    return InspectionPlan(
        body=body, round=f"十{rng.choice(ORDINALS[:6])}届{body}第{ORDINALS[rng.randint(0, 9)]}轮",
        group=f"{body}第{ORDINALS[rng.randint(0, 7)]}巡察组", started_on=started, ended_on=ended,
        feedback_on=feedback_on, categories=categories, issues=tuple(issues), notices=notices,
    )


def plan_institutions(rng: random.Random, count: int, today: dt.date, taken: set[str]) -> Iterator[InstitutionPlan]:
    """``count`` institutions; one in five was inspected twice, years apart."""
    names = institution_names(rng, taken)
    for _ in range(count):
        name, region, body = next(names)
        rounds = 2 if rng.random() < 0.2 else 1
        latest = today - dt.timedelta(days=rng.randint(100, 700))
        feedbacks = [latest - dt.timedelta(days=3 * 365 * k + rng.randint(0, 60)) for k in range(rounds)][::-1]
        yield InstitutionPlan(
            name=name, region=region, parent_body=f"{region[:3]}卫生健康委员会",
            inspections=tuple(plan_inspection(rng, body, f, today) for f in feedbacks),
        )


# --- text --------------------------------------------------------------------------
def render_notice(institution: InstitutionPlan, inspection: InspectionPlan, index: int) -> str:
    """The text of the ``index``-th notice of ``inspection``, laid out like the samples."""
    notice = inspection.notices[index]
    party = f"{institution.name}党委"
    total = len(inspection.issues)
    lines = [
        f"中共{institution.name}委员会",
        f"关于{inspection.round}巡察整改进展情况的通报",
        "",
        f"根据{inspection.body}统一部署，{date_text(inspection.started_on)}至{date_text(inspection.ended_on)}，"
        f"{inspection.group}对{party}开展了巡察。{date_text(inspection.feedback_on)}，{inspection.group}向{party}"
        "反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。",
        f"一、{party}履行巡察整改主体责任情况",
        RESPONSIBILITY[total % len(RESPONSIBILITY)].format(party=party, c=len(inspection.categories), n=total),
        "二、巡察反馈意见整改落实情况",
    ]
    current = None
    for issue in inspection.issues:
        if issue.category != current:
            current = issue.category
            lines.append(f"（{ORDINALS[current]}）{inspection.categories[current]}")
        status = issue.statuses[index]
        sentence = STATUS_SENTENCES[status][int(issue.number) % len(STATUS_SENTENCES[status])]
        measures = "".join(f"{ORDINALS[k]}是{m}。" for k, m in enumerate(issue.measures[index]))
        deadline = f"下一步，将于{date_text(issue.due_on)}前全面完成整改。" if issue.due_on and status != COMPLETED else ""
        lines += [f"{issue.number}.{issue.title}。", f"{sentence}{measures}{deadline}"]
    if notice.immediate_items:
        items = "".join(f"“{item}”" for item in notice.immediate_items)
        lines += ["三、立行立改事项整改情况",
                  f"{inspection.group}向{party}移交的{items}{len(notice.immediate_items)}个立行立改事项，已全部整改完成。"]
    lines += [
        "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"
        f"公开期限：{date_text(notice.disclosure_start)}至{date_text(notice.disclosure_end)}。"
        f"联系电话：{notice.phone}；电子邮箱：{notice.email}。",
        f"中共{institution.name}委员会",
        date_text(notice.published_on),
    ]
    return "\n".join(lines) + "\n"


def parse_result(institution: InstitutionPlan, inspection: InspectionPlan, index: int) -> dict:
    """What ``ParsedNotice.to_dict()`` holds for this notice, built from the plan (same keys and sizes).

    Real parsed notices carry it in ``Notice.parse_result`` (2–3× the text);
    a generated row without it would make every query that loads notices look
    cheaper than it is.
    """
    notice = inspection.notices[index]
    issues = []
    for order, issue in enumerate(inspection.issues):
        status = issue.statuses[index]
        body = STATUS_SENTENCES[status][0] + "".join(issue.measures[index])
        actions = [{"kind": "deadline", "date": issue.due_on.isoformat(), "date_text": date_text(issue.due_on),
                    "text": "全面完成整改"}] if issue.due_on else []
        issues.append({
            "category": ORDINALS[issue.category], "number": issue.number, "title": issue.title,
            "text": f"{issue.title}。{body}", "status": status,
            "status_evidence": STATUS_SENTENCES[status][0] if status != NOT_STATED else "", "order": order,
            "measures": list(issue.measures[index]), "sections": [{"label": "整改落实情况", "text": body}],
            "actions": actions, "reason": "「1.」一级：标题带整改情况/状态",
        })
    return {
        "parser_version": "demo-data", "title": f"关于{inspection.round}巡察整改进展情况的通报",
        "institution": institution.name, "institution_aliases": [], "inspecting_body": inspection.body,
        "round": inspection.round, "inspection_group": inspection.group,
        "inspection_start": inspection.started_on.isoformat(), "inspection_end": inspection.ended_on.isoformat(),
        "feedback_date": inspection.feedback_on.isoformat(), "published_date": notice.published_on.isoformat(),
        "disclosure_start": notice.disclosure_start.isoformat(), "disclosure_end": notice.disclosure_end.isoformat(),
        "disclosure_text": f"{date_text(notice.disclosure_start)}至{date_text(notice.disclosure_end)}",
        "contacts": {"phones": [notice.phone], "emails": [notice.email], "addresses": []},
        "declared": {"categories": len(inspection.categories), "issues": len(inspection.issues), "completed": None,
                     "in_progress": None},
        "statistics": [],
        "categories": [{"number": ORDINALS[k], "title": t, "order": k} for k, t in enumerate(inspection.categories)],
        "issues": issues,
        "immediate_items": [{"text": t, "status": COMPLETED, "status_evidence": "已全部整改完成"}
                            for t in notice.immediate_items],
        "next_steps": "", "is_rectification_notice": True, "warnings": [], "confidence": "high", "review_reasons": [],
        "outline": [{"line": k + 1, "depth": 3, "text": f"{i['number']}.{i['title']}"[:80], "role": "problem",
                     "reason": i["reason"]} for k, i in enumerate(issues)],
    }

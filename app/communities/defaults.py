"""The default departments and complaint categories (PRODUCT.md), installed once.

Data, not code: admins edit them later. Limits are hours; `working` means they
count working hours (weekdays 9:00–18:00 Asia/Shanghai, without holidays).
"""
from __future__ import annotations

from sqlalchemy import select

from .. import text
from ..extensions import db
from .models import Category, Department

DEPARTMENTS = [
    ("customer-relations", "客户关系中心"),
    ("design", "设计部"),
    ("engineering", "工程部"),
    ("sales", "营销部"),
    ("property", "物业服务中心"),
]

_WARRANTY = ("**保修期**：{warranty}。\n\n**常规处理**：{remedy}\n\n"
             "**不在范围内**：业主自行改造造成的损坏、不可抗力，以及超过保修期的项目（可提供有偿维修）。")

# (profession slug, name, department, (first, plan, resolve hours), working,
#  [(item slug, name, warranty, remedy)])
CATEGORIES = [
    ("engineering", "工程质量", "engineering", (24, 48, 240), True, [
        ("doors-windows", "门窗", "门窗安装2年，玻璃及五金件1年",
         "现场查勘后3个工作日内出方案，密封条、五金件现场更换，变形门窗扇返厂维修或更换。"),
        ("leaks", "防水渗漏", "屋面、卫生间、外墙防水工程5年",
         "24小时内上门查找渗漏源；先做应急处理防止扩大，再出维修方案；维修后做闭水试验并由业主确认。"),
        ("walls-paint", "墙面涂料", "装修工程2年",
         "空鼓、开裂、起皮按面积修补并整面补漆，尽量避免色差；大面积问题重新施工。"),
        ("plumbing", "给排水", "给排水管道2年",
         "堵塞当日疏通；漏水先关阀止损，查明原因后维修；因施工遗留杂物造成的损失由我们承担。"),
        ("electrical", "电气", "电气管线2年",
         "跳闸、无电当日上门排查；线路问题由持证电工整改并出具检测结果。"),
    ]),
    ("design", "规划设计", "design", (24, 72, 480), True, [
        ("landscaping", "园林景观", "绿化苗木1年（成活保证）",
         "枯死苗木在当季补种；与规划不符的景观由设计部核对图纸后书面答复。"),
        ("parking", "车位与道路", "道路及车库2年",
         "车库渗水、划线不清、标识缺失在方案中给出整改时间；规划问题附图纸说明。"),
    ]),
    ("sales", "销售与合同", "sales", (24, 72, 240), True, [
        ("fees-contracts", "费用与合同", "以合同约定为准",
         "营销部核对合同与宣传资料后书面答复；确有不一致的，按合同与相关规定处理。"),
    ]),
    ("property", "物业服务", "property", (4, 24, 72), False, [
        ("lifts", "电梯", "电梯设备按厂家保修，维保由物业负责",
         "困人30分钟内到场救援；故障停梯当日报修维保单位，超过48小时未修复须公告原因和预计时间。"),
        ("security", "安防", "门禁、监控设备2年",
         "门禁、监控故障24小时内修复；治安问题配合业主报警并调取监控（依法依规）。"),
        ("broadband-utilities", "宽带与水电气", "以各供应单位规定为准",
         "物业协调供应单位上门；计划停水停电提前24小时公告。"),
        ("noise", "噪音", "不适用",
         "装修噪音按管理规约的施工时段执行，超时施工当即制止；设备噪音查明来源后整改。"),
        ("property-fees", "物业费与服务", "以物业服务合同为准",
         "费用问题3个工作日内书面说明收费依据；服务问题按物业服务合同标准整改。"),
    ]),
    ("other", "其他", "customer-relations", (24, 72, 240), True, [
        ("other", "其他问题", "视具体问题而定",
         "客户关系中心受理后分派到责任部门，并在承诺时限内答复。"),
    ]),
]


def install_defaults() -> int:
    """Create the default departments and categories that are missing; return how many."""
    added = 0
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    for position, (slug, name) in enumerate(DEPARTMENTS):
        if slug not in departments:
            departments[slug] = Department(slug=slug, name=name, position=position)
            db.session.add(departments[slug])
            added += 1
    db.session.flush()
    existing = {(c.parent_id, c.slug): c for c in db.session.scalars(select(Category))}
    for position, (slug, name, dept, limits, working, items) in enumerate(CATEGORIES):
        profession = existing.get((None, slug))
        if profession is None:
            profession = Category(slug=slug, name=name, position=position,
                                  department_id=departments[dept].id,
                                  first_response_hours=limits[0], plan_hours=limits[1],
                                  resolve_hours=limits[2], working_hours=working)
            db.session.add(profession)
            db.session.flush()
            added += 1
        for item_position, (item_slug, item_name, warranty, remedy) in enumerate(items):
            if (profession.id, item_slug) in existing:
                continue
            source = _WARRANTY.format(warranty=warranty, remedy=remedy)
            db.session.add(Category(parent_id=profession.id, slug=item_slug, name=item_name,
                                    position=item_position, standard_source=source,
                                    standard_html=text.render(source)))
            added += 1
    db.session.commit()
    return added

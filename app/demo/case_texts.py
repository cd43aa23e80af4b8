"""What customer-relations staff, handlers and owners write on demo complaint cases.

Everything here is shown to readers, so it is Chinese. Placeholders, filled per case:
{xq} community; {b} {u} {fl} {room} the filer's building, unit, floor and room; {case} the
case number; {dept} the handling department; {date} the committed completion date;
{visit} a visit day and half-day; {wo} the work order number; {n} 2–6; {days} days since
the resolution; {joins} owners who joined; {orig} the case a duplicate joins; {summary}
what was done.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    """How one kind of complaint is handled: its category and every text its case needs.

    A topic has one scenario; `VARIANTS` in the scenario modules replace fields for a
    topic's particular opening (an entrance door is not a window).
    """

    category: str                         # item category slug
    location: str = "public"              # "unit": inside the owner's home (kept private)
    where: str = ""                       # public location text
    stages: tuple[str, ...] = ("warranty",)
    wanted: tuple[str, ...] = ()
    dept: str = ""                        # department slug when not the category's own
    plan_days: tuple[int, int] = (3, 10)  # committed date: days after the plan
    plans: tuple[str, ...] = ()           # public plan notes (the timeline)
    dispatches: tuple[str, ...] = ()      # public dispatch notes
    orders: tuple[str, ...] = ()          # internal work-order details
    summaries: tuple[str, ...] = ()       # public "what was done"
    notes: tuple[str, ...] = ()           # internal notes
    rejects: tuple[str, ...] = ()         # the owner's reasons to send it back
    reopens: tuple[str, ...] = ()         # the owner's reasons to reopen
    declines: tuple[tuple[str, str], ...] = ()     # (public reason, official reply)
    duplicate: tuple[str, str] | None = None       # (title, body) of a copy by another owner
    phoned: tuple[str, str] | None = None          # (title, body) registered from a call
    closings: tuple[str, ...] = field(default=())  # the owner's thanks, before confirming


FIRST_REPLIES: tuple[str, ...] = (
    ("您好，您反映的问题已受理，编号{case}。已转{dept}跟进，{dept}的同事会先和您电话确认上门时间，"
     "请保持电话畅通。给您添麻烦了。"),
    ("业主您好，收到。问题已登记为{case}并转{dept}，处理进度会在本帖同步，每一步都会写明时间。"
     "如有新的情况，直接在本帖回复即可。"),
    "您好，感谢反馈。已联系{dept}，他们会先到现场查看，再给出处理方案和完成日期，后续进展在本帖更新。",
    ("您好，非常抱歉给您和家人带来不便。您的问题已受理（{case}），已请{dept}优先安排，"
     "今天内会有同事电话联系您。"),
    "您好，已收到您的反馈并登记（{case}）。{dept}明天上午会先到现场看一下，看完后在本帖告诉您处理方案。",
)
LATE_FIRST_REPLIES: tuple[str, ...] = (
    ("您好，抱歉这么晚才回复。周末登记后没有及时转出，是我们的疏漏。问题已受理（{case}）并转{dept}，"
     "今天内会有同事联系您。"),
    "业主您好，非常抱歉回复超时了。您的问题已登记为{case}，已直接交给{dept}主管，明天上午到现场。",
)
ASSIGN_NOTES: tuple[str, ...] = (
    "转{dept}处理。",
    "已分派{dept}，先核实情况，再出方案。",
    "{dept}负责跟进，方案出来后在本帖公布。",
    "",
)
VISIT_REPLIES: tuple[str, ...] = (
    "您好，我是{dept}的，今天已经到现场看过了，原因基本清楚，具体方案和完成日期明天在本帖公布。",
    "您好，下午和师傅一起到现场查看并拍了照，需要和厂家确认一下配件，方案稍后更新。",
    "业主您好，现场已查看，{dept}今天内出方案，请留意本帖。",
)
PROGRESS_REPLIES: tuple[str, ...] = (
    "您好，工单{wo}正在处理中，材料已经到货，{visit}上门施工，请家里留人。",
    "进展更新：第一阶段已完成，剩余部分按计划{date}前完成，完成后请您验收。",
    "您好，师傅{visit}上门，施工前会再电话和您确认一次。",
)
DELAY_REPLIES: tuple[str, ...] = (
    "您好，抱歉进度比承诺的慢了：配件厂家延迟发货，预计{visit}到货，到货当天安排施工，完成后第一时间在本帖告诉您。",
    "进展说明：前几天连续下雨，室外作业没法进行，已顺延到{visit}，给您添麻烦了。有任何情况请直接在本帖留言。",
    "您好，施工单位排期出了问题，我们已经协调好，{visit}上门。超过承诺日期是我们的责任，抱歉。",
)
DONE_REPLIES: tuple[str, ...] = (
    ("您好，处理已经完成：{summary}\n\n请您有空检查一下。没有问题的话，请在本帖「问题解决了吗？」处打个分，"
     "点「确认并关闭」；还有问题的话，点「没解决，退回重办」告诉我们哪里不对，我们继续处理。"),
    "业主您好，{summary}\n\n麻烦您确认一下效果，有任何不满意的地方请直接退回，我们会再来。",
)
NUDGE_REPLIES: tuple[str, ...] = (
    ("您好，处理完成已经{days}天了，我们昨天电话回访没有接通。如果还有问题请在本帖回复，或点「没解决，退回重办」；"
     "没有问题的话请点「确认并关闭」。7天内没有回复的，会按「未经业主确认」关闭。"),
    "您好，想和您确认一下处理效果，师傅说已经处理好了，您这边看着怎么样？有问题随时告诉我们。",
)
REPLANS: tuple[str, ...] = (
    ("复查后确认上次处理不彻底，这次{dept}会扩大处理范围、更换材料，{visit}上门施工，承诺{date}前完成，"
     "完成后由主管和您一起验收。"),
    "已重新查找原因：上次只处理了表面，这次从根源处理。{visit}上门，承诺{date}前完成。",
)
REDO_REPLIES: tuple[str, ...] = (
    "您好，非常抱歉问题没有处理彻底。已安排{dept}主管{visit}上门复查，找准原因再修，修完当场和您一起确认效果。",
    "收到您的反馈，抱歉让您再跑一趟。已重新安排师傅{visit}上门，这次会把原因查清楚再处理。",
)
REOPEN_REPLIES: tuple[str, ...] = (
    "您好，看到问题又出现了，非常抱歉。投诉已重新打开并转{dept}，这次会查清根本原因，方案出来后第一时间在本帖更新。",
    "您好，收到。已重新交给{dept}，{visit}先到现场查看，不会只做表面处理。",
)
ESCALATION_REPLIES: tuple[str, ...] = (
    ("您好，我是客户关系中心赵经理。这个问题没有在我们承诺的时限内处理好，责任在我们，向您道歉。"
     "我已要求{dept}明天中午前给出明确的完成日期，之后每一步我都会跟进，进展在本帖更新。"),
    ("业主您好，我是客户关系中心的赵经理，这个投诉已超时升级到我这里。已和{dept}负责人当面沟通，"
     "今天下班前会有同事和您联系确认时间，给您添麻烦了。"),
)
ESCALATION_NOTES: tuple[str, ...] = (
    "超时升级。已电话{dept}负责人，要求明天12点前回复处理时间；本周例会复盘超时原因。",
    "超时原因：{dept}排期冲突，工单压了两天没人接。已要求每天早会过一遍待办。",
    "升级后已亲自给业主回电道歉，业主情绪平稳，同意等方案。",
)
GROUP_REPLIES: tuple[str, ...] = (
    ("各位业主好，我是客户关系中心赵经理。本帖已有{joins}户业主反映同一问题，已列为群诉并升级处理，"
     "由我牵头、{dept}配合。我们会先给出整体方案和时间表，每周至少在本帖更新两次进展。"
     "点了「我也遇到」的业主都会收到进度通知，不需要另外发帖。"),
)
GROUP_NOTES: tuple[str, ...] = (
    "群诉：已报公司风险管理例会。涉及户数多，整改方案要书面出，并在本小区公告版同步。",
    "物业管家已建业主联络群，避免信息不一致；对外口径以本帖为准。",
)
MERGE_REPLIES: tuple[str, ...] = (
    ("您好，您反映的问题和 {orig} 是同一件事，已经合并处理，您已自动加入该投诉，进展会通知到您。"
     "为了让大家看到同一份进度，本帖不再单独跟进。"),
)
MERGE_NOTES: tuple[str, ...] = (
    "与 {orig} 为同一问题，已合并处理，发帖业主已加入该投诉。",
    "同一问题已在 {orig} 跟进，合并处理。",
)
OWNER_UPDATES: tuple[str, ...] = (
    "师傅今天来看过了，说材料到了就来修。",
    "请问具体哪天上门？我好提前请假。",
    "收到，等师傅上门。",
    "谢谢客服，等消息。",
    "今天电话联系上了，约好了时间。",
)
CLOSINGS: tuple[str, ...] = (
    "已经处理好了，感谢跟进！",
    "修好了，谢谢各位邻居关心，结帖。",
    "确认解决了，谢谢{dept}的师傅。",
)
# Rating comments by how the owner felt; the last ones are meant for staff only.
PRAISE: tuple[str, ...] = (
    "处理及时，师傅很专业，谢谢！",
    "从报修到修好，每一步都有人通知，体验不错。",
    "客服很耐心，问题也解决得彻底。",
    "比预想的快，现场也收拾得很干净。",
    "整个过程公开透明，有问题能找到人，这点很好。",
    "",
)
MIXED: tuple[str, ...] = (
    "问题是解决了，但中间等得有点久，希望下次快一些。",
    "维修效果可以，就是上门时间改了两次。",
    "总体满意，建议以后上门前一天先通知。",
)
# Low marks after a slow or repeated repair, and low marks for other reasons.
COMPLAINTS: tuple[str, ...] = (
    "修是修好了，但前后拖了很久，打了好多次电话才有人管。",
    "解决得太慢，超时了也没人主动解释。",
    "这次算修好了，但同样的问题已经是第二次了，对房子质量很失望。",
    "说好的时间一拖再拖，不会推荐朋友来买。",
)
DISAPPOINTED: tuple[str, ...] = (
    "问题解决了，但对这个房子的质量已经没什么信心了。",
    "师傅修完现场一地灰，也没打招呼就走了。",
    "处理还算及时，但出这种问题本身就不应该。",
)
PRIVATE_COMMENTS: tuple[str, ...] = (
    "维修师傅态度很好。另外师傅提到材料要另外收费，希望公司核实一下，不想公开说。",
    "希望公司内部查一下为什么拖了这么久，不是针对客服。",
)
INTAKE_NOTES: tuple[str, ...] = (
    "业主要求工作日晚上7点后联系。",
    "业主情绪比较激动，回复时注意措辞，先道歉再讲方案。",
    "已电话核实为业主本人报修，业主白天不在家，上门前一天约时间。",
    "已告知业主处理时限，业主表示理解。",
    "业主之前在物业前台登记过，前台没有转出，已提醒前台。",
)
REDO_NOTES: tuple[str, ...] = (
    "业主退回：这次由{dept}主管亲自复查，复查结果拍照存档。",
    "第二次返修，费用仍由施工单位承担；完工后请客服当天回访。",
)

"""What demo threads are made of: the Topic shape, shared reply pools, topics by board.

Placeholders filled per post: {xq} community name; {b} {u} {fl} {room} the thread
author's building, unit, floor and room; {b2} {fl2} {room2} the poster's; {b3} another
building; {n} 2–9, {n2} 10–60, {days} 3–30; {date} {date2} dates a few days ahead;
{month} {year}; {time}; {me} the poster's name; {author} the thread author's name;
{typhoon}, {item}, {price}. A title and its opening post share one set of values.
"""
from __future__ import annotations

from dataclasses import dataclass

# A way to open a thread: the titles that fit one opening post, and that post.
Start = tuple[tuple[str, ...], str]


def start(body: str, *titles: str) -> Start:
    """An opening post with the titles that fit it."""
    return titles, body


@dataclass(frozen=True)
class Topic:
    """One subject: how threads open, and what neighbours, staff and the author add."""

    key: str
    starts: tuple[Start, ...]
    replies: tuple[str, ...]
    echoes: tuple[str, ...] = ()          # short clauses dropped into `echo_frames`
    echo_frames: tuple[str, ...] = ()     # overrides the board kind's frames
    answers: tuple[str, ...] = ()         # staff replies (official answers, sign-up checks)
    handler_notes: tuple[str, ...] = ()   # a department's handler reporting from the site
    followups: tuple[str, ...] = ()       # the author coming back to the thread
    closings: tuple[str, ...] = ()        # the author's last word once it is sorted
    dept: str = ""                        # the department that handles it
    by_staff: bool = False                # opened by staff (notices, club events)
    signup: bool = False                  # replies are a sign-up list (no quoting)
    generic: bool = True                  # mix in the board kind's stock replies
    months: tuple[int, ...] = ()          # seasonal: the months threads may start in


# Replies anyone may add in a board of this kind, to mix with a topic's own.
GENERIC_REPLIES: dict[str, tuple[str, ...]] = {
    "complaints": (
        "顶一下，同样关注。",
        "我家也有类似情况，{b2}栋{fl2}楼。",
        "支持楼主，这种问题不能拖。",
        "物业能不能给个明确的处理时间？",
        "上周我也报过，到现在没人联系。",
        "建议走投诉流程，这个版的帖子客服会跟进。",
        "同求处理结果。",
        "这个问题去年就有人提过了。",
        "已经打了热线，工单号也发给物业了。",
        "楼主加油，有结果了记得更新。",
    ),
    "discussion": (
        "顶一下。",
        "帮顶。",
        "邻居们真热心。",
        "支持一下。",
    ),
    "club": (
        "期待！",
        "万客会辛苦了。",
        "这个活动好，支持。",
    ),
}

# Frames for a topic's echoes, by board kind, when the topic has none of its own.
ECHO_FRAMES: dict[str, tuple[str, ...]] = {
    "complaints": ("{b2}栋也是，{e}。", "{b2}栋{fl2}楼报到：{e}。", "补充一个情况：{e}。",
                   "我家在{b2}栋，{e}，已经报修了。", "{e}，不知道是不是同一个原因。",
                   "同样，{e}。"),
    "discussion": ("补充一条：{e}。", "我的经验：{e}。", "再加一条，{e}。",
                   "{e}，这是我家踩过的坑。", "楼主总结得好，另外{e}。"),
    "club": ("报名：{b2}栋{room2}，{e}。", "+1，{b2}栋，{e}。", "{b2}栋报名，{e}，谢谢！"),
}

# Openers and closers wrapped around a reply now and then, so replies vary.
REPLY_OPENERS: dict[str, tuple[str, ...]] = {
    "complaints": ("同感，", "楼上说得对。", "刚看到这个帖子，", "我是{b2}栋的，", "+1 ", "顶！"),
    "discussion": ("+1 ", "我是{b2}栋的，"),
}
REPLY_CLOSERS: dict[str, tuple[str, ...]] = {
    "complaints": ("希望尽快解决。", "坐等回复。", "大家一起顶上去。", "有进展请更新。",
                   "（手机打字，见谅）"),
    "discussion": ("谢谢！", "（手机打字，见谅）"),
}

# Staff progress notes for a complaint once its topic's own answers are used up.
STAFF_UPDATES: tuple[str, ...] = (
    "各位业主好，本帖反映的问题已汇总上报，{date}前给出整体处理方案，请大家留意本帖更新。",
    "您好，该问题仍在跟进中，相关部门今天再次到现场复查，结果会在本帖更新。",
    "感谢大家的耐心。目前进展：第一批已处理完，剩余部分预计{date2}前完成。",
    "您好，在本帖留言的业主我们已逐户电话回访，未接通的请留意来电。",
    "本帖已转交主管跟进，如有新的情况请继续在这里反馈，我们每天查看。",
)

# A neighbour's reply that was edited to take out a heated sentence (the old text keeps it).
HEATED_LINES: tuple[str, ...] = ("物业到底有没有人在管？！", "这种服务还好意思收物业费？",
                                 "说了等于白说，真是服了。", "再不解决就去住建局投诉！")

# What an author adds when editing an opening post (the old text stays as a revision).
OPENING_UPDATES: dict[str, tuple[str, ...]] = {
    "complaints": ("**更新：** 物业已经打电话联系我了，约了这周上门。",
                   "**补充：** 今天又看了一下，情况没有好转。",
                   "更新：客服已经回复，等上门。",
                   "补充照片晚点发，手机传不上来。"),
    "discussion": ("**更新：** 谢谢大家的回复，有用的都整理到一楼了。",
                   "补充：可以私信我详细聊。",
                   "更新：已经有好几位邻居联系我了。"),
    "club": ("**更新：** 时间和地点不变，下雨改在会所。",),
}

# Values drawn for the {item}, {typhoon}, {time} and {price} placeholders.
ITEMS: tuple[str, ...] = ("婴儿车", "儿童书桌", "跑步机", "实木餐桌", "儿童自行车", "微波炉",
                          "一箱绘本", "落地灯", "宝宝餐椅", "鱼缸")
TYPHOONS: tuple[str, ...] = ("海葵", "苏拉", "摩羯", "山竹", "泰利", "小犬")
TIMES: tuple[str, ...] = ("15:20", "16:05", "16:40", "17:10", "18:30", "20:15")
PRICES: tuple[str, ...] = ("2.8", "3.2", "3.5", "3.8", "4.2")

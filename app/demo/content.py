"""The demo site's fixed data: communities, boards, people and a few hand-written threads.

Everything stored from here is demo content shown to readers, so it is Chinese.
Thread and reply templates live in `topics.py`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..auth.roles import Role
from ..communities.models import BoardKind

# Every demo account logs in with this password (printed at the end of a load).
DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class CommunitySpec:
    """A community of the demo developer; `buildings` bounds the building numbers used."""

    slug: str
    name: str
    city: str
    description: str
    buildings: int
    floors: int


@dataclass(frozen=True)
class BoardSpec:
    """A board of every community, or a site-wide board."""

    slug: str
    name: str
    kind: BoardKind
    description: str


@dataclass(frozen=True)
class PersonSpec:
    """A demo account. `home` is the index of the person's community (None: staff)."""

    username: str
    display_name: str
    role: Role
    home: int | None = None
    building: int | None = None
    dept: str = ""


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        "siji-garden", "四季花园", "深圳·龙岗",
        "2011年起分三期交付，共22栋、约3100户。毗邻地铁3号线，小区内有幼儿园和社区商业街。"
        "业主最多、讨论最热闹的小区。", 22, 32),
    CommunitySpec(
        "binhai-bay", "滨海湾", "深圳·南山",
        "2016年交付的滨海高层住宅，12栋、约1800户，部分单位可看海景。", 12, 45),
    CommunitySpec(
        "yunshan-court", "云山苑", "广州·白云",
        "白云山脚下的花园洋房与小高层，2018年交付，16栋、约1500户，绿化率40%。", 16, 18),
    CommunitySpec(
        "pearl-river-view", "珠江御景", "广州·海珠",
        "江景高层，2019年交付，8栋、约1200户，配建双语幼儿园。", 8, 38),
    CommunitySpec(
        "songhu-peninsula", "松湖半岛", "东莞·松山湖",
        "湖畔低密度社区，2020年交付，18栋洋房与联排，约900户。", 18, 11),
    CommunitySpec(
        "nanhai-city-garden", "城市花园", "佛山·南海",
        "2021年交付的新小区，14栋、约2200户，地铁广佛线千灯湖站步行10分钟。", 14, 33),
)

# Boards every community has, in display order.
COMMUNITY_BOARDS: tuple[BoardSpec, ...] = (
    BoardSpec("complaints", "投诉与建议", BoardKind.COMPLAINTS,
              "房屋质量、物业服务、配套设施的问题都可以在这里提，客服中心会跟进并公开进度。"),
    BoardSpec("talk", "业主交流", BoardKind.DISCUSSION,
              "邻里闲聊、装修经验、团购、宠物、孩子上学、二手转让。"),
    BoardSpec("club", "万客会活动", BoardKind.CLUB,
              "万客会家庭日、亲子活动、业主比赛和积分兑换。"),
    BoardSpec("news", "公告", BoardKind.ANNOUNCEMENTS,
              "物业服务中心与客户关系中心发布的通知（仅工作人员发帖）。"),
)

SITE_BOARDS: tuple[BoardSpec, ...] = (
    BoardSpec("site-news", "站务公告", BoardKind.ANNOUNCEMENTS,
              "业主之声的版规、投诉处理流程、满意度结果公示。"),
    BoardSpec("life", "购房与生活", BoardKind.DISCUSSION,
              "买房、收房、贷款、装修与城市生活，各小区业主都可以参与。"),
)

# How many threads each community board gets: one row per community, one column per
# board above. The first community's complaints and talk boards pass 60 threads so
# board paging (30 a page) shows.
THREADS_PER_BOARD: tuple[tuple[int, int, int, int], ...] = (
    (74, 66, 12, 14),
    (36, 30, 9, 11),
    (28, 26, 8, 10),
    (24, 22, 7, 9),
    (18, 20, 8, 8),
    (30, 24, 7, 10),
)
SITE_THREADS: dict[str, int] = {"site-news": 8, "life": 30}

STAFF: tuple[PersonSpec, ...] = (
    PersonSpec("admin", "站点管理员", Role.ADMIN),
    PersonSpec("mod_zhou", "版主老周", Role.MODERATOR),
    PersonSpec("mod_xu", "版主小徐", Role.MODERATOR),
    PersonSpec("kefu_chen", "客服小陈", Role.STAFF),
    PersonSpec("kefu_li", "客服小李", Role.STAFF),
    PersonSpec("kefu_wang", "客服王姐", Role.STAFF),
    PersonSpec("crc_zhao", "客户关系中心赵经理", Role.STAFF),
    PersonSpec("eng_li", "工程部李工", Role.HANDLER, dept="engineering"),
    PersonSpec("pm_zhang", "物业张主管", Role.HANDLER, dept="property"),
    PersonSpec("design_he", "设计部何工", Role.HANDLER, dept="design"),
    PersonSpec("sales_liu", "营销部刘经理", Role.HANDLER, dept="sales"),
)

# Owners (verified) and members (not yet verified), each living in one community.
RESIDENTS: tuple[PersonSpec, ...] = (
    PersonSpec("wang_3dong", "3栋王先生", Role.OWNER, 0, 3),
    PersonSpec("lin_nvshi", "林女士", Role.OWNER, 0),
    PersonSpec("xiaoyu_mama", "小鱼妈妈", Role.OWNER, 0),
    PersonSpec("laochen88", "老陈", Role.OWNER, 0),
    PersonSpec("tony_zx", "Tony装修中", Role.MEMBER, 0),
    PersonSpec("zhou_1802", "12栋1802周", Role.OWNER, 0, 12),
    PersonSpec("ajie_run", "爱跑步的阿杰", Role.MEMBER, 0),
    PersonSpec("chengzi_baba", "橙子爸爸", Role.OWNER, 0),
    PersonSpec("huang_ayi", "黄阿姨", Role.OWNER, 0),
    PersonSpec("li_jie", "李姐", Role.OWNER, 0),
    PersonSpec("liu_xs", "7栋刘先生", Role.OWNER, 0, 7),
    PersonSpec("erbao_ma", "二宝妈", Role.MEMBER, 0),
    PersonSpec("deng_7dong", "滨海7栋邓先生", Role.OWNER, 1, 7),
    PersonSpec("amay", "阿May", Role.OWNER, 1),
    PersonSpec("kevin_bh", "Kevin", Role.MEMBER, 1),
    PersonSpec("feng_tai", "冯太", Role.OWNER, 1),
    PersonSpec("haibian_mao", "海边的猫", Role.MEMBER, 1),
    PersonSpec("zheng_5dong", "5栋郑女士", Role.OWNER, 1, 5),
    PersonSpec("laozhang", "老张头", Role.OWNER, 2),
    PersonSpec("yunshan_xiaopang", "云山小胖", Role.MEMBER, 2),
    PersonSpec("cai_laoshi", "蔡老师", Role.OWNER, 2),
    PersonSpec("liang_sang", "梁生", Role.OWNER, 2),
    PersonSpec("susu", "苏苏", Role.MEMBER, 2),
    PersonSpec("he_xs", "何先生", Role.OWNER, 2),
    PersonSpec("jiajia_ma", "嘉嘉妈", Role.OWNER, 3),
    PersonSpec("xie_xs", "谢先生", Role.OWNER, 3),
    PersonSpec("abin", "阿彬", Role.MEMBER, 3),
    PersonSpec("zhong_ns", "钟女士", Role.OWNER, 3),
    PersonSpec("maonu_wu", "猫奴小吴", Role.MEMBER, 3),
    PersonSpec("laoyang", "老杨", Role.OWNER, 4),
    PersonSpec("xu_gong", "许工（业主）", Role.OWNER, 4),
    PersonSpec("bandao_jumin", "半岛居民", Role.MEMBER, 4),
    PersonSpec("jingjing", "静静", Role.OWNER, 4),
    PersonSpec("dashu", "大树", Role.OWNER, 5),
    PersonSpec("song_song", "宋宋", Role.MEMBER, 5),
    PersonSpec("aze", "阿泽", Role.OWNER, 5),
    PersonSpec("xiaolu", "小陆", Role.OWNER, 5),
    PersonSpec("qiandeng_mama", "千灯湖宝妈", Role.MEMBER, 5),
)

# The accounts printed at the end of a load, so someone can log in at once.
SHOWCASE_USERNAMES: tuple[str, ...] = ("admin", "mod_zhou", "kefu_chen", "eng_li", "wang_3dong",
                                       "tony_zx")


@dataclass(frozen=True)
class FixedThread:
    """A hand-written thread: where it goes, who opens it, and its opening post."""

    board: str            # board slug
    community: int | None  # community index, None for a site-wide board
    author: str           # username
    title: str
    body: str
    pinned: bool = False


RULES_BODY = """欢迎来到 **业主之声**！这里是业主之间、业主与公司之间公开交流的地方。发帖前请花一分钟读完：

1. 就事论事，不做人身攻击，不发布他人的电话、门牌等个人信息；
2. 投诉请发在对应小区的「投诉与建议」版，写清楚楼栋、问题、发生时间和诉求；
3. 同一个问题请在已有帖子里点「我也遇到」，不要重复开帖；
4. 广告、中介房源请勿发布，二手闲置转让请发在「业主交流」版；
5. 版主隐藏帖子时会公开写明理由，业主本人发的投诉不会被删除。

> 在投诉中完美。——我们把每一条投诉都当作改进的机会。

有任何建议，欢迎在本版回复。"""

PROCESS_BODY = """各位业主好，这里说明一下投诉在论坛上是怎么处理的：

| 步骤 | 说明 | 时限承诺 |
|---|---|---|
| 接待 | 客服确认收到，帖子显示「已受理」 | 24小时内 |
| 分派 | 转给设计、工程、营销或物业对应部门 | 2个工作日内 |
| 方案 | 部门给出处理方案和承诺完成日期 | 5个工作日内 |
| 派单 | 维修或整改工单派出 | 按方案 |
| 关闭 | 业主确认满意后关闭 | — |

**几点说明：**

- 每一步的时间都会在帖子上公开，超时会自动升级给主管；
- 「已关闭」不等于「已解决」，我们只统计业主确认的结果；
- 关闭时会请您做一个简单的满意度评价，这对我们非常重要。

客户关系中心 赵经理"""

COMPLAINT_GUIDE_BODY = """发帖前请看：

- **标题** 写清楚楼栋和问题，例如「8栋2单元电梯经常停在18楼不动」；
- **正文** 写明发生时间、影响范围、已经联系过谁；
- 有照片更好，可以直接上传；
- 涉及门牌号、电话的内容，只有客服能看到您的联系方式，请不要写在正文里。

客服工作时间 9:00–21:00，一般24小时内回复。紧急情况（漏水、困梯、停电）请直接拨打物业值班电话。"""

CONTACT_BODY = """**{name}物业服务中心**

- 地址：小区南门会所一楼
- 服务时间：8:30–18:00（24小时值班）
- 报修：拨打物业前台或在本站「投诉与建议」版发帖

报修流程：

1. 登记问题（前台、电话或论坛）；
2. 物业或工程部在承诺时限内上门查看；
3. 维修完成后请您确认，并做满意度回访。

紧急维修（水管爆裂、困梯、停电）30分钟内到场。"""

FIXED_THREADS: tuple[FixedThread, ...] = (
    FixedThread("site-news", None, "admin", "欢迎来到业主之声：发帖前请读一读", RULES_BODY,
                pinned=True),
    FixedThread("site-news", None, "crc_zhao", "投诉处理流程与时限承诺说明", PROCESS_BODY,
                pinned=True),
    FixedThread("complaints", 0, "mod_zhou", "【置顶】投诉与建议版发帖须知", COMPLAINT_GUIDE_BODY,
                pinned=True),
    FixedThread("news", 0, "kefu_wang", "四季花园物业服务中心联系方式及报修流程",
                CONTACT_BODY.format(name="四季花园"), pinned=True),
    FixedThread("news", 1, "kefu_li", "滨海湾物业服务中心联系方式及报修流程",
                CONTACT_BODY.format(name="滨海湾"), pinned=True),
    FixedThread("news", 2, "kefu_chen", "云山苑物业服务中心联系方式及报修流程",
                CONTACT_BODY.format(name="云山苑"), pinned=True),
)

# Where the long threads (30–80 posts) go: (community index or None, board slug, topic key).
LONG_THREADS: tuple[tuple[int | None, str, str], ...] = (
    (0, "complaints", "lift"),
    (0, "complaints", "fees"),
    (0, "talk", "group_food"),
    (0, "club", "family_day"),
    (1, "complaints", "fees"),
    (2, "talk", "renovation"),
    (3, "complaints", "leak_wall"),
    (None, "life", "handover"),
)

# The long thread that a moderator locks: (community index, board slug, topic key).
LOCKED_LONG_THREAD = (1, "complaints", "fees")

LOCK_NOTICE = ("讨论已经偏离主题，出现了针对个人的言语，先锁帖。\n\n"
               "物业费的问题客户关系中心已经在跟进，结果会发在本小区「公告」版。请大家理性讨论。")

SOLD_NOTICE = "已经出掉了，谢谢各位邻居关注，麻烦版主锁帖。"

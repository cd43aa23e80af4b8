"""The demo's moderation history (issue 4), made through the real services.

Over the last few days before loading: a spammer's thread reported and hidden and the
spammer banned; an insulting reply reported, hidden and its author suspended; a phone
number redacted; a report dismissed; a thread locked and one pinned; and a handful of
reports still open in the queue. Every action goes through `app.moderation.services`,
so the flags, notices and audit entries are the ones real use writes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..communities.models import Board, Community
from ..extensions import db
from ..forum import services as forum_services
from ..forum.models import Post, Thread
from ..moderation import services as mod
from .case_clock import SimClock, replaying

SPAMMER = ("youhui_888", "装修优惠小助手")


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _board(community_position: int, slug: str) -> Board:
    return db.session.scalars(select(Board).join(Community, Board.community_id == Community.id)
                              .where(Community.position == community_position,
                                     Board.slug == slug)).one()


def _threads(board: Board, count: int, quiet_since: datetime) -> list[Thread]:
    """Ordinary discussion threads with replies and no activity since `quiet_since` (so a
    reply written "days ago" stays their latest), oldest id first, deterministic."""
    return list(db.session.scalars(
        select(Thread).where(Thread.board_id == board.id, Thread.locked.is_(False),
                             Thread.last_post_at < quiet_since,
                             Thread.pinned.is_(False), Thread.hidden_at.is_(None),
                             Thread.post_count >= 3)
        .order_by(Thread.last_post_at.desc(), Thread.id).limit(count)))


def _reply(thread: Thread, number: int) -> Post:
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id,
                                                 Post.number == number)).one()


def _others(post: Post, names: list[str]) -> list[User]:
    return [u for u in (_user(n) for n in names) if u.id != post.author_id]


def seed_moderation(now: datetime) -> str:
    """Write the moderation history; returns a one-line summary."""
    sim = SimClock(now - timedelta(days=4))
    moderator, second = _user("mod_zhou"), _user("mod_xu")
    talk = _board(0, "talk")
    threads = _threads(talk, 12, now - timedelta(days=5))
    neighbours = ["wang_3dong", "lin_nvshi", "xiaoyu_mama", "laochen88", "tony_zx",
                  "zhou_1802", "chengzi_baba", "huang_ayi", "li_jie", "liu_xs"]

    def at(hours_before: float) -> None:
        sim.at = now - timedelta(hours=hours_before)

    with replaying(sim):
        # A spammer's thread: reported by three owners, hidden, the spammer banned.
        at(96)
        # Shares the demo accounts' password hash (hashing again would be slow).
        spammer = User(username=SPAMMER[0], email=f"{SPAMMER[0]}@example.com",
                       display_name=SPAMMER[1], password_hash=moderator.password_hash,
                       created_at=sim.now())
        db.session.add(spammer)
        db.session.commit()
        spam = forum_services.create_thread(
            talk, spammer, title="全屋装修特价，加微信领优惠券",
            body="全屋装修一口价 9.9 万起！加微信 zx_youhui888 领 5000 元优惠券，名额有限。")
        spam_post = _reply(spam, 1)
        for hours, name in ((95, "wang_3dong"), (94.5, "lin_nvshi"), (94, "tony_zx")):
            at(hours)
            mod.flag_post(spam_post, _user(name), reason="spam")
        at(93)
        mod.hide_thread(spam, moderator, reason="广告帖，违反版规第 3 条（禁止商业广告）")
        mod.suspend(spammer, moderator, days=None, reason="注册后只发商业广告")

        # An insulting reply in Binhai: reported, hidden; its author suspended for a week.
        community_three = _board(3, "talk")
        target = _threads(community_three, 1, now - timedelta(days=5))[0]
        at(60)
        insult = forum_services.reply(target, _user("abin"),
                                      body="楼上的你是不是脑子有问题？整天就知道抱怨，真丢人。")
        at(59)
        mod.flag_post(insult, _user("jiajia_ma"), reason="abuse", note="直接骂人了")
        at(58)
        mod.hide_post(insult, moderator, reason="人身攻击，违反版规第 1 条（对事不对人）")
        mod.suspend(_user("abin"), moderator, days=7, reason="在业主交流版多次人身攻击，禁言 7 天")

        # A phone number and room number posted in public: reported and redacted.
        at(40)
        exposed = forum_services.reply(
            threads[0], _user("erbao_ma"),
            body="我家也是这个问题，电话 13812345678，3栋2单元1101，师傅来了可以直接打给我。")
        at(39)
        mod.flag_post(exposed, _user("xiaoyu_mama"), reason="personal_data",
                      note="她把电话和门牌号都发出来了")
        at(38)
        mod.moderate_text(
            exposed, second,
            body="我家也是这个问题（联系方式已由版主删除），师傅来了可以通过客服中心联系我。",
            reason="删去公开的手机号和门牌号", redact=True)

        # A sharp but fair complaint: reported as abuse, the report dismissed.
        critic = _reply(threads[1], 2)
        at(30)
        mod.flag_post(critic, _others(critic, neighbours)[0], reason="abuse")
        at(29)
        mod.dismiss_flags(critic, moderator, reason="对物业的正常批评，不属于辱骂")

        # A thread locked and one pinned.
        at(26)
        mod.set_locked(threads[2], moderator, on=True,
                       reason="讨论已经很充分，后续进展请看公告版")
        at(25)
        mod.set_pinned(threads[3], second, on=True, reason="新业主常见问题汇总，置顶方便查找")

        # Reports still open in the queue, with various reasons.
        def written(thread: Thread, username: str, body: str, hours: float) -> Post:
            at(hours)
            return forum_services.reply(thread, _user(username), body=body)

        # Written oldest first, as the services expect time to run forward.
        aside = written(threads[7], "xiaoyu_mama", "有人要二手婴儿车吗？九成新，便宜出。", 9)
        heated = written(threads[5], "liu_xs",
                         "说这种话的人怕是没在这里住过吧？别在这里带节奏了，懂不懂？", 7)
        plate = written(threads[6], "chengzi_baba",
                        "粤B·12345 这辆白色车天天停消防通道，车主就是6栋1203的张某，大家认准了。", 6)
        advert = written(threads[4], "laochen88",
                         "代办房产证、公积金提取，价格优惠，有需要的私聊我，VX：bzfw2026。", 4)
        open_reports = [
            (advert, "spam", "", 3), (advert, "spam", "又在发广告", 2.5),
            (advert, "off_topic", "和主题无关", 2),
            (heated, "abuse", "语气很冲，有点人身攻击", 5.5),
            (plate, "personal_data", "车牌号和门牌号都发出来了", 5),
            (aside, "off_topic", "", 8),
            (_reply(threads[8], 1), "other", "这个帖子重复了，上周已经有一样的", 12),
        ]
        reporters_used: dict[int, set[int]] = {}
        for post, reason, note, hours in sorted(open_reports, key=lambda r: -r[3]):
            used = reporters_used.setdefault(post.id, set())
            reporter = next(u for u in _others(post, neighbours) if u.id not in used)
            used.add(reporter.id)
            at(hours)
            mod.flag_post(post, reporter, reason=reason, note=note)
    # Replies written "hours ago" must not push later activity off the boards' previews.
    for board in (talk, community_three):
        mod.refresh_board_preview(board)
    db.session.commit()
    return (f"Moderation: {len(open_reports)} open reports, a hidden thread and post, a "
            f"redaction, a dismissed report, a locked and a pinned thread, "
            f"{SPAMMER[0]} banned and abin suspended.")

"""A bank of realistic Chinese threads written by the demo's ThreadWriter, rendered once.

Rendering Markdown and sanitising costs ~0.3 ms a post, so rendering a million posts
one by one would take minutes of CPU. The generator instead draws every post from
this bank: each distinct text is rendered once (in a process pool when there are
many) and reused wherever it appears. Threads stay coherent: a generated thread
takes one drafted thread of a topic (title, opening, replies) and, when it must be
longer, continues with other replies written for the same topic.
"""
from __future__ import annotations

import multiprocessing
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from app import text
from app.auth.models import User
from app.auth.roles import Role
from app.communities.defaults import _WARRANTY
from app.demo.complaint_topics import COMPLAINT_TOPICS
from app.demo.content import (COMMUNITIES, COMPLAINT_GUIDE_BODY, CONTACT_BODY, LOCK_NOTICE,
                              PROCESS_BODY, RESIDENTS, RULES_BODY, STAFF)
from app.demo.loader import TOPICS_BY_KIND
from app.demo.topics import HEATED_LINES, STAFF_UPDATES, Topic
from app.demo.writer import Person, ThreadPlan, ThreadWriter, pick_length

# Later phases of the demo's six communities make the site's twenty (四季花园二期 ...).
PHASES = ("", "二期", "三期", "四期")
# Distinct texts below this count are rendered in-process; a pool only pays off above it.
POOL_THRESHOLD = 4000


@dataclass(frozen=True)
class Text:
    """One post body: Markdown as typed, its rendered HTML, and who wrote it in the draft.

    `role` is "author" (the thread's opener), "resident", "staff", "handler",
    "moderator" or "admin"; the generator maps it to a generated account.
    """

    source: str
    html: str
    role: str
    dept: str = ""


@dataclass
class DraftedThread:
    """A thread the demo writer drafted: title, opening and replies, all rendered."""

    title: str
    opening: Text
    replies: list[Text]
    opener: str   # the opener's kind of account: resident, staff, moderator, admin, handler


@dataclass
class TopicBank:
    """Every drafted thread of one topic, and all their replies as a pool for long threads."""

    topic: Topic
    group: str
    threads: list[DraftedThread] = field(default_factory=list)
    replies: list[Text] = field(default_factory=list)


@dataclass
class Edit:
    """A reply that was edited: the text before (kept as a revision) and after."""

    before: Text
    after: Text


@dataclass
class TextBank:
    """Rendered texts by board group, plus the fixed notices and case wording."""

    groups: dict[str, list[TopicBank]]
    pinned: dict[str, tuple[str, Text]]          # key -> (title, text)
    lock_notice: Text
    edits: list[Edit]
    staff_notes: list[Text]                      # public notes on case steps
    decline_reasons: list[str]
    rating_comments: list[str]
    render_seconds: float = 0.0
    rendered: int = 0
    posts_drafted: int = 0

    def contact(self, community_name: str) -> tuple[str, Text]:
        """The pinned contact notice of a community's announcement board."""
        return self.pinned[f"contact:{community_name}"]


class _Values(dict):
    """Placeholder values for templates filled outside a thread (rating comments)."""

    def __missing__(self, key: str) -> str:
        return {"date": "6月12日", "date2": "6月20日", "time": "16:40", "xq": "四季花园",
                "typhoon": "海葵", "item": "婴儿车", "price": "3.5"}.get(key, "3")


def _demo_people(rng: random.Random) -> dict[str, Person]:
    """The demo's accounts as unsaved User objects: the writer only reads names and roles."""
    people: dict[str, Person] = {}
    for spec in STAFF + RESIDENTS:
        community = COMMUNITIES[spec.home] if spec.home is not None else None
        user = User(username=spec.username, display_name=spec.display_name,
                    role=spec.role.value)
        people[spec.username] = Person(
            user=user, spec=spec,
            building=spec.building or rng.randint(1, community.buildings if community else 10),
            unit=rng.randint(1, 3), floor=rng.randint(2, community.floors if community else 20),
            door=rng.randint(1, 4))
    return people


def _role(person: Person, opener: Person | None) -> tuple[str, str]:
    if person is opener:
        return "author", ""
    role = person.spec.role
    if role == Role.HANDLER:
        return "handler", person.spec.dept
    if role in (Role.STAFF, Role.MODERATOR, Role.ADMIN):
        return role.value, ""
    return "resident", ""


def _render_all(sources: list[str], processes: int) -> dict[str, str]:
    """Render each distinct source once; in a pool of processes when there are many."""
    distinct = sorted(set(sources))
    if processes > 1 and len(distinct) >= POOL_THRESHOLD:
        # fork: the workers inherit the imported renderer instead of importing the app again.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            rendered = pool.map(text.render, distinct, chunksize=256)
    else:
        rendered = [text.render(source) for source in distinct]
    return dict(zip(distinct, rendered, strict=True))


def build_bank(seed: int, per_topic: int, processes: int) -> TextBank:
    """Draft `per_topic` threads (and one long one) for every demo topic, then render them."""
    rng = random.Random(seed)
    people = _demo_people(rng)
    now = datetime.now().astimezone()
    writer = ThreadWriter(rng, now, people)
    drafts: dict[tuple[str, str], list] = {}
    for index, (group, topics) in enumerate(TOPICS_BY_KIND.items()):
        board = SimpleNamespace(id=index)  # the writer keeps titles apart per board
        for topic in topics:
            community = None if group in ("site-news", "life") else rng.randrange(len(COMMUNITIES))
            out = drafts.setdefault((group, topic.key), [])
            for number in range(per_topic + 1):
                long = number == per_topic  # one long draft fills the topic's reply pool
                length = rng.randint(40, 80) if long else pick_length(rng, group, topic)
                start = now - timedelta(days=rng.randint(30, 700), seconds=rng.randint(0, 86400))
                plan = ThreadPlan(board, group, community, start, length, topic=topic, long=long)
                out.append((topic, writer.write(plan)))

    edit_pairs: list[tuple[str, str]] = []
    for (group, _), written in drafts.items():
        if group not in ("complaints", "talk"):
            continue
        for _, draft in written[:3]:
            for post in draft.posts[1:3]:
                heated = rng.choice(HEATED_LINES)
                edit_pairs.append((post.source + heated, post.source))

    pinned_sources = {"rules": ("欢迎来到业主之声：发帖前请读一读", RULES_BODY),
                      "process": ("投诉处理流程与时限承诺说明", PROCESS_BODY),
                      "guide": ("【置顶】投诉与建议版发帖须知", COMPLAINT_GUIDE_BODY)}
    for spec in COMMUNITIES:
        for phase in PHASES:
            name = spec.name + phase
            pinned_sources[f"contact:{name}"] = (f"{name}物业服务中心联系方式及报修流程",
                                                 CONTACT_BODY.format(name=name))
    notes = [note.format_map(_Values(date=f"{m}月{d}日", date2=f"{m}月{d + 7}日"))
             for note in STAFF_UPDATES for m, d in ((3, 12), (6, 5), (9, 18), (11, 2))]

    sources = [post.source for written in drafts.values() for _, d in written for post in d.posts]
    sources += [s for pair in edit_pairs for s in pair]
    sources += [body for _, body in pinned_sources.values()] + [LOCK_NOTICE] + notes
    started = time.perf_counter()
    html = _render_all(sources, processes)
    render_seconds = time.perf_counter() - started

    groups: dict[str, list[TopicBank]] = {}
    for (group, _), written in drafts.items():
        bank = TopicBank(topic=written[0][0], group=group)
        for _, draft in written:
            texts = [Text(p.source, html[p.source], *_role(p.author, draft.author))
                     for p in draft.posts]
            opener = _role(draft.author, None)[0]
            bank.threads.append(DraftedThread(draft.title, texts[0], texts[1:], opener))
            bank.replies.extend(texts[1:])
        if not bank.replies:  # announcements of one post: reuse openings as follow-ups
            bank.replies = [Text(t.opening.source, t.opening.html, "author")
                            for t in bank.threads]
        groups.setdefault(group, []).append(bank)

    comments = [c.format_map(_Values()) for topic in COMPLAINT_TOPICS for c in topic.closings]
    return TextBank(
        groups=groups,
        pinned={key: (title, Text(body, html[body], "staff"))
                for key, (title, body) in pinned_sources.items()},
        lock_notice=Text(LOCK_NOTICE, html[LOCK_NOTICE], "moderator"),
        edits=[Edit(Text(b, html[b], "resident"), Text(a, html[a], "resident"))
               for b, a in edit_pairs],
        staff_notes=[Text(n, html[n], "staff") for n in notes],
        decline_reasons=[_WARRANTY.split("\n\n")[-1].replace("**", "")],
        rating_comments=comments,
        render_seconds=render_seconds, rendered=len(html),
        posts_drafted=len(sources))


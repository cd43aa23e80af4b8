"""Rows for planned threads: posts drawn from the text bank, cases, search documents.

Every counter is counted while the rows are made, so the stored values match the rows.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app import text
from app.communities.models import BoardKind

from bulk import Bulk
from cases import (CASE_COLUMNS, EVENT_COLUMNS, JOIN_COLUMNS, RATING_COLUMNS, CaseInput,
                   CaseRows, CaseWriter, StaffInfo)
from siteplan import Site, ThreadPlan
from textbank import Text, TextBank, TopicBank

try:  # the search index arrived while this generator was written; older trees lack it
    from app.search.models import KIND_POST
    from app.text.terms import index_terms
except ImportError:  # pragma: no cover
    KIND_POST, index_terms = "post", None
try:  # complaints' opening posts carry a mark for "similar cases" (app/search/models.py)
    from app.search.models import CASE_MARK
except ImportError:  # pragma: no cover
    CASE_MARK = ""

CHUNK_POSTS = 20_000
TOPIC_CATEGORY = {
    "leak_bathroom": "leaks", "leak_wall": "leaks", "windows_doors": "doors-windows",
    "lift": "lifts", "parking": "parking", "charging": "electrical", "fees": "property-fees",
    "fee_collection": "property-fees", "noise": "noise", "landscaping": "landscaping",
    "broadband": "broadband-utilities", "signal": "broadband-utilities", "cracks": "walls-paint",
    "security": "security", "hygiene": "property-fees"}

THREAD_COLUMNS = ("id", "board_id", "author_id", "title", "created_at", "last_post_at",
                  "last_post_user_id", "post_count", "pinned", "locked", "anonymous")
POST_COLUMNS = ("id", "thread_id", "number", "author_id", "body_source", "body_html",
                "render_version", "created_at", "edited_at", "edit_count", "deleted_at",
                "deleted_by_id", "is_official")
REVISION_COLUMNS = ("id", "post_id", "number", "title", "body_source", "body_html",
                    "written_at", "replaced_at", "editor_id")
# Tables written only when the app has them (they arrived while the benchmark was built).
SEARCH_COLUMNS = ("id", "kind", "source_id", "thread_id", "board_id", "community_id", "public",
                  "created_at", "title_terms", "terms")
WATCH_COLUMNS = ("id", "user_id", "thread_id", "created_at")
DEFECT_COLUMNS = ("id", "case_id", "category_id", "department_id", "cause", "marked_at",
                  "marked_by_id")


@dataclass
class Buffers:
    """Rows waiting for the next chunk write, in foreign-key order."""

    threads: list[tuple] = field(default_factory=list)
    posts: list[tuple] = field(default_factory=list)
    revisions: list[tuple] = field(default_factory=list)
    cases: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    joins: list[tuple] = field(default_factory=list)
    ratings: list[tuple] = field(default_factory=list)
    search: list[tuple] = field(default_factory=list)
    watches: list[tuple] = field(default_factory=list)
    defects: list[tuple] = field(default_factory=list)

    def flush(self, bulk: Bulk) -> None:
        """Write every buffered row and commit the chunk."""
        for table, columns, rows in (
                ("threads", THREAD_COLUMNS, self.threads), ("posts", POST_COLUMNS, self.posts),
                ("post_revisions", REVISION_COLUMNS, self.revisions),
                ("cases", CASE_COLUMNS, self.cases), ("case_events", EVENT_COLUMNS, self.events),
                ("case_joins", JOIN_COLUMNS, self.joins),
                ("case_ratings", RATING_COLUMNS, self.ratings),
                ("search_docs", SEARCH_COLUMNS, self.search),
                ("watches", WATCH_COLUMNS, self.watches),
                ("case_defects", DEFECT_COLUMNS, self.defects)):
            if rows and bulk.has(table):
                bulk.insert(table, columns, rows)
                if table == "search_docs":
                    bulk.insert_fts([(row[0], row[8], row[9]) for row in rows])
            rows.clear()
        bulk.commit()


class ThreadStream:
    """Writes planned threads as rows: posts from the text bank, counters as it goes."""

    def __init__(self, rng: random.Random, site: Site, bank: TextBank, bulk: Bulk) -> None:
        self.rng, self.site, self.bank, self.bulk = rng, site, bank, bulk
        self.buffers = Buffers()
        self.next_post = self.next_revision = self.next_case = 1
        self.cases = CaseWriter(rng, site.now, bank, StaffInfo(
            customer=site.customer, handlers=site.handlers, department_names=site.dept_names,
            customer_label=site.dept_names[site.dept_by_slug["customer-relations"]]))
        self._owner_pool: dict[int, list[Text]] = {}
        self._case_pool: dict[int, list[Text]] = {}
        self._topics = {(b.group, b.topic.key): b for group in bank.groups.values() for b in group}
        self.case_count = 0
        self.next_watch = self.next_defect = 1
        # Search terms are segmented once per distinct text, like the HTML is rendered once.
        self.search = index_terms is not None and bulk.has("search_docs")
        self._terms: dict[str, str] = {}

    def terms(self, source: str) -> str:
        """The search terms of a text (computed once per distinct text)."""
        found = self._terms.get(source)
        if found is None:
            found = self._terms[source] = index_terms(source)  # type: ignore[misc]
        return found

    def resident(self, community: int | None, avoid: int = 0) -> int:
        """A resident, the more active ones more often (a few people write most posts)."""
        rng = self.rng
        pool = self.site.all_residents if community is None or rng.random() < 0.05 \
            else self.site.residents[community] or self.site.all_residents
        user = pool[int(len(pool) * rng.random() ** 2)]
        if user == avoid:
            user = pool[rng.randrange(len(pool))]
        return user

    def author_for(self, role: str, dept: str, community: int | None, opener: int) -> int:
        """A generated account standing in for the demo persona who wrote a text."""
        rng, site = self.rng, self.site
        if role == "author":
            return opener
        if role == "resident":
            return self.resident(community, avoid=opener)
        if role == "staff":
            return rng.choice(site.customer)
        if role == "handler":
            department = site.dept_by_slug.get(dept) or next(iter(site.handlers))
            return rng.choice(site.handlers[department])
        if role == "moderator":
            return rng.choice(site.moderators)
        return site.admin

    def write(self, thread_id: int, plan: ThreadPlan) -> int:
        """Write one thread with its posts (and case); returns how many posts."""
        rng, site, bank = self.rng, self.site, self.bank
        board = site.boards[plan.board]
        community = board.community
        if plan.pinned:
            title, body = bank.pinned[plan.pinned]
            topic_bank, texts, opener_kind = None, [body], "moderator" if plan.pinned == "guide" \
                else "staff"
        else:
            topic_bank = self._topics[(board.group, plan.topic)] if plan.topic else \
                rng.choice(bank.groups[board.group])
            drafted = rng.choice(topic_bank.threads)
            title, opener_kind = drafted.title, drafted.opener
            texts = [drafted.opening, *drafted.replies[:plan.length - 1]]
            pool = self._pool(topic_bank) if plan.case else topic_bank.replies
            while len(texts) < plan.length:
                texts.append(pool[rng.randrange(len(pool))])
        author = self.resident(community) if opener_kind == "resident" else \
            self.author_for(opener_kind, "", community, 0)
        locked = (not plan.case and not plan.pinned and plan.length >= 3
                  and board.kind == BoardKind.DISCUSSION.value and rng.random() < 0.003)
        if locked:
            texts[-1] = bank.lock_notice
        times = self._times(plan)
        editable = board.group in ("complaints", "talk")
        official: list[tuple[int, datetime, int]] = []
        posts = self.buffers.posts
        last_author = author
        for number, (piece, at) in enumerate(zip(texts, times, strict=True), start=1):
            poster = author if number == 1 else self.author_for(piece.role, piece.dept,
                                                                community, author)
            is_official = plan.case and number > 1 and piece.role in ("staff", "handler")
            if is_official:
                official.append((number, at, poster))
            edited_at = deleted_at = None
            edit_count, body = 0, piece
            if number > 1 and piece.role == "resident" and editable:
                roll = rng.random()
                if roll < 0.01:  # edited: the post shows the new text, a revision the old
                    edit = rng.choice(bank.edits)
                    body, edit_count = edit.after, 1
                    edited_at = min(at + timedelta(minutes=rng.randint(5, 2880)), site.now)
                    self.buffers.revisions.append((
                        self.next_revision, self.next_post, 1, None, edit.before.source,
                        edit.before.html, at, edited_at, poster))
                    self.next_revision += 1
                elif roll < 0.013:
                    deleted_at = min(at + timedelta(minutes=rng.randint(10, 300)), site.now)
            posts.append((self.next_post, thread_id, number, poster, body.source, body.html,
                          text.RENDER_VERSION, at, edited_at, edit_count, deleted_at,
                          poster if deleted_at else None, is_official))
            if self.search:
                self.buffers.search.append((
                    self.next_post, KIND_POST, self.next_post, thread_id, board.id,
                    None if community is None else community + 1, deleted_at is None, at,
                    (f"{CASE_MARK} " if plan.case and CASE_MARK else "") + self.terms(title)
                    if number == 1 else "", self.terms(body.source)))
            self.next_post += 1
            site.user_posts[poster] += 1
            last_author = poster
        site.user_threads[author] += 1
        self.buffers.threads.append((
            thread_id, board.id, author, title[:120], times[0], times[-1], last_author,
            len(texts), bool(plan.pinned), locked,
            plan.case and rng.random() < 0.1))
        board.threads += 1
        board.posts += len(texts)
        if board.last is None or (times[-1], thread_id) > board.last:
            board.last = (times[-1], thread_id)
        if plan.case and topic_bank is not None:
            self._write_case(thread_id, plan, topic_bank, author, times, official, community)
        if len(posts) >= CHUNK_POSTS:
            self.buffers.flush(self.bulk)
        return len(texts)

    def _pool(self, topic_bank: TopicBank) -> list[Text]:
        """Replies by owners only: a long complaint thread grows by owners, not by staff."""
        key = id(topic_bank)
        if key not in self._case_pool:
            self._case_pool[key] = [t for t in topic_bank.replies
                                    if t.role in ("resident", "author")] or topic_bank.replies
        return self._case_pool[key]

    def _times(self, plan: ThreadPlan) -> list[datetime]:
        """Increasing post times: answers within hours or days, all before now."""
        rng, now = self.rng, self.site.now
        room = (now - plan.start).total_seconds() - rng.randint(60, 3600)
        if plan.length == 1 or room <= 0:
            return [plan.start + timedelta(microseconds=i) for i in range(plan.length)]
        mean_gap = room / plan.length * 0.9 if plan.length > 400 else \
            (20 * 3600 if plan.length >= 30 else 7 * 3600)
        offsets, total = [0.0], 0.0
        for _ in range(plan.length - 1):
            total += 120 + rng.expovariate(1 / mean_gap)
            offsets.append(total)
        factor = room / total if total > room else 1.0
        return [plan.start + timedelta(seconds=o * factor, microseconds=i)
                for i, o in enumerate(offsets)]

    def _write_case(self, thread_id: int, plan: ThreadPlan, topic_bank: TopicBank, filer: int,
                    times: list[datetime], official: list, community: int | None) -> None:
        assert community is not None
        site = self.site
        slug = TOPIC_CATEGORY.get(topic_bank.topic.key, "other")
        summary = next((t.source for t in topic_bank.replies if t.role == "handler"), "")
        owner_notes = self._owner_pool.setdefault(
            id(topic_bank), [t for t in topic_bank.replies if t.role == "author"])
        rows: CaseRows = self.cases.write(CaseInput(
            case_id=self.next_case, thread_id=thread_id, community_id=community + 1,
            filer_id=filer, start=times[0], end=times[-1], official=official[:40],
            category=site.categories.get(slug) or site.categories["other"],
            opening=self.buffers.posts[-len(times)][4], summary=summary[:2000],
            owner_notes=owner_notes, residents=site.residents[community],
            building=self.rng.randint(1, site.buildings[community]),
            long_timeline=plan.long_timeline))
        self.next_case += 1
        self.case_count += 1
        self.buffers.cases.append(rows.case)
        self.buffers.events.extend(rows.events)
        self.buffers.joins.extend(rows.joins)
        if rows.rating is not None:
            self.buffers.ratings.append(rows.rating)
        # The filer and everyone who joined follow the case (they are told of each step).
        for user, at in [(filer, times[0])] + [(join[2], join[3]) for join in rows.joins]:
            self.buffers.watches.append((self.next_watch, user, thread_id, at))
            self.next_watch += 1
        case = dict(zip(CASE_COLUMNS, rows.case, strict=True))
        if case["is_defect"]:
            department = case["department_id"]
            marker = self.rng.choice(site.handlers.get(department) or site.customer)
            self.buffers.defects.append((
                self.next_defect, case["id"], case["category_id"], department,
                summary[:2000] or self.bank.staff_notes[0].source,
                case["closed_at"] or site.now, marker))
            self.next_defect += 1

"""The mixed load: owners and staff reading and writing through real pages and forms.

Each client is a thread with its own browser (cookies, CSRF token from the page it just
read). Every write carries a unique marker; a write counts as acknowledged only when the
server answered it with its redirect, and the client keeps the marker and the redirect.
Conflicts (409: the case changed under the staff member) and refusals are counted, never
retried with the same marker, so a marker can only ever be in the database once.
"""
from __future__ import annotations

import http.client
import random
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .harness import Ack, Answer, Browser, Refused, Site, path_of

STEP_FORM_RE = re.compile(r'name="step" value="(\w+)">\s*<input type="hidden" '
                          r'name="\w+-version" value="(\d+)"')
DEPARTMENT_RE = re.compile(r'name="assign-department_id">(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="(\d+)"')
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Figures:
    """What one run did, for the closing note."""

    requests: int = 0
    reads: int = 0
    statuses: Counter = field(default_factory=Counter)
    writes: Counter = field(default_factory=Counter)       # acknowledged, per kind
    conflicts: int = 0                                     # 409: told the case changed
    refused: Counter = field(default_factory=Counter)      # other 4xx, per kind
    server_errors: list = field(default_factory=list)      # 5xx: (kind, status, path)
    connection_errors: int = 0                             # no answer (kills, restarts)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_status(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


class Client(threading.Thread):
    """One person acting until `stop` is set; owners and staff do different things."""

    def __init__(self, site: Site, base: str, username: str, *, staff: bool, run: str,
                 number: int, acks: list[Ack], figures: Figures, stop: threading.Event,
                 pool: CasePool, tolerate_outages: bool = False) -> None:
        super().__init__(daemon=True, name=f"proof-{username}")
        self.site, self.base, self.username, self.staff = site, base, username, staff
        self.run_id, self.number = run, number
        self.acks, self.figures, self.stop, self.pool = acks, figures, stop, pool
        self.tolerate_outages = tolerate_outages
        self.rng = random.Random(f"{run}-{number}")
        self.seq = 0
        self.browser = Browser(base)
        self.mine: list[int] = []  # this owner's case ids
        self.error: BaseException | None = None

    # -- plumbing ------------------------------------------------------------------
    def marker(self) -> str:
        self.seq += 1
        return f"PRF{self.run_id}c{self.number:02d}s{self.seq}X"

    def _answer(self, kind: str, call: Any) -> Answer | None:
        try:
            answer = call()
        except CONNECTION_ERRORS:
            with self.figures.lock:
                self.figures.connection_errors += 1
            if not self.tolerate_outages:
                raise
            time.sleep(0.2)
            return None
        self.figures.add_status(answer.status)
        if answer.status >= 500:
            with self.figures.lock:
                self.figures.server_errors.append((kind, answer.status, answer.body[-300:]))
        return answer

    def read(self, path: str) -> Answer | None:
        answer = self._answer("read", lambda: self.browser.get(path))
        if answer is not None:
            with self.figures.lock:
                self.figures.reads += 1
        return answer

    def write(self, kind: str, path: str, form: list[tuple[str, str]], marker: str,
              target: int = 0) -> Answer | None:
        answer = self._answer(kind, lambda: self.browser.post(path, form))
        if answer is None:
            return None
        if answer.status == 302 and "/login" not in answer.location:
            ack = Ack(kind, marker, path_of(answer.location), target)
            with self.figures.lock:
                self.acks.append(ack)
                self.figures.writes[kind] += 1
        elif answer.status == 409:
            with self.figures.lock:
                self.figures.conflicts += 1
        elif answer.status < 500:
            with self.figures.lock:
                self.figures.refused[f"{kind} {answer.status}"] += 1
        return answer

    def login(self) -> None:
        while not self.stop.is_set():
            try:
                self.browser.login(self.username)
                return
            except (Refused, *CONNECTION_ERRORS):
                if not self.tolerate_outages:
                    raise
                time.sleep(0.3)

    # -- what people do ----------------------------------------------------------------
    def run(self) -> None:
        try:
            self.login()
            while not self.stop.is_set():
                if self.staff:
                    self.staff_turn()
                else:
                    self.owner_turn()
        except BaseException as exc:  # noqa: BLE001  (reported by the proof)
            self.error = exc
        finally:
            with self.figures.lock:
                self.figures.requests += self.browser.requests

    def owner_turn(self) -> None:
        roll = self.rng.random()
        if roll < 0.30:
            self.read(self.rng.choice(["/", f"/c/{self.site.community_slug}",
                                       f"/c/{self.site.community_slug}/talk",
                                       f"/c/{self.site.community_slug}/complaints",
                                       "/cases/resolved"]))
        elif roll < 0.75:
            self.reply()
        elif roll < 0.90:
            self.file()
        else:
            self.answer_own_case()

    def staff_turn(self) -> None:
        roll = self.rng.random()
        if roll < 0.15:
            self.read(self.rng.choice(["/staff/", "/", f"/c/{self.site.community_slug}/complaints"]))
        elif roll < 0.85:
            self.step()
        else:
            self.official_answer()

    def _logged_out(self, answer: Answer) -> bool:
        if answer.status == 302 and "/login" in answer.location:
            self.login()  # the server lost nothing; a session cookie from before a restart
            return True
        return False

    def reply(self) -> None:
        thread_id = self.rng.choice(self.site.thread_ids + self.pool.thread_ids())
        page = self.read(f"/t/{thread_id}/reply")
        if page is None or page.status != 200:
            if page is not None:
                self._logged_out(page)
            return
        marker = self.marker()
        self.write("reply", f"/t/{thread_id}/reply",
                   [("csrf_token", self.browser.token(page.body)),
                    ("body", f"同意楼上，我家也一样。{marker} 已经等了三天。")], marker, thread_id)

    def file(self) -> None:
        path = f"/c/{self.site.community_slug}/complaints/new"
        page = self.read(path)
        if page is None or page.status != 200:
            if page is not None:
                self._logged_out(page)
            return
        marker = self.marker()
        answer = self.write("filing", path, [
            ("csrf_token", self.browser.token(page.body)),
            ("title", f"地库漏水 {marker}"),
            ("category_id", str(self.rng.choice(self.site.category_ids))),
            ("body", "地下车库B2层漏水，车上全是水。"),
            ("location", "public"), ("location_text", "地下车库B2层"),
            ("wanted_outcome", "尽快修好"), ("stage", "")], marker)
        if answer is not None and answer.status == 302 and "/t/" in answer.location:
            thread_id = int(re.search(r"/t/(\d+)", answer.location).group(1))
            self.pool.add(thread_id)
            self.mine.append(thread_id)

    def answer_own_case(self) -> None:
        """The filer answers a resolved case: confirm with a rating, or send it back."""
        if not self.mine:
            return self.reply()
        thread_id = self.rng.choice(self.mine)
        page = self.read(f"/t/{thread_id}")
        if page is None or page.status != 200:
            return None
        found = re.search(r"/cases/(\d+)/reject", page.body)
        if found is None:
            return None
        case_id = int(found.group(1))
        token = self.browser.token(page.body)
        marker = self.marker()
        if self.rng.random() < 0.5:
            self.write("confirm", f"/cases/{case_id}/confirm", [
                ("csrf_token", token), ("overall", "4"), ("buy_again", "4"),
                ("recommend", "5"), ("comment", f"修好了，谢谢 {marker}"),
                ("comment_public", "y")], marker, case_id)
        else:
            self.write("reject", f"/cases/{case_id}/reject", [
                ("csrf_token", token), ("reason", f"还在漏水 {marker}")], marker, case_id)
        return None

    def step(self) -> None:
        thread_id = self.pool.pick(self.rng)
        page = self.read(f"/t/{thread_id}")
        if page is None or page.status != 200:
            if page is not None:
                self._logged_out(page)
            return
        steps = dict(STEP_FORM_RE.findall(page.body))
        found = re.search(r"/cases/(\d+)/steps", page.body)
        if not steps or found is None:
            self.pool.retire(thread_id)
            return
        case_id = int(found.group(1))
        weights = {"assign": 2, "plan": 3, "dispatch": 3, "resolve": 3, "decline": 0.2}
        actions = [a for a in steps if a in weights]
        action = self.rng.choices(actions, [weights[a] for a in actions])[0]
        marker = self.marker()
        fields: dict[str, str] = {"version": steps[action], "note": f"处理中 {marker}"}
        if action == "assign":
            block = DEPARTMENT_RE.search(page.body)
            options = OPTION_RE.findall(block.group(1)) if block else []
            fields["department_id"] = self.rng.choice(options or
                                                      [str(self.site.department_ids[0])])
        elif action == "plan":
            fields["committed_date"] = (date.today() + timedelta(days=7)).isoformat()
        elif action == "dispatch":
            fields["work_order_number"] = f"WO-{marker[-12:]}"
            fields["work_order_details"] = "王师傅 13900000000"
        elif action == "resolve":
            fields["resolution_summary"] = f"已重做防水 {marker}"
        elif action == "decline":
            fields["decline_reason"] = "不属于保修范围"
        form = [("csrf_token", self.browser.token(page.body)), ("step", action)]
        form += [(f"{action}-{k}", v) for k, v in fields.items()]
        self.write("step", f"/cases/{case_id}/steps", form, marker, case_id)

    def official_answer(self) -> None:
        thread_id = self.pool.pick(self.rng)
        page = self.read(f"/t/{thread_id}")
        found = re.search(r"/cases/(\d+)/answer", page.body) if page is not None else None
        if page is None or page.status != 200 or found is None:
            return
        case_id = int(found.group(1))
        marker = self.marker()
        self.write("answer", f"/cases/{case_id}/answer",
                   [("csrf_token", self.browser.token(page.body)),
                    ("body", f"您好，工程部已安排上门。{marker}")], marker, thread_id)


class CasePool:
    """The complaint threads staff work on: the seeded ones and every one filed in the run."""

    def __init__(self, site: Site) -> None:
        self._all = list(site.case_ids.values())  # thread ids
        self._open = list(self._all)
        self._lock = threading.Lock()

    def thread_ids(self) -> list[int]:
        with self._lock:
            return list(self._all)

    def pick(self, rng: random.Random) -> int:
        with self._lock:
            # Newest cases more often: they still have steps to take.
            return rng.choice(self._open[-12:] if rng.random() < 0.7 else self._open)

    def retire(self, thread_id: int) -> None:
        with self._lock:
            if thread_id in self._open and len(self._open) > 4:
                self._open.remove(thread_id)

    def add(self, thread_id: int) -> None:
        with self._lock:
            self._all.append(thread_id)
            self._open.append(thread_id)


def run_load(site: Site, base: str, *, clients: int, seconds: float, staff_share: float = 0.25,
             tolerate_outages: bool = False, during: Any = None,
             acks: list[Ack] | None = None) -> tuple[list[Ack], Figures, list[Client]]:
    """Run `clients` people for `seconds`; `during(stop, until)` runs alongside (faults,
    a backup); `acks` is the list clients append acknowledged writes to, as they happen."""
    acks = [] if acks is None else acks
    figures = Figures()
    stop = threading.Event()
    pool = CasePool(site)
    run = secrets.token_hex(3)
    n_staff = max(1, round(clients * staff_share))
    people = []
    for i in range(clients):
        is_staff = i < n_staff
        names = site.staff if is_staff else site.owners
        people.append(Client(site, base, names[i % len(names)], staff=is_staff, run=run,
                             number=i, acks=acks, figures=figures, stop=stop, pool=pool,
                             tolerate_outages=tolerate_outages))
    started = time.monotonic()
    for person in people:
        person.start()
    try:
        if during is not None:
            during(stop, started + seconds)
        while time.monotonic() < started + seconds and not stop.is_set():
            time.sleep(0.2)
    finally:
        stop.set()
        for person in people:
            person.join(timeout=120)
    figures.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return acks, figures, people

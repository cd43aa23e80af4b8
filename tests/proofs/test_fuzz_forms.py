"""Every form of the site fuzzed with hypothesis: no server error, and input that is
refused gets a clear message and changes nothing.

The forms are found, not listed: every POST route of `app.url_map` must appear as a
form on some page a persona can open (every GET route, with seeded arguments), or the
test fails naming it, so a new form is covered the day it is added. Each form is then
posted, with its page's valid CSRF token, as the persona who saw it, with values drawn
from its own fields: valid-ish (its options, dates, numbers, Chinese and English text)
and hostile (any unicode, control characters, NUL bytes, huge strings, wrong types,
markup, missing fields, repeated fields, unknown fields).

Short: a few examples per form. Long (PROOFS_LONG=1): 200 per form.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.auth.roles import Role
from app.extensions import db
from tests.conftest import make_test_app
from tests.factories import PASSWORD

from .conftest import report
from .harness import drop_pg_database, fresh_database, is_long

EXAMPLES = int(os.environ.get("PROOFS_FUZZ_EXAMPLES", 200 if is_long() else 2))
PERSONAS = ("visitor", "member", "owner", "other_owner", "handler", "staff", "moderator",
            "admin")
# Who looks for forms, in this order; a form is fuzzed as the first who is shown it. The
# other personas (member, handler, moderator, admin) see no form these do not.
PREFERRED = ("owner", "staff", "visitor", "other_owner", "moderator", "admin")
# POST routes no page carries as a form: the photo upload is called by the pages' script
# (one file at a time); tests/photos/test_hostile.py sends it the hostile files.
SCRIPT_ONLY = frozenset({"photos.upload"})
# Forms whose success ends the persona's session or changes its password: fuzzed last.
LAST = ("auth.change_password", "auth.logout")


# --- finding the forms -------------------------------------------------------------------

@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, hidden, select, radio, checkbox, date, number, email, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class FormSpec:
    endpoint: str
    persona: str
    page: str
    action: str
    fields: dict[str, FormField]

    @property
    def key(self) -> tuple:
        """One form: its route, its step (the staff step forms) and its fields."""
        step = self.fields.get("step")
        return (self.endpoint, step.value if step else "", tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """The POST forms of a page with their fields (inputs, textareas, selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, FormField]]] = []
        self._current: dict[str, FormField] | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = {}
            self.forms.append((a.get("action", ""), self._current))
        if self._current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = self._current.get(name)
            if kind == "radio" and existing is not None:
                existing.options.append(a.get("value", ""))
                return
            self._current[name] = FormField(name, kind, a.get("value", ""),
                                            [a.get("value", "")] if kind == "radio" else [])
        elif tag == "textarea" and name:
            self._current[name] = FormField(name, "textarea")
        elif tag == "select" and name:
            self._select = FormField(name, "select")
            self._current[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def seed(app: Any) -> dict[str, Any]:
    """Personas and one of everything a form can act on."""
    from app.auth import services as auth_services
    from app.communities.defaults import install_defaults
    from app.communities.models import Board, BoardKind, Category, Community, Department
    from app.complaints import defects
    from app.complaints import services as cs
    from app.forum import services as forum_services
    from app.forum.models import Post
    from app.notifications.models import Notification
    from app.notifications.tokens import unsubscribe_token

    install_defaults()
    community = Community(slug="fuzz-garden", name="模糊花园")
    db.session.add(community)
    db.session.flush()
    boards = {kind: Board(community_id=community.id, slug=kind.value, name=kind.value,
                          kind=kind.value, position=i) for i, kind in enumerate(BoardKind)}
    site_board = Board(community_id=None, slug="site", name="全站",
                       kind=BoardKind.DISCUSSION.value)
    db.session.add_all([*boards.values(), site_board])
    db.session.commit()
    department = db.session.scalars(sa.select(Department).order_by(Department.id)).first()
    users = {}
    for persona, role in (("member", Role.MEMBER), ("owner", Role.OWNER),
                          ("other_owner", Role.OWNER), ("handler", Role.HANDLER),
                          ("staff", Role.STAFF), ("moderator", Role.MODERATOR),
                          ("admin", Role.ADMIN)):
        users[persona] = auth_services.create_account(
            persona.replace("_", ""), f"{persona}@fuzz.test", PASSWORD,
            display_name=f"模糊{persona}", role=role)
    users["handler"].department_id = department.id
    db.session.commit()
    owner, staff = users["owner"], users["staff"]
    talk = forum_services.create_thread(boards[BoardKind.DISCUSSION], owner, title="模糊话题",
                                        body="楼上卫生间漏水了，物业什么时候来看？")
    forum_services.reply(talk, owner, body="第二楼的回复")
    forum_services.create_thread(site_board, owner, title="全站话题", body="全站的第一个帖子。")
    items = list(db.session.scalars(sa.select(Category).where(Category.parent_id.is_not(None))
                                    .order_by(Category.id)))

    def filed(title: str) -> Any:
        return cs.file_complaint(community, owner, cs.Filing(
            title=title, body="电梯经常停运，已经一周了。", category_id=items[0].id,
            wanted_outcome="尽快修好", unit_text="3栋1单元502"))

    def walk(case: Any, *actions: str) -> Any:
        inputs = {"assign": cs.StepInput(department_id=department.id),
                  "plan": cs.StepInput(note="下周上门",
                                       committed_date=date.today() + timedelta(days=5)),
                  "dispatch": cs.StepInput(work_order_number="WO-1"),
                  "resolve": cs.StepInput(resolution_summary="已修好")}
        for action in actions:
            cs.take_step(case, action, staff, inputs[action], seen_version=case.version)
        return case

    cases = {"received": filed("新受理的投诉"),
             "assigned": walk(filed("已分派的投诉"), "assign"),
             "planned": walk(filed("方案已出的投诉"), "assign", "plan"),
             "in_progress": walk(filed("处理中的投诉"), "assign", "plan", "dispatch"),
             "resolved": walk(filed("待确认的投诉"), "assign", "plan", "dispatch", "resolve")}
    closed = walk(filed("已关闭的投诉"), "assign", "plan", "dispatch", "resolve")
    cs.confirm(closed, owner, cs.RatingInput(overall=5, buy_again=5, recommend=5))
    cases["closed"] = closed
    defects.mark_defect(cases["in_progress"], staff, category_id=items[0].id,
                        department_id=department.id, cause="防水层施工不当")
    notification = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == owner.id)).first()
    extra = _seed_staff_side(community, boards, talk, users, department, items)
    return {**extra, **{
        "thread_id": [talk.id, *[c.thread_id for c in cases.values()],
                      *extra["hidden_thread_id"]],
        "post_id": list(db.session.scalars(sa.select(Post.id).where(Post.thread_id == talk.id)
                                           .order_by(Post.number.desc()))),
        "case_id": [c.id for c in cases.values()],
        "community_slug": [community.slug],
        "board_slug": [*(b.slug for b in boards.values()), site_board.slug],
        "username": [*extra["username"], owner.username],
        "token": [unsubscribe_token(owner.id, "case_event"), *extra["token"]],
        "notification_id": [notification.id] if notification else [],
    }}


def _seed_staff_side(community: Any, boards: dict, talk: Any, users: dict, department: Any,
                     items: list) -> dict[str, list]:
    """What the moderation, verification, administration, photo and jobs pages need to
    show their forms: a flag, hidden posts and threads, a suspended member, a waiting
    verification request, a reset link, photos (one hidden), a failed job, a spent e-mail."""
    import io

    from PIL import Image

    from app.auth import services as auth_services
    from app.communities.models import BoardKind
    from app.forum import services as forum_services
    from app.jobs.models import JobFailure
    from app.moderation import services as moderation
    from app.notifications.models import OutboxEmail
    from app.owners import services as owner_services
    from app.photos import services as photo_services
    from app.sitesettings.calendar import seed_calendar
    from app.sitesettings.models import CalendarDay

    owner, moderator = users["owner"], users["moderator"]
    target = auth_services.create_account("target", "target@fuzz.test", PASSWORD,
                                          display_name="模糊对象", role=Role.MEMBER)
    benched = auth_services.create_account("benched", "benched@fuzz.test", PASSWORD,
                                           display_name="模糊禁言", role=Role.MEMBER)
    db.session.commit()
    moderation.suspend(benched, moderator, days=3, reason="刷屏")
    hidden_reply = forum_services.reply(talk, users["other_owner"], body="被隐藏的回复内容")
    db.session.commit()
    moderation.hide_post(hidden_reply, moderator, reason="人身攻击")
    hidden = forum_services.create_thread(boards[BoardKind.DISCUSSION], users["other_owner"],
                                          title="被隐藏的话题", body="广告内容广告内容")
    db.session.commit()
    moderation.hide_thread(hidden, moderator, reason="广告")
    flagged = forum_services.reply(talk, target, body="请加微信代办房产证")
    db.session.commit()
    moderation.flag_post(flagged, users["other_owner"], reason="spam", note="广告")
    request = owner_services.request_verification(
        users["member"], community_id=community.id, building="3", entrance="1", room="502",
        contract_name="模糊业主", phone="13800000000")
    seed_calendar()
    reset = auth_services.make_reset_link_token(target, created_by=users["admin"])
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(image, "JPEG")
    photos = [photo_services.upload(owner, io.BytesIO(image.getvalue())) for _ in range(2)]
    post_with_photos = forum_services.reply(talk, owner, body="附上照片两张",
                                            photo_ids=[p.id for p in photos])
    db.session.commit()
    photo_services.hide(photos[1], moderator, reason="拍到了车牌")
    db.session.add(JobFailure(func="app.jobs.tasks.send_outbox", error="SMTP 超时",
                              traceback="Traceback: timeout", attempts=3))
    db.session.add(OutboxEmail(to_user_id=owner.id, to_address="owner@fuzz.test",
                               kind="case_event", subject="案件进展", body_text="正文",
                               body_html="<p>正文</p>", attempts=99, last_error="拒收"))
    db.session.flush()
    db.session.execute(sa.update(OutboxEmail).values(next_attempt_at=None))  # tries used up
    db.session.commit()
    return {
        "username": [target.username, benched.username],
        "token": [reset],
        "hidden_thread_id": [hidden.id],
        "request_id": [request.id], "community_id": [community.id],
        "board_id": [boards[BoardKind.DISCUSSION].id], "category_id": [items[0].id],
        "department_id": [department.id], "user_id": [target.id],
        "day_id": list(db.session.scalars(sa.select(CalendarDay.id).limit(1))),
        "photo_id": [p.id for p in photos], "key": [photos[0].key],
    }


def _urls(app: Any, values: dict[str, list]) -> list[str]:
    """Every GET page with each seeded argument value (one value each for the others)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or "<path:" in rule.rule:
            continue
        args = list(rule.arguments)
        if any(not values.get(a) for a in args):
            continue
        variants = [{a: values[a][0] for a in args}]
        for a in args:  # each value of each argument, the others at their first value
            variants += [{**variants[0], a: v} for v in values[a][1:]]
        for variant in variants:
            url = rule.rule
            for name, value in variant.items():
                url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
            urls.append(url)
    community = values["community_slug"][0]
    return [*dict.fromkeys(urls), f"/c/{community}/complaints/new?for=owner",
            f"/t/{values['thread_id'][0]}/reply?quote={values['post_id'][0]}"]


def login(client: Any, username: str, password: str) -> None:
    import re
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "login": username,
                                         "password": password})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def discover(app: Any, clients: dict[str, Any], urls: list[str]) -> list[FormSpec]:
    adapter = app.url_map.bind("localhost")
    specs: dict[tuple, FormSpec] = {}
    for persona in PREFERRED:  # each form as the first persona who is shown it
        for url in urls:
            page = clients[persona].get(url)
            if page.status_code != 200 or "text/html" not in page.content_type:
                continue
            parser = FormParser()
            parser.feed(page.get_data(as_text=True))
            for action, fields in parser.forms:
                path = action.split("#")[0] or url
                try:
                    endpoint, _ = adapter.match(path.split("?")[0], method="POST")
                except Exception:  # noqa: BLE001  (a form posting to another site)
                    continue
                spec = FormSpec(endpoint, persona, url, path, fields)
                specs.setdefault(spec.key, spec)
    return sorted(specs.values(), key=lambda s: (s.endpoint in LAST, s.endpoint, s.persona))


# --- values ----------------------------------------------------------------------------

HOSTILE_FIXED = ["", " ", "\x00", "a\x00b", "\u202e\u0645\u0631\u062d\u0628\u0627",
                 "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00",
                 "-1", "0", "99999999999999999999999", "1.5", "NaN", "1e309", "true", "[]",
                 "{}", "null", "2026-02-30", "9999-12-31", "0000-00-00", "\r\n\r\n",
                 "\ufeff", "\U0001f600" * 50, "&#0;", "javascript:alert(1)"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x1f), min_size=1, max_size=20)
HUGE = st.sampled_from([5_000, 40_000, 400_000]).map(lambda n: "长" * n)
CHINESE = st.text(alphabet="业主漏水电梯物业维修楼栋单元已经一周了请尽快处理谢谢abc 123，。",
                  min_size=1, max_size=80)
HOSTILE = st.one_of(st.sampled_from(HOSTILE_FIXED), TEXT, CONTROL, HUGE,
                    st.integers().map(str), st.floats(allow_nan=True).map(str))


def valid_value(f: FormField) -> st.SearchStrategy:
    if f.kind in ("select", "radio") and f.options:
        return st.sampled_from(f.options)
    if f.kind == "checkbox":
        return st.sampled_from([f.value or "y", ""])
    if f.kind == "hidden":
        return st.just(f.value)
    if f.kind == "date":
        return st.dates(date.today() - timedelta(days=30),
                        date.today() + timedelta(days=400)).map(date.isoformat)
    if f.kind == "number":
        return st.integers(-5, 100_000).map(str)
    if f.kind == "email":
        return st.from_regex(r"[a-z]{1,10}@[a-z]{1,8}\.(com|cn)", fullmatch=True)
    if f.kind == "password":
        return st.sampled_from([PASSWORD, "short", "a-much-longer-pass-2026", "新密码很长很长12"])
    if f.name.endswith(("login", "username")):
        return st.sampled_from(["owner", "staff", "nobody", "OWNER "])
    return CHINESE


def field_value(f: FormField) -> st.SearchStrategy:
    """Valid-ish most of the time, hostile often, sometimes missing or repeated."""
    valid = valid_value(f)
    return st.integers(0, 9).flatmap(
        lambda k: valid if k < 5 else HOSTILE if k < 8 else
        st.none() if k == 8 else st.lists(st.one_of(valid, HOSTILE), min_size=2, max_size=3))


def form_values(spec: FormSpec) -> st.SearchStrategy:
    fields = {name: field_value(f) for name, f in spec.fields.items()
              if not name.endswith("csrf_token")}  # the token stays valid (added when posted)
    return st.tuples(st.fixed_dictionaries(fields),
                     st.dictionaries(st.sampled_from(["extra", "id", "role", "is_admin"]),
                                     HOSTILE, max_size=1))


# --- the proof ---------------------------------------------------------------------------

def row_counts(engine: sa.Engine) -> dict[str, int]:
    tables = sa.inspect(engine).get_table_names()
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    with engine.connect() as conn:
        return dict(zip(tables, conn.execute(sa.text(sql)).one(), strict=True))


def has_message(body: str) -> bool:
    """A refused page says why: a field's error, a flashed message, or the error page."""
    return any(mark in body for mark in ('class="error"', 'class="flash flash-',
                                         "error-page"))


def test_every_form_survives_fuzzing(tmp_path) -> None:
    url = fresh_database(tmp_path, "proof_fuzz")
    app = make_test_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True,
                        RATELIMIT_ENABLED=False)  # the limiter would answer 429 after 20 posts
    with app.app_context():
        db.create_all()
        values = seed(app)
        db.session.remove()
    passwords = {p: PASSWORD for p in PERSONAS}
    TOKENS.clear()
    clients = {p: app.test_client() for p in PERSONAS}
    for persona in PERSONAS[1:]:
        login(clients[persona], persona.replace("_", ""), PASSWORD)
    urls = _urls(app, values)
    started = time.monotonic()
    specs = discover(app, clients, urls)
    discovery_seconds = round(time.monotonic() - started, 1)

    post_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    uncovered = post_endpoints - {s.endpoint for s in specs} - SCRIPT_ONLY
    assert uncovered == set(), f"POST routes with no form on any page: {uncovered}; seed " \
                               "what their page needs in seed()"

    engine = sa.create_engine(url)
    figures: Counter = Counter()
    statuses: dict[str, Counter] = {}
    failures: list[str] = []
    seconds: Counter = Counter()

    for spec in specs:
        per_form: Counter = statuses.setdefault(f"{spec.endpoint} as {spec.persona}", Counter())
        client = clients[spec.persona]

        # No shrinking: the first failing example is reported as drawn (shrinking re-runs
        # examples against a database the earlier ones changed, and costs minutes).
        run = settings(max_examples=EXAMPLES, deadline=None, database=None,
                       derandomize=not is_long(), print_blob=True,
                       phases=[Phase.explicit, Phase.generate],
                       suppress_health_check=list(HealthCheck))(
            given(form_values(spec))(_example(spec, client, per_form, engine, figures,
                                              passwords)))
        started = time.monotonic()
        try:
            run()
        except Exception as exc:  # noqa: BLE001  (collected: every form is fuzzed)
            failures.append(f"{spec.endpoint} as {spec.persona} ({spec.action}): "
                            f"{''.join(traceback.format_exception_only(exc))[-1500:]}")
        finally:
            _relogin_if_needed(spec.persona, clients, passwords)
            seconds[spec.endpoint] += time.monotonic() - started
            if os.environ.get("PROOFS_VERBOSE"):
                print(f"{spec.endpoint} as {spec.persona}: {dict(per_form)} "
                      f"{seconds[spec.endpoint]:.1f} s", file=sys.stderr, flush=True)

    engine.dispose()
    drop_pg_database(url)
    report("forms fuzzed", forms=len(specs), post_routes=len(post_endpoints),
           pages_crawled=len(urls) * len(PREFERRED), discovery_seconds=discovery_seconds,
           fuzz_seconds=round(sum(seconds.values()), 1),
           examples_per_form=EXAMPLES, requests=figures["requests"],
           accepted=figures["accepted"], refused_unchanged=figures["refused"],
           server_errors=len(failures),
           by_form={k: dict(v) for k, v in sorted(statuses.items())})
    assert failures == [], "\n\n".join(failures)


def _example(spec: FormSpec, client: Any, per_form: Counter, engine: sa.Engine,
             figures: Counter, passwords: dict) -> Any:
    """One hypothesis example: post the drawn values, check the answer and the rows."""

    def one(drawn: tuple) -> None:
        chosen, extra = drawn
        if spec.persona not in TOKENS:  # one per session, as the page's forms carry it
            TOKENS[spec.persona] = _token(client.get(spec.page).get_data(as_text=True))
        token = TOKENS[spec.persona]
        data = MultiDict([(name, token) for name in spec.fields if name.endswith("csrf_token")]
                         or [("csrf_token", token)])
        for name, value in {**chosen, **extra}.items():
            if value is None:
                continue
            for v in value if isinstance(value, list) else [value]:
                data.add(name, v)
        before = row_counts(engine)
        answer = client.post(spec.action, data=data)
        after = row_counts(engine)
        figures["requests"] += 1
        per_form[answer.status_code] += 1
        assert answer.status_code < 500, answer.status_code
        if 400 <= answer.status_code < 500:
            figures["refused"] += 1
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            assert changed == {}, f"refused ({answer.status_code}) but changed {changed}"
            if "text/html" in answer.content_type and answer.status_code != 413:
                assert has_message(answer.get_data(as_text=True)), \
                    f"refused ({answer.status_code}) without a message"
        else:
            figures["accepted"] += 1
        _keep_logged_in(spec, answer, chosen, client, passwords)

    return one


TOKENS: dict[str, str] = {}


def _token(page: str) -> str:
    import re
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _keep_logged_in(spec: FormSpec, answer: Any, chosen: dict, client: Any,
                    passwords: dict) -> None:
    """After a password change or a logout went through, carry on as the same persona."""
    if answer.status_code != 302:
        return
    if spec.endpoint == "auth.change_password":
        TOKENS.pop(spec.persona, None)  # a new session
        new = chosen.get("new_password")
        passwords[spec.persona] = new[0] if isinstance(new, list) else new
    if spec.endpoint == "auth.logout":
        _login_as(client, spec.persona, passwords)


def _login_as(client: Any, persona: str, passwords: dict) -> None:
    TOKENS.pop(persona, None)
    if persona != "visitor":
        login(client, persona.replace("_", ""), passwords[persona])


def _relogin_if_needed(persona: str, clients: dict, passwords: dict) -> None:
    if persona == "visitor":
        return
    page = clients[persona].get("/settings")
    if page.status_code != 200:
        _login_as(clients[persona], persona, passwords)


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

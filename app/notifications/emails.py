"""The e-mail about one notice, rendered in the recipient's language from templates/email/."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..auth.models import User
from ..complaints.models import Case, CaseEvent
from ..complaints.workflow import STATUS_LABELS
from .models import KIND_LABELS, Kind
from .tokens import unsubscribe_token

log = logging.getLogger(__name__)

_FALLBACK_SITE = "http://localhost:5000/"
_warned: list[bool] = []  # say it once per process, not once per e-mail


@dataclass
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str
    unsubscribe_url: str


def absolute_url(endpoint: str, **values: object) -> str:
    """A full address for a link in an e-mail: SITE_URL when set, else the request's host.

    Built without a request, because escalations are noticed by cron.
    """
    base = current_app.config.get("SITE_URL")
    if not base:
        if has_request_context():
            base = request.host_url
        else:
            if not _warned:
                log.warning("SITE_URL is not set: e-mail links point to %s", _FALLBACK_SITE)
                _warned.append(True)
            base = _FALLBACK_SITE
    anchor = values.pop("_anchor", None)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def _plain(html: object) -> str:
    """Text of a piece of HTML (a macro's output, a sanitised note), entities decoded."""
    return Markup(str(html)).striptags() if html else ""


def _subject(kind: Kind, case: Case, what: str) -> str:
    title = case.thread.title
    if kind == Kind.ASSIGNED:
        line = _("Assigned to your department: %(number)s %(title)s", number=case.number,
                 title=title)
    elif kind == Kind.ESCALATED:
        line = _("Escalated: %(number)s %(title)s", number=case.number, title=title)
    else:
        line = _("%(number)s %(title)s: %(what)s", number=case.number, title=title, what=what)
    return line if len(line) <= 200 else line[:199] + "…"


def render_case_notice(user: User, kind: Kind, case: Case, event: CaseEvent) -> RenderedEmail:
    """The e-mail telling `user` about one public case event, in their language.

    It says only what the public timeline says, in the same words (the same
    macros): an anonymous filer appears as "the owner", never by name.
    """
    env = current_app.jinja_env
    language = user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        macros = env.get_template("_macros/cases.html").module
        what = _plain(macros.event_text(event))
        unsubscribe_url = absolute_url("notifications.unsubscribe",
                                       token=unsubscribe_token(user.id, kind))
        context = {
            "user": user, "kind": kind.value, "case": case, "title": case.thread.title,
            "what": what, "who": _plain(macros.actor(event)),
            "status": STATUS_LABELS.get(case.status, case.status),
            "note_html": event.note, "note_text": _plain(event.note_html),
            "case_url": absolute_url("forum.thread", thread_id=case.thread_id, _anchor="case"),
            "settings_url": absolute_url("notifications.settings"),
            "unsubscribe_url": unsubscribe_url, "kind_label": KIND_LABELS[kind],
            "community": case.community.name, "lang": "zh-Hans" if language == "zh" else language,
        }
        return RenderedEmail(
            subject=_subject(kind, case, what),
            body_text=env.get_template("email/case_notice.txt").render(context),
            body_html=env.get_template("email/case_notice.html").render(context),
            unsubscribe_url=unsubscribe_url)

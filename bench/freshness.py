"""The page cache end to end (issue 7): a visitor's cached page changes at once after a reply.

Runs against the real gunicorn server (several workers, Redis when given): a visitor loads a
thread page twice (the second from the cache), a member replies through the real form, and
the visitor's next load of that page must be rendered afresh and show the new reply count,
and the reply's own page must show the reply.
"""
from __future__ import annotations

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

from scenarios import USER_AGENT, Session


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def _get(url: str) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.headers.get("X-Page-Cache", ""), answer.read().decode("utf-8", "replace")


def check(base: str, thread_id: int, member: Session) -> dict:
    """Load, reply, load again; return what was seen (`ok` False if anything was stale)."""
    page = f"{base}/t/{thread_id}"
    _get(page)
    second, before = _get(page)
    text = f"bench freshness {secrets.token_hex(4)}"
    data = urllib.parse.urlencode({"csrf_token": member.csrf, "body": text}).encode()
    request = urllib.request.Request(f"{base}/t/{thread_id}/reply", data=data, headers={
        "User-Agent": USER_AGENT, "Cookie": member.cookie})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=30)
        location = ""
    except urllib.error.HTTPError as answer:
        location = answer.headers.get("Location", "") if answer.code in (302, 303) else ""
    after_state, after = _get(page)
    count = re.compile(r'<p class="meta">.*?</p>', re.S)
    replied_state, replied = _get(urllib.parse.urljoin(page, location.split("#")[0])) \
        if location else ("", "")
    result = {
        "second_load": second, "after_reply": after_state,
        "page_changed": count.search(before).group(0) != count.search(after).group(0)
        if count.search(before) and count.search(after) else before != after,
        "reply_shown": text in replied, "reply_page_state": replied_state,
    }
    result["ok"] = (second == "hit" and after_state == "miss" and result["page_changed"]
                    and result["reply_shown"])
    return result

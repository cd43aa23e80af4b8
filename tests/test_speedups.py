"""Render-cost shortcuts (issue 7) give exactly what the general code gives."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import render_template_string, url_for
from flask_babel import force_locale, format_datetime
from werkzeug.routing import IntegerConverter

from app.core.speedups import FastUrls


def _samples(rule) -> list[dict]:
    values = {"int": [1, 0, 12345], "str": ["siji-garden", "a_b.c~d", "漏水", "a b/c", "x%2F"]}
    out = []
    for pick in range(5):
        given = {}
        for name, converter in rule._converters.items():
            kind = "int" if isinstance(converter, IntegerConverter) else "str"
            options = values[kind]
            given[name] = options[pick % len(options)]
        out.append(given)
    return out


def test_fast_urls_equal_flask_url_for_for_every_rule(app) -> None:
    fast = FastUrls(app)
    checked = 0
    for script_root in ("", "/forum"):
        with app.test_request_context("/", base_url=f"http://localhost{script_root}"):
            for rule in app.url_map.iter_rules():
                for values in _samples(rule):
                    for extra in ({}, {"page": 2}, {"next": None}, {"_anchor": "p3"}):
                        args = {**values, **extra}
                        assert fast(rule.endpoint, **args) == url_for(rule.endpoint, **args), \
                            (rule.rule, args, script_root)
                        checked += 1
    assert checked > 100


def test_formatting_filters_follow_the_locale(app) -> None:
    moment = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    with app.test_request_context("/"):
        zh = render_template_string("{{ m|datetime('short') }} {{ n|number }}", m=moment, n=12345)
        with force_locale("en"):
            en = render_template_string("{{ m|datetime('short') }} {{ n|number }} {{ _('Reply') }}",
                                        m=moment, n=12345)
            assert en.startswith(format_datetime(moment, "short"))
        assert render_template_string("{{ _('Reply') }}") == "回复"
    assert zh != en and "12,345" in en and "Reply" in en


def test_ago_says_how_long_ago_or_the_date(app) -> None:
    with app.test_request_context("/"):
        recent = render_template_string("{{ m|ago }}", m=datetime.now(UTC) - timedelta(hours=3))
        old = render_template_string("{{ m|ago }}", m=datetime(2025, 1, 2, tzinfo=UTC))
    assert "3" in recent and "小时" in recent
    assert "2025" in old


def test_the_templates_board_url_equals_the_views(app) -> None:
    from app.forum.views import board_url
    from tests.factories import make_board, make_community

    community = make_community()
    boards = [make_board(community), make_board(None)]
    with app.test_request_context("/"):
        fast = app.jinja_env.globals["board_url"]
        for board in boards:
            assert fast(board) == board_url(board)
            assert fast(board, page=3) == board_url(board, page=3)

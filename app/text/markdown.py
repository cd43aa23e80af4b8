"""Markdown to HTML with raw HTML off; the output still goes through the sanitiser."""
from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .sanitize import LINK_REL

# js-default: CommonMark with HTML off (the default preset passes raw HTML through).
_md = MarkdownIt("js-default", {"linkify": True, "typographer": False})
_md.enable(["linkify", "table", "strikethrough"])
# No images from Markdown: a remote image would tell its host who read the post.
_md.disable("image")


def _link_open(self: Any, tokens: list, idx: int, options: dict, env: dict) -> str:
    tokens[idx].attrSet("rel", LINK_REL)
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("link_open", _link_open)

# CJK punctuation and ideographs never belong to a bare URL typed in Chinese text:
# "见 https://x.cn/notice，谢谢" links https://x.cn/notice and leaves "，谢谢" as text.
_CJK = re.compile(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]")


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _relink(link_open: Token, text: Token, link_close: Token, md: MarkdownIt) -> list[Token]:
    """The tokens for one auto-link, re-cut so CJK text before or after it stays text."""
    content = text.content
    if not _CJK.search(content):
        return [link_open, text, link_close]
    body_start = next((i for i, ch in enumerate(content) if not _CJK.match(ch)), len(content))
    found = _CJK.search(content, body_start)
    body_end = found.start() if found else len(content)
    body = content[body_start:body_end]
    matches = md.linkify.match(body) if body else None
    if not matches or matches[0].index != 0 or matches[0].last_index != len(body):
        return [_text(content)]  # no clean link inside: keep it all as text
    href = md.normalizeLink(matches[0].url)
    if not md.validateLink(href):
        return [_text(content)]
    link_open.attrSet("href", href)
    text.content = body
    out = [_text(content[:body_start])] if body_start else []
    out += [link_open, text, link_close]
    if body_end < len(content):
        out.append(_text(content[body_end:]))
    return out


def _cut_links_at_cjk(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, out = block.children, []
        i = 0
        while i < len(children):
            token = children[i]
            if (token.type == "link_open" and token.markup == "linkify"
                    and i + 2 < len(children) and children[i + 1].type == "text"):
                out.extend(_relink(token, children[i + 1], children[i + 2], state.md))
                i += 3
                continue
            out.append(token)
            i += 1
        block.children = out


_md.core.ruler.after("linkify", "cjk_link_end", _cut_links_at_cjk)


def to_html(source: str) -> str:
    """Render Markdown source to (not yet sanitised) HTML."""
    return _md.render(source)

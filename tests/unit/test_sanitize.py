"""User text comes out inert: Markdown with raw HTML off, then the allow-list."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.text import render
from app.text.sanitize import ALLOWED_TAGS, clean


class _Elements(HTMLParser):
    """Collects the real elements and attributes of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "hello <script>alert(1)</script> world",
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)></svg>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<form action=https://evil.example><input name=p></form>",
])
def test_raw_html_in_markdown_is_shown_as_text_not_markup(source: str) -> None:
    found = elements(render(source))

    # A URL inside the text may become a plain link; nothing else becomes markup.
    assert set(found.tags) <= {"p", "a"}
    assert all(name == "rel" or (name == "href" and value.startswith("https://"))
               for name, value in found.attrs)


@pytest.mark.parametrize("source", [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
])
def test_dangerous_link_schemes_never_become_links(source: str) -> None:
    html = render(source)

    assert "href" not in html


@pytest.mark.parametrize(("source", "href", "after"), [
    ("邮箱 wang@example.com，谢谢", "mailto:wang@example.com", "，谢谢"),
    ("见www.example.com/a。", "http://www.example.com/a", "。"),
    ("链接https://example.com/路径", "https://example.com/", "路径"),
])
def test_bare_links_end_where_chinese_text_begins(source: str, href: str, after: str) -> None:
    html = render(source)

    assert f'href="{href}"' in html
    assert f"</a>{after}" in html


def test_links_get_nofollow_ugc_noopener() -> None:
    html = render("[物业官网](https://example.com/a)")

    assert html.strip() == ('<p><a href="https://example.com/a" rel="nofollow ugc noopener">'
                            "物业官网</a></p>")


def test_bare_urls_are_linked_and_stop_before_a_chinese_comma() -> None:
    html = render("看这里 https://example.com/notice，谢谢")

    assert 'href="https://example.com/notice"' in html
    assert "</a>，谢谢" in html


def test_markdown_images_are_not_rendered_so_no_remote_image_loads() -> None:
    html = render("![漏水照片](https://tracker.example/pixel.png)")

    assert "<img" not in html


def test_ordinary_markdown_survives() -> None:
    html = render("**漏水**很严重\n\n> 楼上说的对\n\n- 卫生间\n- 厨房\n\n`code`")

    assert "<strong>漏水</strong>" in html
    assert "<blockquote>" in html
    assert "<li>卫生间</li>" in html
    assert "<code>code</code>" in html


@pytest.mark.parametrize("html", [
    '<a href="https://x.example" onmouseover="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<p style="color:red">x</p>',
    "<math><mi>x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    '<a href="https://x.example" rel="opener">x</a>',
])
def test_the_sanitiser_alone_removes_what_markdown_could_never_produce(html: str) -> None:
    found = elements(clean(html))

    assert set(found.tags) <= ALLOWED_TAGS
    assert all(name in {"href", "title"} for name, _ in found.attrs)
    assert all(not (value or "").lower().startswith("javascript") for _, value in found.attrs)

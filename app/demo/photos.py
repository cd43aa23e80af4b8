"""Demo photos: simple drawings of a crack, a water stain, a broken lift button and a repair,
made with Pillow and sent through the real photo service (so they are re-encoded and stored
exactly as owners' photos are). A dozen small pictures keep the demo load fast."""
from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import or_, select

from ..auth.models import User
from ..complaints.models import Case
from ..core import clock
from ..extensions import db
from ..forum.models import Post, Thread
from ..photos import services as photo_services

SIZE = (960, 720)
Drawing = Callable[[random.Random], Image.Image]


def _wall(rng: random.Random, base: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", SIZE, base)
    draw = ImageDraw.Draw(image)
    for _ in range(400):  # a little plaster texture
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        shade = rng.randint(-14, 14)
        draw.point((x, y), fill=tuple(max(0, min(255, c + shade)) for c in base))
    return image


def crack(rng: random.Random) -> Image.Image:
    image = _wall(rng, (214, 210, 200))
    draw = ImageDraw.Draw(image)
    x, y = rng.randint(250, 700), 0
    points = [(x, y)]
    while y < SIZE[1]:
        x += rng.randint(-40, 40)
        y += rng.randint(25, 60)
        points.append((x, y))
    draw.line(points, fill=(70, 64, 58), width=5, joint="curve")
    for px, py in points[2::3]:  # small branches
        draw.line([(px, py), (px + rng.randint(-70, 70), py + rng.randint(10, 50))],
                  fill=(95, 88, 80), width=2)
    draw.rectangle((0, SIZE[1] - 90, SIZE[0], SIZE[1]), fill=(150, 140, 128))  # skirting
    return image


def stain(rng: random.Random) -> Image.Image:
    image = _wall(rng, (238, 236, 228))
    draw = ImageDraw.Draw(image)
    cx, cy = rng.randint(350, 600), rng.randint(250, 450)
    for ring in range(7, 0, -1):
        rx, ry = ring * rng.randint(38, 46), ring * rng.randint(26, 34)
        tone = 180 - ring * 8
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry),
                     fill=(tone + 40, tone + 20, tone - 30), outline=(tone, tone - 20, tone - 60))
    for _ in range(12):  # mould dots
        x, y = cx + rng.randint(-260, 260), cy + rng.randint(-180, 180)
        draw.ellipse((x, y, x + 9, y + 9), fill=(60, 70, 52))
    draw.line((0, 60, SIZE[0], 60), fill=(200, 198, 190), width=6)  # a ceiling line
    return image


def lift_panel(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", SIZE, (150, 156, 162))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((300, 80, 660, 660), radius=24, fill=(186, 192, 198),
                           outline=(100, 104, 110), width=6)
    broken = rng.randrange(8)
    for i in range(8):
        x, y = 380 + (i % 2) * 140, 140 + (i // 2) * 125
        draw.ellipse((x, y, x + 80, y + 80), fill=(225, 228, 232), outline=(90, 94, 100),
                     width=5)
        if i == broken:
            draw.line((x + 10, y + 15, x + 70, y + 62), fill=(40, 40, 40), width=5)
            draw.line((x + 60, y + 8, x + 28, y + 74), fill=(40, 40, 40), width=4)
    return image


def repaired(rng: random.Random) -> Image.Image:
    image = _wall(rng, (236, 233, 224))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE[1] - 90, SIZE[0], SIZE[1]), fill=(150, 140, 128))
    draw.rectangle((330, 200, 640, 470), outline=(120, 170, 120), width=6)  # the patched area
    draw.line((420, 340, 470, 400, 580, 270), fill=(40, 140, 70), width=14)  # a tick: done
    return image


def _pick(title: str) -> Drawing:
    if "电梯" in title or "按钮" in title:
        return lift_panel
    if any(word in title for word in ("漏", "渗", "霉", "水", "吊顶")):
        return stain
    return crack


def _attach(post: Post, user: User, pictures: list[Image.Image]) -> None:
    ids = []
    for picture in pictures:
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=88)
        out.seek(0)
        ids.append(photo_services.upload(user, out).id)
    post = db.session.get(Post, post.id)
    photo_services.attach(post, db.session.get(User, user.id), ids)
    db.session.commit()


def _may_post() -> Any:
    """Authors who may upload now: neither banned nor serving a suspension (the demo suspends
    one member, and which posts its seeded choices reach depends on the day it is loaded)."""
    return User.banned_at.is_(None) & or_(User.suspended_until.is_(None),
                                          User.suspended_until <= clock.now())


def add_demo_photos(rng: random.Random, cases: int = 6) -> int:
    """Attach drawings to the opening posts of a few complaints (the showcase owner's first),
    a repair photo to some of their official replies and a crack to two discussions; returns
    how many photos were added."""
    rows = db.session.execute(
        select(Case.id, Thread.title, Post, User)
        .join(Thread, Case.thread_id == Thread.id)
        .join(Post, (Post.thread_id == Thread.id) & (Post.number == 1))
        .join(User, Post.author_id == User.id)
        .where(_may_post())
        .order_by((User.username != "wang_3dong"), Case.id)
        .limit(cases)).all()
    added = 0
    for case_id, title, post, author in rows:
        drawing = _pick(title)
        count = rng.randint(1, 3)
        _attach(post, author, [drawing(rng) for _ in range(count)])
        added += count
        official = db.session.scalar(select(Post).where(
            Post.thread_id == post.thread_id, Post.is_official.is_(True))
            .order_by(Post.number.desc()).limit(1))
        if official is not None and rng.random() < 0.6:
            _attach(official, db.session.get(User, official.author_id), [repaired(rng)])
            added += 1
    talk = db.session.execute(
        select(Post, User).join(Thread, Post.thread_id == Thread.id)
        .join(User, Post.author_id == User.id)
        .where(Post.number == 1, ~Thread.case.has(), _may_post(),
               or_(Thread.title.contains("墙"), Thread.title.contains("漏")))
        .order_by(Thread.id).limit(2)).all()
    for post, author in talk:
        _attach(post, author, [_pick(post.thread.title)(rng)])
        added += 1
    return added

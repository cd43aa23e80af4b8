"""Who works the demo complaints and who joins them: departments, supervisors, private
contact details, and quiet owners who never post but say "me too".

Uses its own random generator, so the forum threads written before stay the same.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Role
from ..communities.models import Department
from ..extensions import db
from .content import COMMUNITIES, PersonSpec
from .writer import Person

# The supervisors who receive escalations: the customer-relations manager and the
# engineering lead (the department with the longest-running cases).
SUPERVISORS = ("crc_zhao", "eng_li")

# Real names of some owners: private, seen by the owner and by staff only.
REAL_NAMES: dict[str, str] = {
    "wang_3dong": "王建国", "lin_nvshi": "林晓红", "laochen88": "陈国平",
    "zhou_1802": "周宏伟", "huang_ayi": "黄秀英", "liu_xs": "刘志明",
    "deng_7dong": "邓永康", "feng_tai": "冯丽娟", "laozhang": "张德福",
    "cai_laoshi": "蔡文静", "jiajia_ma": "梁嘉欣", "xie_xs": "谢振华",
    "laoyang": "杨海涛", "xu_gong": "许立群", "dashu": "孙大树", "xiaolu": "陆晓峰",
}

# How many quiet owners each community gets (more where group complaints happen).
QUIET_OWNERS = (14, 6, 8, 12, 6, 12)

_SURNAMES = (("陈", "chen"), ("林", "lin"), ("黄", "huang"), ("张", "zhang"), ("李", "li"),
             ("吴", "wu"), ("刘", "liu"), ("蔡", "cai"), ("杨", "yang"), ("郑", "zheng"),
             ("谢", "xie"), ("邓", "deng"), ("曾", "zeng"), ("彭", "peng"), ("苏", "su"),
             ("卢", "lu"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"), ("叶", "ye"),
             ("潘", "pan"), ("朱", "zhu"), ("郭", "guo"), ("钟", "zhong"), ("唐", "tang"))
_NICKNAMES = ("阳台种菜的", "早起遛狗", "豆豆爸", "星星妈妈", "跑者阿文", "咖啡不加糖",
              "两只猫的家", "周末木工", "Lily妈妈", "Eric", "Vivian", "阿珍", "果果外婆",
              "晨跑的老李", "一楼小院", "Momo", "宅家设计师", "安安爸爸", "湖边散步", "阿Ken")


def phone_number(rng: random.Random) -> str:
    """A made-up mobile number in the 139-0000 block, so it is plainly demo data."""
    return f"1390000{rng.randint(0, 9999):04d}"


def staff_the_departments(people: dict[str, Person]) -> None:
    """Put each handler in their department and mark the supervisors."""
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    for person in people.values():
        if person.spec.role == Role.HANDLER and person.spec.dept:
            person.user.department_id = departments[person.spec.dept].id
        person.user.is_supervisor = person.spec.username in SUPERVISORS


def add_private_details(rng: random.Random, people: dict[str, Person]) -> None:
    """Give some owners a real name and a phone number (private to them and to staff)."""
    for username, real_name in REAL_NAMES.items():
        user = people[username].user
        user.real_name = real_name
        user.phone = phone_number(rng)


def _quiet_name(rng: random.Random, building: int, used: set[str]) -> tuple[str, str]:
    """A display name and username for an owner who only ever says "me too"."""
    for _ in range(50):
        surname, pinyin = rng.choice(_SURNAMES)
        style = rng.random()
        if style < 0.45:
            name = f"{building}栋{surname}{rng.choice(('先生', '女士'))}"
        elif style < 0.75:
            name = f"{rng.choice(('老', '小'))}{surname}" if rng.random() < 0.5 else \
                f"{surname}{rng.choice(('姐', '叔', '阿姨', '哥'))}"
        else:
            name = rng.choice(_NICKNAMES)
        if name not in used:
            break
    used.add(name)
    username = f"{pinyin}_{building:02d}{len(used):02d}"
    return name, username


def add_quiet_owners(rng: random.Random, people: dict[str, Person], password_hash: str,
                     earliest: datetime, now: datetime) -> list[Person]:
    """Owners of each community who have accounts but never post: they join complaints."""
    used = {person.user.display_name for person in people.values()}
    added: list[Person] = []
    for home, count in enumerate(QUIET_OWNERS):
        community = COMMUNITIES[home]
        for _ in range(count):
            building = rng.randint(1, community.buildings)
            name, username = _quiet_name(rng, building, used)
            role = Role.OWNER if rng.random() < 0.8 else Role.MEMBER
            spec = PersonSpec(username, name, role, home, building)
            joined = earliest + timedelta(seconds=rng.uniform(
                -40 * 86400, (now - earliest).total_seconds() - 60 * 86400))
            user = User(username=username, display_name=name,
                        email=f"{username}@example.com", password_hash=password_hash,
                        role=role.value, created_at=joined)
            if rng.random() < 0.3:
                user.phone = phone_number(rng)
            person = Person(user=user, spec=spec, building=building, unit=rng.randint(1, 3),
                            floor=rng.randint(2, community.floors), door=rng.randint(1, 4))
            people[username] = person
            added.append(person)
    db.session.add_all(person.user for person in added)
    db.session.flush()
    return added

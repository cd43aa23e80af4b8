"""The password rule: long enough, not common, not the account's own name. Pure."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 128
# The most common passwords of Chinese and English leaks; a match is refused.
COMMON = frozenset("""
123456 12345678 123456789 1234567890 111111 11111111 000000 00000000 88888888
666666 66666666 888888 123123 123321 654321 5201314 1314520 woaini1314 qwerty
qwerty123 password password1 passw0rd abc123 abcd1234 a123456 a12345678
iloveyou admin admin123 letmein welcome 1qaz2wsx qwertyuiop asdfghjkl zxcvbnm
112233 147258369 987654321 aa123456 qq123456 wang123456 zhang123456
""".split())


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in COMMON or len(set(password)) < 4:
        return str(_l("This password is too easy to guess."))
    for own in (username.lower(), email.lower().split("@")[0]):
        if own and len(own) >= 3 and own in lowered:
            return str(_l("The password must not contain your username or email."))
    return None

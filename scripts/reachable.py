"""Exit 0 when the named service answers.

    reachable.py postgres URL
    reachable.py redis URL
"""
from __future__ import annotations

import sys


def main(kind: str, url: str) -> int:
    """Try one quick connection; any failure means unreachable."""
    try:
        if kind == "postgres":
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                                 connect_timeout=3):
                return 0
        if kind == "redis":
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
            return 0
    except Exception:  # noqa: BLE001  (unreachable for any reason)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

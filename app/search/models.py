"""The search index: one row per searchable text, with its segmented terms.

The engine-specific part lives beside it: an FTS5 table `search_fts` on SQLite,
a GIN expression index over `to_tsvector('simple', ...)` on PostgreSQL (Debian
ships no Chinese parser; the terms are already segmented, so 'simple' is right).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime
from ..extensions import db

KIND_POST = "post"
KIND_NOTE = "note"  # a case's internal note: found by staff only

TSVECTOR = ("setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')")


class SearchDoc(db.Model):
    """A post (or an internal note) as the search engine sees it."""

    __tablename__ = "search_docs"
    __table_args__ = (
        UniqueConstraint("kind", "source_id"),
        Index("ix_search_docs_thread_id", "thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    source_id: Mapped[int]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    # False for a deleted or hidden post: left out for everyone but staff.
    public: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    terms: Mapped[str] = mapped_column(Text, default="", server_default="")


SQLITE_FTS = DDL("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                 "title_terms, terms, tokenize = 'unicode61 remove_diacritics 0')")
SQLITE_FTS_DROP = DDL("DROP TABLE IF EXISTS search_fts")
PG_INDEX = DDL(f"CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs "
               f"USING gin (({TSVECTOR}))")

event.listen(SearchDoc.__table__, "after_create", SQLITE_FTS.execute_if(dialect="sqlite"))
event.listen(SearchDoc.__table__, "before_drop", SQLITE_FTS_DROP.execute_if(dialect="sqlite"))
event.listen(SearchDoc.__table__, "after_create", PG_INDEX.execute_if(dialect="postgresql"))


def engine_owned(name: str) -> bool:
    """Objects the engine adds beside the models (FTS5's tables, the GIN index)."""
    return name.startswith("search_fts") or name == "ix_search_docs_tsv"

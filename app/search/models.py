"""The search index: one row per searchable text, with its segmented terms.

The engine-specific part lives beside it: an FTS5 table `search_fts` on SQLite; on
PostgreSQL a stored column `search_tsv`, generated from the terms as
`to_tsvector('simple', ...)` (Debian ships no Chinese parser; the terms are already
segmented, so 'simple' is right), with a GIN index. PostgreSQL computes the column in
the statement that writes the row (the app's inserts and updates, COPY too), so it is
always in step with the terms, and a query reads it instead of parsing every match.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime
from ..extensions import db

KIND_POST = "post"
KIND_NOTE = "note"  # a case's internal note: found by staff only
# The first term of a complaint's opening post: "similar cases" asks for it together with
# the typed words, so both engines look among complaints only (about 1 % of the posts)
# instead of ranking every post that shares a common word. Full-width letters: the
# query side folds them to ASCII (terms.normalize), so no typed query can match it.
CASE_MARK = "ｃａｓｅ"

TSVECTOR = ("setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')")


class SearchDoc(db.Model):
    """A post (or an internal note) as the search engine sees it."""

    __tablename__ = "search_docs"
    __table_args__ = (
        UniqueConstraint("kind", "source_id"),
        Index("ix_search_docs_thread_id", "thread_id"),
        # The date filters (since / until); newest first is the primary key's order.
        Index("ix_search_docs_created", "created_at", "id"),
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
TSV_COLUMN = "search_tsv"
PG_COLUMN = DDL(f"ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS {TSV_COLUMN} tsvector "
                f"GENERATED ALWAYS AS ({TSVECTOR}) STORED")
PG_INDEX = DDL(f"CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs "
               f"USING gin ({TSV_COLUMN})")

event.listen(SearchDoc.__table__, "after_create", SQLITE_FTS.execute_if(dialect="sqlite"))
event.listen(SearchDoc.__table__, "before_drop", SQLITE_FTS_DROP.execute_if(dialect="sqlite"))
event.listen(SearchDoc.__table__, "after_create", PG_COLUMN.execute_if(dialect="postgresql"))
event.listen(SearchDoc.__table__, "after_create", PG_INDEX.execute_if(dialect="postgresql"))


def engine_owned(name: str) -> bool:
    """Objects the engine adds beside the models (FTS5's tables, the tsvector column and
    its GIN index)."""
    return name.startswith("search_fts") or name in ("ix_search_docs_tsv", TSV_COLUMN)

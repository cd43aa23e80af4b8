"""Bulk row writers: SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL.

Rows arrive as tuples in the order of the given columns, with naive UTC datetimes
(what the app's UTCDateTime stores). Ids are given explicitly, so PostgreSQL's
sequences are moved past them at the end.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
import sqlalchemy as sa

from common import is_sqlite

# Columns that hold JSON: COPY takes them as text, Core serialises them itself.
JSON_COLUMNS = {("case_events", "data")}
# Tables with a million rows: their secondary indexes are built after the load.
DEFERRED_INDEX_TABLES = ("posts", "threads", "search_docs", "case_events", "case_joins",
                         "watches")
# Tables whose ids the generator assigns, in the order foreign keys need them.
TABLES_WITH_IDS = ("users", "communities", "boards", "threads", "posts", "post_revisions",
                   "cases", "case_events", "case_joins", "case_ratings", "search_docs",
                   "watches", "case_defects")


class Bulk:
    """One loading connection; `insert` appends rows, `commit` ends a chunk."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self.engine = sa.create_engine(url)
        self.meta = sa.MetaData()
        self.meta.reflect(self.engine)
        if self.sqlite:
            self.conn = self.engine.connect()
            # A throwaway load: no fsync per chunk, no foreign-key checks per row (the
            # generator writes parents first anyway); WAL stays, as the app expects it.
            for pragma in ("journal_mode=WAL", "synchronous=OFF", "foreign_keys=OFF",
                           "cache_size=-200000", "temp_store=MEMORY"):
                self.conn.exec_driver_sql(f"PRAGMA {pragma}")
            self.conn.commit()
        else:
            self.raw = self.engine.raw_connection()
            self.pg = self.raw.driver_connection
            with self.pg.cursor() as cur:
                try:
                    # Skips foreign-key triggers during the load (superuser only); the
                    # rows are written parents first, so nothing dangles either way.
                    cur.execute("SET session_replication_role = replica")
                except psycopg.Error:  # not a superuser: keep the checks
                    self.pg.rollback()
            self.deferred = self._drop_secondary_indexes()

    def _drop_secondary_indexes(self) -> list[str]:
        """Drop the big tables' plain indexes for the load; return how to build them again.

        Building an index once over sorted data is much cheaper than maintaining it row
        by row (the search GIN index above all). Indexes that back a constraint stay.
        """
        with self.pg.cursor() as cur:
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename = ANY(%s) AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint)", (list(DEFERRED_INDEX_TABLES),))
            found = cur.fetchall()
            for name, _ in found:
                cur.execute(f'DROP INDEX "{name}"')
        self.pg.commit()
        return [definition for _, definition in found]

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Write rows into `table`; nothing is visible to others before `commit`."""
        if not rows:
            return
        if self.sqlite:
            self.conn.execute(self.meta.tables[table].insert(),
                              [dict(zip(columns, row, strict=True)) for row in rows])
            return
        json_at = [i for i, name in enumerate(columns) if (table, name) in JSON_COLUMNS]
        with self.pg.cursor() as cur, \
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
                    copy.write_row(values)
                else:
                    copy.write_row(row)

    def has(self, table: str) -> bool:
        """Whether the schema has this table (some arrived after the generator)."""
        return table in self.meta.tables

    def insert_fts(self, rows: list[tuple[int, str, str]]) -> None:
        """SQLite's FTS5 twin of search_docs (PostgreSQL indexes the table itself)."""
        if self.sqlite and rows and self.has("search_fts"):
            self.conn.exec_driver_sql(
                "INSERT INTO search_fts(rowid, title_terms, terms) VALUES (?, ?, ?)", rows)

    def update(self, table: str, key: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """UPDATE `table` SET columns WHERE key = the row's last value, for many rows."""
        if not rows:
            return
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        statement = sa.text(f"UPDATE {table} SET {sets} WHERE {key} = :_key")
        params = [dict(zip((*columns, "_key"), row, strict=True)) for row in rows]
        if self.sqlite:
            self.conn.execute(statement.bindparams(*self._typed(table, columns)), params)
            return
        with self.pg.cursor() as cur:
            sql = f"UPDATE {table} SET " + ", ".join(f"{c} = %s" for c in columns) + \
                f" WHERE {key} = %s"
            cur.executemany(sql, rows)

    def _typed(self, table: str, columns: Sequence[str]) -> list[sa.BindParameter]:
        """Bind parameters typed like the columns: datetimes stored as the app stores them."""
        cols = self.meta.tables[table].c
        return [sa.bindparam(c, type_=cols[c].type) for c in columns]

    def commit(self) -> None:
        """End the current chunk."""
        if self.sqlite:
            self.conn.commit()
        else:
            self.pg.commit()

    def scalar(self, sql: str) -> Any:
        """One value from a query."""
        if self.sqlite:
            return self.conn.exec_driver_sql(sql).scalar()
        with self.pg.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
            return row[0] if row else None

    def finish(self) -> None:
        """Move sequences past the given ids and gather planner statistics."""
        if self.sqlite:
            self.conn.exec_driver_sql("ANALYZE")
            self.conn.commit()
            self.conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
        else:
            with self.pg.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")
                cur.execute("SET maintenance_work_mem = '512MB'")
                for definition in self.deferred:
                    cur.execute(definition)
                for table in filter(self.has, TABLES_WITH_IDS):
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
            self.pg.commit()
            # VACUUM sets the visibility map, so the board listing's covering index is read
            # as an index-only scan from the start (autovacuum would get there later).
            self.pg.autocommit = True
            with self.pg.cursor() as cur:
                cur.execute("VACUUM (ANALYZE)")
            self.raw.close()
        self.engine.dispose()

"""search: a stored tsvector on PostgreSQL, an index for the date filters

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-23

On PostgreSQL the GIN index was an expression index over
to_tsvector('simple', ...): a query found the rows through it but then parsed
every matched row's terms again to check and rank them. The column
`search_tsv` is generated from the same expression and stored (PostgreSQL
computes it in every INSERT, UPDATE and COPY that writes the terms, in the same
statement), and the GIN index moves onto it. Adding the column computes it for
the rows already there, in the ALTER TABLE, which rewrites the table (about a
minute per million documents; it holds an exclusive lock meanwhile).

On both engines, `ix_search_docs_created` (created_at, id) serves the date
filters; newest first is the primary key's order (app/search/queries.py).
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TSVECTOR = ("setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')")


def upgrade():
    with op.batch_alter_table('search_docs', schema=None) as batch_op:
        batch_op.create_index('ix_search_docs_created', ['created_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Drop the expression index first, or the table rewrite would rebuild it.
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute(f"ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS search_tsv tsvector "
                   f"GENERATED ALWAYS AS ({TSVECTOR}) STORED")
        op.execute("CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs "
                   "USING gin (search_tsv)")
        op.execute("ANALYZE search_docs")  # the planner's word frequencies come from here


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute("ALTER TABLE search_docs DROP COLUMN IF EXISTS search_tsv")
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs "
                   f"USING gin (({TSVECTOR}))")
    with op.batch_alter_table('search_docs', schema=None) as batch_op:
        batch_op.drop_index('ix_search_docs_created')

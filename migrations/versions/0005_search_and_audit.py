"""search index and audit log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TSVECTOR = ("setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')")


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_at', ['at', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_target', ['target_type', 'target_id'], unique=False)

    op.create_table('search_docs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title_terms', sa.Text(), server_default='', nullable=False),
    sa.Column('terms', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_search_docs_board_id_boards')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_search_docs_community_id_communities')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_search_docs_thread_id_threads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_docs')),
    sa.UniqueConstraint('kind', 'source_id', name=op.f('uq_search_docs_kind_source_id'))
    )
    with op.batch_alter_table('search_docs', schema=None) as batch_op:
        batch_op.create_index('ix_search_docs_thread_id', ['thread_id'], unique=False)

    # The engine's own part (not in the models' metadata): see app/search/models.py.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                   "title_terms, terms, tokenize = 'unicode61 remove_diacritics 0')")
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs "
                   f"USING gin (({TSVECTOR}))")
    # Existing posts are indexed by `flask --app wsgi search rebuild` (README: Upgrading).


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_docs')
    op.drop_table('audit_entries')

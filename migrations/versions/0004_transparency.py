"""transparency: defect records, and indexes for the resolved-case archive and case feeds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_defects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_defects_case_id_cases')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_case_defects_category_id_categories')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_case_defects_department_id_departments')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_case_defects_marked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_defects')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_defects_case_id'))
    )
    with op.batch_alter_table('case_defects', schema=None) as batch_op:
        batch_op.create_index('ix_case_defects_category_id', ['category_id'], unique=False)
        batch_op.create_index('ix_case_defects_department_id', ['department_id'], unique=False)

    # Indexes only: on SQLite, create_index inside batch mode is a plain CREATE INDEX
    # (no copy of the cases table).
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_archive', ['status', 'closed_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_community_archive', ['community_id', 'status', 'closed_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_community_id_id', ['community_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_community_id_id')
        batch_op.drop_index('ix_cases_community_archive')
        batch_op.drop_index('ix_cases_archive')

    with op.batch_alter_table('case_defects', schema=None) as batch_op:
        batch_op.drop_index('ix_case_defects_department_id')
        batch_op.drop_index('ix_case_defects_category_id')

    op.drop_table('case_defects')

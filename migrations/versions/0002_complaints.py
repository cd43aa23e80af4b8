"""complaints: departments, categories, cases, events, notes, joins, ratings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('slug', name=op.f('uq_departments_slug'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('standard_source', sa.Text(), server_default='', nullable=False),
    sa.Column('standard_html', sa.Text(), server_default='', nullable=False),
    sa.Column('first_response_hours', sa.Float(), nullable=True),
    sa.Column('plan_hours', sa.Float(), nullable=True),
    sa.Column('resolve_hours', sa.Float(), nullable=True),
    sa.Column('working_hours', sa.Boolean(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_categories_department_id_departments')),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('parent_id', 'slug', name=op.f('uq_categories_parent_id_slug'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('filer_id', sa.Integer(), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_kind', sa.String(length=16), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.Column('location', sa.String(length=10), nullable=False),
    sa.Column('location_text', sa.String(length=200), server_default='', nullable=False),
    sa.Column('wanted_outcome', sa.Text(), server_default='', nullable=False),
    sa.Column('unit_text', sa.String(length=100), nullable=True),
    sa.Column('contact_name', sa.String(length=40), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('committed_date', sa.Date(), nullable=True),
    sa.Column('resolution_summary', sa.Text(), server_default='', nullable=False),
    sa.Column('decline_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('work_order_number', sa.String(length=40), nullable=True),
    sa.Column('work_order_details', sa.Text(), nullable=True),
    sa.Column('first_response_due', sa.DateTime(), nullable=False),
    sa.Column('plan_due', sa.DateTime(), nullable=False),
    sa.Column('resolve_due', sa.DateTime(), nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('planned_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.Column('group_flagged_at', sa.DateTime(), nullable=True),
    sa.Column('metoo_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reopen_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_defect', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('metoo_count >= 0', name=op.f('ck_cases_metoo_count_not_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_cases_category_id_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_cases_community_id_communities')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_cases_department_id_departments')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['cases.id'], name=op.f('fk_cases_duplicate_of_id_cases')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_cases_filed_by_id_users')),
    sa.ForeignKeyConstraint(['filer_id'], ['users.id'], name=op.f('fk_cases_filer_id_users')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_cases_handler_id_users')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_cases_thread_id_threads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_cases_thread_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_closed_at', ['closed_at'], unique=False)
        batch_op.create_index('ix_cases_community_status', ['community_id', 'status'], unique=False)
        batch_op.create_index('ix_cases_filer_id', ['filer_id'], unique=False)
        batch_op.create_index('ix_cases_status_resolved_at', ['status', 'resolved_at'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=80), server_default='', nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.String(length=16), nullable=True),
    sa.Column('after', sa.String(length=16), nullable=True),
    sa.Column('note_html', sa.Text(), server_default='', nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case_id', ['case_id', 'id'], unique=False)

    op.create_table('case_joins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('merged_from_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_joins_case_id_cases')),
    sa.ForeignKeyConstraint(['merged_from_id'], ['cases.id'], name=op.f('fk_case_joins_merged_from_id_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_joins_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_joins')),
    sa.UniqueConstraint('case_id', 'user_id', name=op.f('uq_case_joins_case_id_user_id'))
    )
    with op.batch_alter_table('case_joins', schema=None) as batch_op:
        batch_op.create_index('ix_case_joins_user_id', ['user_id'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notes_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index('ix_case_notes_case_id', ['case_id', 'id'], unique=False)

    op.create_table('case_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('buy_again', sa.Integer(), nullable=False),
    sa.Column('recommend', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('comment_public', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('buy_again BETWEEN 1 AND 5', name=op.f('ck_case_ratings_buy_again_1_to_5')),
    sa.CheckConstraint('overall BETWEEN 1 AND 5', name=op.f('ck_case_ratings_overall_1_to_5')),
    sa.CheckConstraint('recommend BETWEEN 1 AND 5', name=op.f('ck_case_ratings_recommend_1_to_5')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_ratings_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_ratings')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_ratings_case_id'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_official', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_supervisor', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('real_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=30), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_department_id_departments'), 'departments', ['department_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_department_id_departments'), type_='foreignkey')
        batch_op.drop_column('phone')
        batch_op.drop_column('real_name')
        batch_op.drop_column('is_supervisor')
        batch_op.drop_column('department_id')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('anonymous')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('is_official')

    op.drop_table('case_ratings')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_case_notes_case_id')

    op.drop_table('case_notes')
    with op.batch_alter_table('case_joins', schema=None) as batch_op:
        batch_op.drop_index('ix_case_joins_user_id')

    op.drop_table('case_joins')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case_id')

    op.drop_table('case_events')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_resolved_at')
        batch_op.drop_index('ix_cases_filer_id')
        batch_op.drop_index('ix_cases_community_status')
        batch_op.drop_index('ix_cases_closed_at')

    op.drop_table('cases')
    op.drop_table('categories')
    op.drop_table('departments')

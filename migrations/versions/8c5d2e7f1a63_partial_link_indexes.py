"""a post's copies and lessons: partial indexes, only over posts that have the link

Revision ID: 8c5d2e7f1a63
Revises: 3b1f0c2d9a41
Create Date: 2026-12-02 07:45:00

Most posts are neither copies nor lessons drawn from a post. Over every post, the link indexes
hold one huge group of NULLs, and once the database has been analysed SQLite's statistics make
them look useless: a post page then walked every public lesson (4 ms at 10 000 posts) or scanned
the whole table. Indexing only the posts that have the link keeps them small and chosen.
"""
from alembic import op
import sqlalchemy as sa

revision = "8c5d2e7f1a63"
down_revision = "3b1f0c2d9a41"
branch_labels = None
depends_on = None

COLUMNS = ["state", "approval", "hidden"]


def _partial(name: str, column: str) -> None:
    where = sa.text(f"{column} IS NOT NULL")
    op.create_index(name, "posts", [column, *COLUMNS], unique=False, sqlite_where=where, postgresql_where=where)


def upgrade():
    op.drop_index("ix_posts_copied_from_public", table_name="posts")
    op.drop_index("ix_posts_related_public", table_name="posts")
    _partial("ix_posts_copied_from_public", "copied_from_id")
    _partial("ix_posts_related_public", "related_post_id")


def downgrade():
    op.drop_index("ix_posts_related_public", table_name="posts")
    op.drop_index("ix_posts_copied_from_public", table_name="posts")
    op.create_index("ix_posts_copied_from_public", "posts", ["copied_from_id", *COLUMNS], unique=False)
    op.create_index("ix_posts_related_public", "posts", ["related_post_id", *COLUMNS], unique=False)

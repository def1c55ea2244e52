"""indexes for a post's public copies and lessons

Revision ID: 3b1f0c2d9a41
Revises: 622e17f56c7b
Create Date: 2026-12-02 04:40:00

"""
from alembic import op

revision = "3b1f0c2d9a41"
down_revision = "622e17f56c7b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_copied_from_id")
        batch_op.create_index(
            "ix_posts_copied_from_public", ["copied_from_id", "state", "approval", "hidden"], unique=False
        )
        batch_op.create_index(
            "ix_posts_related_public", ["related_post_id", "state", "approval", "hidden"], unique=False
        )


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_related_public")
        batch_op.drop_index("ix_posts_copied_from_public")
        batch_op.create_index("ix_posts_copied_from_id", ["copied_from_id"], unique=False)

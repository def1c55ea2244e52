"""`flask seed-demo` adds demo answers (two accepted), follows and messages, once."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Answer, Follow, Message, Notification, Post


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Answer, Follow, Message, Notification)}


def test_the_demo_has_a_conversation_and_loading_twice_adds_nothing(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = _counts()
    assert first["Answer"] >= 5 and first["Follow"] >= 5 and first["Message"] >= 3

    solved = list(db.session.scalars(select(Post).where(Post.kind == "challenge", Post.status == "lost")))
    assert len(solved) == 2
    for challenge in solved:
        assert sum(a.accepted for a in challenge.answers) == 1
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.author_id.is_(None))) >= 1

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert _counts() == first


def test_demo_pages_show_the_conversation(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    challenge = db.session.scalar(select(Post).where(Post.title == "Hur redovisar små företag sin årliga utsläppsminskning?"))
    page = client.get(f"/posts/{challenge.id}").get_data(as_text=True)
    answers = page.split('id="answers"', 1)[1].split("</section>", 1)[0]
    assert "Löste utmaningen" in answers
    # The accepted answer comes first.
    assert 0 < answers.index("Digitalt verktyg för lokala klimatåtaganden") < answers.index(
        "Energikartläggning i tre steg för småföretag")

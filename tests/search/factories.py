"""Hand-made units, hits and recognised questions for the pure composition tests."""

from __future__ import annotations

from index.types import Hit, Passage, Unit
from search.question import Question


def make_unit(uid="d#measure1", **kw) -> Unit:
    return Unit(
        id=uid,
        doc="d.txt",
        kind=kw.pop("kind", "measure"),
        title=kw.pop("title", "标题"),
        start=0,
        end=10,
        **kw,
    )


def make_hit(unit: Unit, text: str, rank: int = 1, doc_title: str = "文件") -> Hit:
    p = Passage(f"{unit.id}/p{rank}", unit.doc, unit.id, unit.title, text, 0, len(text), 1, 1)
    return Hit(p, unit, doc_title, 1.0, rank)


def make_question(kind, types=None, fields=(), places=(), unknown=(), text="问题") -> Question:
    return Question(
        text, kind, frozenset(types or {kind}), tuple(fields), tuple(places), tuple(unknown)
    )

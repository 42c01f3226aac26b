"""Frozen dataclasses that cross module boundaries.

Offsets (`start`, `end`) are character offsets into the document's *source text*: the
decoded text of a .txt/.md file, or the text extracted from a .docx/.pdf/.html file (the
index keeps a copy of that text so citations can always be opened). Line numbers are
1-based and inclusive, counted in the same source text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

UNIT_KINDS = ("case", "measure", "section")
# How each kind is named to users (the page, the command line).
KIND_NAMES = {"case": "案例", "measure": "措施", "section": "章节"}


def guess_doc_type(kinds: Iterable[str]) -> str:
    """案例集 / 政策文件 / 其他 from the kinds of units found in a document, for documents
    the corpus manifest does not describe (e.g. uploads)."""
    kinds = set(kinds)
    return "案例集" if "case" in kinds else "政策文件" if "measure" in kinds else "其他"


@dataclass(frozen=True, slots=True)  # slots: an index holds many
class Span:
    """A named part of a unit, e.g. a case's 主要做法 section."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)  # slots: an index holds many
class Unit:
    """A case (典型案例), a measure (措施/任务) or a generic section of a document."""

    id: str  # stable within the index: "<doc_key>#<kind><n>", e.g. "000#case03"
    doc: str  # corpus-relative path of the document
    kind: str  # one of UNIT_KINDS
    title: str  # cleaned title: the case or measure heading, one line, no breaks
    start: int  # span of the whole unit in the source text
    end: int
    number: str = ""  # number as printed ("3", "（十二）", "106"), "" if none
    region: str = ""  # e.g. "广西壮族自治区北海市"
    org: str = ""  # submitting / implementing unit (报送单位、实施单位)
    indicator: str = ""  # 指标, e.g. 政府采购、纳税、企业开办
    highlights: str = ""  # 案例特色或亮点
    lead_units: tuple[str, ...] = ()  # 牵头单位
    coop_units: tuple[str, ...] = ()  # 配合单位
    # The same cells as printed ("自治区发展改革委，北海、钦州、防城港市人民政府"): what an
    # answer quotes; the tuples above are the names, split and expanded, that searches match.
    lead_text: str = ""
    coop_text: str = ""
    deadline: str = ""  # 完成时限, normalised without inner spaces
    direction: str = ""  # 改革方向
    heading_path: tuple[str, ...] = ()  # headings the unit sits under, outermost first
    sections: tuple[Span, ...] = ()  # named parts (案例背景、主要做法 …); may be empty
    page: str = ""  # printed page where the collection's contents place it ("69"), "" if none
    heading: str = ""  # the heading above the text when `title` comes from the contents

    def fields(self) -> dict:
        """The unit's descriptive fields for the JSON contract (without offsets)."""
        data = asdict(self)
        for key in ("start", "end", "sections"):
            data.pop(key)
        data["lead_units"] = list(self.lead_units)
        data["coop_units"] = list(self.coop_units)
        data["heading_path"] = list(self.heading_path)
        return data


@dataclass(frozen=True)
class ParsedDocument:
    """What a structure parser finds in one document.

    `units` cover the content in document order and do not overlap. `dropped` are spans
    of page furniture (table of contents, running headers/footers, page numbers) that
    must not be indexed even when they fall inside a unit's span.
    """

    units: tuple[Unit, ...]
    dropped: tuple[tuple[int, int], ...] = ()
    layout: str = "generic"  # name of the parser that recognised the layout


@dataclass(frozen=True, slots=True)  # slots: an index holds many
class Passage:
    """A sentence-aligned chunk of one unit: the thing that is embedded and retrieved."""

    id: str  # "<unit_id>/p<n>"
    doc: str
    unit_id: str
    section: str  # name of the unit section it lies in, else the unit title
    text: str  # cleaned text (see index.cleaning for the normalisation)
    start: int
    end: int
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from, in words a person can check."""

    doc: str
    doc_title: str
    unit_title: str
    section: str
    line_start: int
    line_end: int
    start: int
    end: int
    # "第2页" (PDF), "第12段" / "表1第3行" (Word): what the reader of the original file can
    # check; "" for text formats, whose line numbers are that already.
    locator: str = ""
    # The printed page of the unit in a collection's contents ("69"): a reader holding the
    # printed collection finds the case there.
    page: str = ""

    @classmethod
    def of(
        cls, passage: Passage, unit_title: str, doc_title: str, locator: str = "", page: str = ""
    ) -> Citation:
        """Where `passage` (of the unit titled `unit_title`) comes from."""
        p = passage
        return cls(
            doc=p.doc,
            doc_title=doc_title,
            unit_title=unit_title,
            section=p.section,
            line_start=p.line_start,
            line_end=p.line_end,
            start=p.start,
            end=p.end,
            locator=locator,
            page=page,
        )

    def place(self) -> str:
        """The locator when there is one, else the line numbers; the printed page after them."""
        if self.locator:
            return self.locator
        if self.line_start == self.line_end:
            lines = f"第{self.line_start}行"
        else:
            lines = f"第{self.line_start}–{self.line_end}行"
        return f"{lines}（原书第{self.page}页）" if self.page else lines

    def label(self) -> str:
        parts = [f"《{self.doc_title}》", self.unit_title]
        if self.section and self.section != self.unit_title:
            parts.append(self.section)
        parts.append(f"{self.doc} {self.place()}")
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Hit:
    """One search result: a passage, its unit and the document title."""

    passage: Passage
    unit: Unit
    doc_title: str
    score: float
    rank: int  # 1-based
    locator: str = ""  # page / paragraph of a PDF or Word source (Citation.locator)
    extra: dict = field(default_factory=dict, compare=False)  # per-retriever ranks etc.
    # The passage both the dense and the BM25 retriever put first (hybrid search only): two
    # retrievers that agree make a right answer from it likelier (search.answer).
    first_in_both: bool = False

    @property
    def citation(self) -> Citation:
        return Citation.of(
            self.passage, self.unit.title, self.doc_title, self.locator, self.unit.page
        )

    def to_json(self) -> dict:
        """The stable contract printed by `yingshang search --json`."""
        p = self.passage
        data = {
            "doc": p.doc,
            "doc_title": self.doc_title,
            "unit_title": self.unit.title,
            "section": p.section,
            "text": p.text,
            "start": p.start,
            "end": p.end,
            "line_start": p.line_start,
            "line_end": p.line_end,
            "locator": self.locator,
            "score": round(float(self.score), 6),
            "rank": self.rank,
            "passage_id": p.id,
            "unit_id": self.unit.id,
            "unit_kind": self.unit.kind,
            "citation": self.citation.label(),
        }
        data.update(
            {k: v for k, v in self.unit.fields().items() if k not in ("id", "doc", "kind", "title")}
        )
        return data

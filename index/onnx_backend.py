"""ONNX Runtime backends for the embedding model: fp32 and dynamically quantised int8.

sentence-transformers' own ONNX backend needs `optimum-onnx`, whose current release pins
transformers < 4.58 and huggingface_hub < 1 (this project runs transformers 5 and
sentence-transformers 6), so it cannot be installed alongside. This module does the same
job with `onnxruntime` and `onnx` alone, entirely offline:

1. export the local model's transformer to ONNX (`torch.onnx.export`, TorchScript exporter,
   dynamic batch and sequence axes);
2. for int8, quantise it with `onnxruntime.quantization.quantize_dynamic` (int8 weights per
   output channel, activations quantised at run time, MatMul only so the embedding table
   stays exact);
3. run it with the model's own `tokenizer.json` (the `tokenizers` library: neither PyTorch
   nor transformers is imported to embed), mean (or CLS) pooling and L2 normalisation, as
   the sentence-transformers folder describes.

Weights are stored as ONNX external data (`<file>.data`), which ONNX Runtime memory-maps:
the 250 000 × 384 embedding table (384 MB) stays on disk except for the rows of tokens
actually seen, so a serving process holds ~0.1 GB of model instead of ~0.5 GB.

The exported files are cached next to the converted model (`<cache>/models/onnx-…/`), built
once under a file lock and moved into place atomically (weights first, the graph last);
exports of earlier recipes or models are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ONNX_BACKENDS = ("onnx", "int8")
EXPORT_VERSION = 2  # bump to re-export cached files after changing the recipe below
FP32_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"


class OnnxUnavailable(RuntimeError):
    """onnxruntime/onnx are not installed, or the model cannot be exported."""


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise OnnxUnavailable(
            "ONNX 后端需要 onnxruntime 和 onnx：请运行 `pip install onnxruntime onnx`，"
            "或改用 --backend torch。"
        ) from exc


def _folder_fingerprint(model_dir: Path) -> str:
    """Identifies the source weights cheaply (names, sizes, mtimes of the folder's files)."""
    h = hashlib.sha256(f"export-{EXPORT_VERSION}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        st = path.stat()
        h.update(f"{path.relative_to(model_dir)}|{st.st_size}|{int(st.st_mtime)}".encode())
    return h.hexdigest()[:12]


def onnx_dir(model_dir: Path, cache_dir: Path) -> Path:
    return cache_dir / "models" / f"onnx-{model_dir.name}-{_folder_fingerprint(model_dir)}"


def ensure_onnx(model_dir: Path, cache_dir: Path, quantised: bool) -> Path:
    """Path of the (cached) ONNX file for the model folder; exported on first use."""
    _require_onnx()
    from filelock import FileLock

    out = onnx_dir(model_dir, cache_dir)
    target = out / (INT8_FILE if quantised else FP32_FILE)
    if target.exists():
        return target
    out.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out) + ".lock"):
        if not (out / FP32_FILE).exists():
            with _staging(out) as tmp:
                _export(model_dir, tmp / "exported.onnx")
                _save_external(tmp / "exported.onnx", tmp / FP32_FILE)
                _publish(tmp, out, FP32_FILE)
            _remove_stale_exports(model_dir, out)
        if quantised and not target.exists():
            with _staging(out) as tmp:
                _quantise(out / FP32_FILE, tmp / "quantised.onnx")
                _save_external(tmp / "quantised.onnx", tmp / INT8_FILE)
                _publish(tmp, out, INT8_FILE)
    return target


@contextmanager
def _staging(out: Path) -> Iterator[Path]:
    tmp = out / f".tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _save_external(src: Path, path: Path) -> None:
    """Re-save `src` with every weight in `<name>.data` (memory-mapped by ONNX Runtime)."""
    import onnx

    model = onnx.load(str(src))
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=path.name + ".data",
        size_threshold=1024,
    )


def _publish(tmp: Path, out: Path, name: str) -> None:
    """Move weights, then the graph: a graph file in `out` always has its weights."""
    os.chmod(tmp / (name + ".data"), 0o644)  # onnx writes it 0600; the graph file is 0644
    os.replace(tmp / (name + ".data"), out / (name + ".data"))
    os.replace(tmp / name, out / name)


def _remove_stale_exports(model_dir: Path, keep: Path) -> None:
    """Exports of this model by an earlier recipe (or of older weights) are never read again.

    A process still running on one keeps its mapping: the files go, their pages stay."""
    for old in keep.parent.glob(f"onnx-{model_dir.name}-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            Path(str(old) + ".lock").unlink(missing_ok=True)


def _export(model_dir: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = tokenizer(["passage: 示例", "passage: 较长一些的示例文本，用来导出模型"], padding=True)
    args = (
        torch.tensor(sample["input_ids"], dtype=torch.long),
        torch.tensor(sample["attention_mask"], dtype=torch.long),
    )
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            _Hidden(model),
            args,
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )


def _quantise(src: Path, path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(src),
        str(path),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        use_external_data_format=True,
    )


def _pooling(model_dir: Path) -> str:
    """'mean' or 'cls' from the sentence-transformers folder (mean when not described)."""
    modules = model_dir / "modules.json"
    if not modules.exists():
        return "mean"
    for module in json.loads(modules.read_text("utf-8")):
        if module.get("type", "").endswith("Pooling"):
            cfg_path = model_dir / module.get("path", "") / "config.json"
            cfg = json.loads(cfg_path.read_text("utf-8")) if cfg_path.exists() else {}
            if cfg.get("pooling_mode_mean_tokens", True):
                return "mean"
            if cfg.get("pooling_mode_cls_token"):
                return "cls"
            raise OnnxUnavailable(f"ONNX 后端只支持 mean 或 CLS 池化（{cfg_path}）")
    return "mean"


def _folder_max_length(model_dir: Path) -> int:
    cfg = model_dir / "sentence_bert_config.json"
    if cfg.exists():
        return int(json.loads(cfg.read_text("utf-8")).get("max_seq_length") or 512)
    return 512


def load_tokenizer(model_dir: Path, max_length: int):
    """The folder's `tokenizer.json` through the `tokenizers` library, set up as
    transformers would for `tokenizer(texts, padding=True, truncation=True)`; without a
    tokenizer.json, transformers' AutoTokenizer."""
    path = model_dir / "tokenizer.json"
    if not path.exists():
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(model_dir))
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    config_path = model_dir / "tokenizer_config.json"
    config = json.loads(config_path.read_text("utf-8")) if config_path.exists() else {}
    pad = config.get("pad_token") or "<pad>"
    pad = pad.get("content", "<pad>") if isinstance(pad, dict) else pad
    pad_id = tokenizer.token_to_id(pad)
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad)
    return tokenizer


class OnnxSentenceModel:
    """The subset of `SentenceTransformer` that `index.embedding.Encoder` uses."""

    def __init__(
        self, model_dir: str | Path, cache_dir: Path, quantised: bool, max_seq_length: int
    ) -> None:
        _require_onnx()
        import onnxruntime as ort

        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise OnnxUnavailable(f"ONNX 后端需要本地模型目录：{model_dir}")
        self.path = ensure_onnx(model_dir, cache_dir, quantised)
        self.pooling = _pooling(model_dir)
        self.max_seq_length = min(max_seq_length, _folder_max_length(model_dir))
        self.tokenizer = load_tokenizer(model_dir, self.max_seq_length)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # One thread per run, and batches run side by side on a thread pool (the session is
        # thread-safe). A run split over two threads waits for the slower one at every
        # operator, which on a shared 2-core machine costs more than it gains: measured
        # side by side under load, int8 went from 6.5 to 8.3 passages/s, and one query
        # embeds in ~18 ms instead of ~35 ms.
        options.intra_op_num_threads = int(os.environ.get("YINGSHANG_ONNX_THREADS") or 1)
        self.workers = max(1, int(os.environ.get("YINGSHANG_ONNX_WORKERS") or os.cpu_count() or 1))
        self.session = ort.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self._pool = None

    def get_embedding_dimension(self) -> int:
        return self.dim

    def encode(
        self,
        sentences: Sequence[str],
        batch_size: int = 32,
        normalize_embeddings: bool = True,
        **_: object,
    ) -> np.ndarray:
        texts = list(sentences)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Longest first, like sentence-transformers: each batch pads to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
        # Tokenise here, on the calling thread (a fast tokenizer is not safe to share across
        # threads: "Already borrowed"); only the model runs on the pool.
        inputs = [self._tokenize([texts[i] for i in idx]) for idx in batches]

        def run(item: tuple[list[int], dict]) -> None:
            idx, feed = item
            out[idx] = self._embed(feed, normalize_embeddings)

        if len(batches) > 1 and self.workers > 1:
            for _ in self._executor().map(run, zip(batches, inputs, strict=True)):
                pass
        else:
            for item in zip(batches, inputs, strict=True):
                run(item)
        return out

    def _executor(self):
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-embed")
        return self._pool

    def _tokenize(self, texts: list[str]) -> dict[str, np.ndarray]:
        if not hasattr(self.tokenizer, "encode_batch"):  # transformers (no tokenizer.json)
            enc = self.tokenizer(
                texts, padding=True, truncation=True, max_length=self.max_seq_length
            )
            ids, mask = enc["input_ids"], enc["attention_mask"]
        else:
            encodings = self.tokenizer.encode_batch(texts)
            ids = [e.ids for e in encodings]
            mask = [e.attention_mask for e in encodings]
        return {
            "input_ids": np.asarray(ids, dtype=np.int64),
            "attention_mask": np.asarray(mask, dtype=np.int64),
        }

    def _embed(self, feed: dict[str, np.ndarray], normalize: bool) -> np.ndarray:
        hidden = self.session.run(None, feed)[0]
        if self.pooling == "cls":
            vecs = hidden[:, 0]
        else:
            m = feed["attention_mask"][..., None].astype(np.float32)
            vecs = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        if normalize:
            vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs

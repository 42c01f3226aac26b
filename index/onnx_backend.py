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
3. run it with the model's own tokenizer, mean (or CLS) pooling and L2 normalisation, as
   the sentence-transformers folder describes.

The exported files are cached next to the converted model (`<cache>/models/onnx-…/`), built
once under a file lock and moved into place atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ONNX_BACKENDS = ("onnx", "int8")
EXPORT_VERSION = 1  # bump to re-export cached files after changing the recipe below
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
            _export(model_dir, out / FP32_FILE)
        if quantised and not target.exists():
            _quantise(out / FP32_FILE, target)
    return target


def _atomic_target(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


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
    tmp = _atomic_target(path)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            _Hidden(model),
            args,
            str(tmp),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, path)


def _quantise(src: Path, path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = _atomic_target(path)
    quantize_dynamic(
        str(src),
        str(tmp),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )
    os.replace(tmp, path)


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


class OnnxSentenceModel:
    """The subset of `SentenceTransformer` that `index.embedding.Encoder` uses."""

    def __init__(
        self, model_dir: str | Path, cache_dir: Path, quantised: bool, max_seq_length: int
    ) -> None:
        _require_onnx()
        import onnxruntime as ort
        from transformers import AutoTokenizer

        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise OnnxUnavailable(f"ONNX 后端需要本地模型目录：{model_dir}")
        self.path = ensure_onnx(model_dir, cache_dir, quantised)
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.pooling = _pooling(model_dir)
        self.max_seq_length = min(max_seq_length, _folder_max_length(model_dir))
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if os.environ.get("YINGSHANG_ONNX_THREADS"):  # default: one per physical core
            options.intra_op_num_threads = int(os.environ["YINGSHANG_ONNX_THREADS"])
        self.session = ort.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self.session.get_outputs()[0].shape[-1])

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
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = self.tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="np",
            )
            ids = enc["input_ids"].astype(np.int64)
            mask = enc["attention_mask"].astype(np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            if self.pooling == "cls":
                vecs = hidden[:, 0]
            else:
                m = mask[..., None].astype(np.float32)
                vecs = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            if normalize_embeddings:
                vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            out[idx] = vecs
        return out

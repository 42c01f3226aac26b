"""`yingshang tune`: pseudo-query pairs from a corpus (pure), and a tiny real training run."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.embedding import TUNING_FILE, ModelInfo, model_revision
from index.store import IndexMismatch, check_model
from index.tuning import Pair, TuneSettings, sentences, training_pairs
from index.types import Passage, Unit

DOC = "a.txt"
DOC_TITLE = "甲市优化营商环境典型案例"
BODY = [
    "甲市推行企业开办一网通办，申请人只需登录一个平台。全部材料在线提交后，一个工作日内办结。"
    "窗口同时发放电子营业执照和印章。新办企业还可免费领取一套税控设备。",
    "甲市将政府采购投标保证金比例由百分之二降至百分之一。中小企业参与政府采购的门槛明显降低，"
    "当年新增供应商三百余家。采购人须在合同签订后五日内退还保证金。",
    "不动产登记实现全城通办，群众可在任一服务网点办理。抵押登记压缩至半个工作日，"
    "减少群众往返跑腿的次数。登记结果可在手机上随时查询。",
]
TITLES = ["企业开办一网通办", "降低政府采购保证金", "不动产登记全城通办"]


def _corpus() -> tuple[dict[str, str], list[Unit], list[Passage]]:
    units, passages = [], []
    for i, (title, body) in enumerate(zip(TITLES, BODY, strict=True)):
        uid = f"a#case{i}"
        units.append(Unit(uid, DOC, "case", title, 0, len(body)))
        passages.append(Passage(f"{uid}/p0", DOC, uid, title, body, 0, len(body), 1, 2))
    return {DOC: DOC_TITLE}, units, passages


def test_sentences_keep_question_sized_ones() -> None:
    found = sentences("短句。" + BODY[0])
    assert "短句。" not in found  # too short to stand for a question
    assert found[0].startswith("甲市推行企业开办一网通办")
    assert all(s.endswith("。") for s in found)


def test_pairs_come_from_titles_and_sentences() -> None:
    titles, units, passages = _corpus()
    pairs = training_pairs(titles, units, passages, header=True, max_pairs=100)
    sources = {p.source for p in pairs}
    assert sources == {"title", "doc_title", "sentence"}
    for p in pairs:
        if p.source == "title":
            # the unit title is not in the header (else the pair is learnt by copying)
            body = BODY[TITLES.index(p.query)]
            assert p.passage == f"{DOC_TITLE}\n{body}"
        elif p.source == "sentence":
            # inverse cloze: the sentence is removed, the context header stays
            assert p.query not in p.passage
            assert p.passage.startswith(DOC_TITLE)
            assert any(p.query in body for body in BODY)
        else:
            assert p.query == DOC_TITLE and DOC_TITLE not in p.passage
    assert len({(p.query, p.passage) for p in pairs}) == len(pairs)


def test_pairs_are_capped_mixed_and_reproducible() -> None:
    titles, units, passages = _corpus()
    pairs = training_pairs(titles, units, passages, max_pairs=6, seed=1)
    assert len(training_pairs(titles, units, passages, max_pairs=100)) > 6
    assert len(pairs) == 6
    assert sum(p.source != "sentence" for p in pairs) == 1  # titles: at most 30 %
    # one sentence of every passage before a second of any
    said = [p.query for p in pairs if p.source == "sentence"]
    covered = {next(i for i, b in enumerate(BODY) if q in b) for q in said}
    assert covered == {0, 1, 2}
    assert pairs == training_pairs(titles, units, passages, max_pairs=6, seed=1)
    assert pairs != training_pairs(titles, units, passages, max_pairs=6, seed=2)


def test_without_header_sentence_passages_are_bare() -> None:
    titles, units, passages = _corpus()
    pairs = training_pairs(titles, units, passages, header=False, max_pairs=100)
    assert all(not p.passage.startswith(DOC_TITLE) for p in pairs if p.source == "sentence")


def test_empty_corpus_gives_no_pairs() -> None:
    assert training_pairs({}, [], []) == []


def test_revision_separates_tunings(tmp_path: Path) -> None:
    assert model_revision(str(tmp_path)) == ""  # not a tuned folder
    (tmp_path / TUNING_FILE).write_text(json.dumps({"model_id": "abc"}), "utf-8")
    assert model_revision(str(tmp_path)) == "abc"
    base = ModelInfo(str(tmp_path), 384, "query: ", "passage: ", "torch")
    first, second = replace(base, revision="abc"), replace(base, revision="def")
    # other weights: other cache entries, and an index of one refuses the other
    assert len({base.key(), first.key(), second.key()}) == 3
    with pytest.raises(IndexMismatch, match="重新微调"):
        check_model(first, second)
    check_model(first, first)


def test_default_model_key_is_unchanged() -> None:
    """Adding the revision field kept the keys of existing cache entries."""
    import hashlib

    info = ModelInfo("intfloat/multilingual-e5-small", 384, "query: ", "passage: ", "torch")
    raw = "intfloat/multilingual-e5-small|torch|384"
    assert info.key() == hashlib.sha256(raw.encode()).hexdigest()[:16]


@pytest.mark.slow
def test_tiny_training_writes_a_usable_model(seed_index, real_encoder, tmp_path: Path) -> None:
    """A few steps on pairs from the seed corpus: a folder that Encoder loads (PyTorch and
    ONNX Runtime), whose vectors moved, and that the index manifest records."""
    from index.build import is_stale, sync_index
    from index.embedding import Encoder, resolve_model_path
    from index.store import load_index, read_manifest
    from index.tuning import pairs_from_index, tune, tuning_info

    config, _ = seed_index
    pairs = pairs_from_index(config.index_dir, True, max_pairs=8, seed=3)
    assert len(pairs) == 8 and all(isinstance(p, Pair) for p in pairs)
    settings = TuneSettings(max_pairs=8, batch_size=4, max_seq_length=64, learning_rate=1e-4)
    out = tmp_path / "tuned"
    base = resolve_model_path(config.model, config.cache_dir)
    report = tune(base, pairs, out, settings, base_name=config.model)
    assert report.steps == 2 and report.pairs == 8
    assert tuning_info(out)["model_id"] == report.model_id == model_revision(str(out))
    assert not list(tmp_path.glob(".tuned.partial-*"))  # the staging folder is gone

    cache = tmp_path / "cache"
    tuned_cfg = replace(config, model=str(out), backend="torch", cache_dir=cache)
    torch_enc = Encoder(tuned_cfg)
    onnx_enc = Encoder(replace(tuned_cfg, backend="onnx"))
    assert onnx_enc.info.backend == "onnx"
    text = ["passage: " + pairs[0].passage]
    tuned_vec = torch_enc.encode_uncached(text)[0]
    assert float(tuned_vec @ onnx_enc.encode_uncached(text)[0]) > 0.999
    assert float(tuned_vec @ real_encoder.encode_uncached(text)[0]) < 0.99999  # it trained
    assert np.isclose(np.linalg.norm(tuned_vec), 1.0)

    corpus = tmp_path / "corpus"  # a short document: indexing the seed corpus takes minutes
    corpus.mkdir()
    (corpus / "a.txt").write_text(DOC_TITLE + "\n一、" + TITLES[0] + "\n" + BODY[0], "utf-8")
    index_cfg = replace(tuned_cfg, corpus_dir=corpus, index_dir=tmp_path / "index")
    assert is_stale(index_cfg)
    sync_index(index_cfg, torch_enc)
    recorded = read_manifest(index_cfg.index_dir)["model"]
    assert recorded["name"] == str(out) and recorded["revision"] == report.model_id
    assert not is_stale(index_cfg)
    load_index(index_cfg.index_dir, onnx_enc.info)  # same weights, same family: accepted

    # tuning the folder again (here: a new id) makes the index stale and refused
    info = tuning_info(out)
    (out / TUNING_FILE).write_text(json.dumps({**info, "model_id": "retuned"}), "utf-8")
    assert is_stale(index_cfg)
    with pytest.raises(IndexMismatch):
        load_index(index_cfg.index_dir, Encoder(tuned_cfg).info)

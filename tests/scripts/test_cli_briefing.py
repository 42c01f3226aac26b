"""`yingshang export`, `compare`, `meta` and the filter flags, against real indexes."""

from __future__ import annotations

import json
import shutil

import docx
import pytest
from openpyxl import load_workbook

from scripts.cli import main

pytestmark = pytest.mark.slow


def _json(capsys) -> list:
    return json.loads(capsys.readouterr().out)


def test_indicator_synonyms_list_the_same_units(seed_index, capsys) -> None:
    config, _ = seed_index
    flags = ["--json", "--index", str(config.index_dir), "--corpus", str(config.corpus_dir)]
    assert main(["units", "--indicator", "企业开办", *flags]) == 0
    a = [r["id"] for r in _json(capsys)]
    assert main(["units", "--indicator", "开办企业", *flags]) == 0
    assert [r["id"] for r in _json(capsys)] == a and len(a) >= 11
    assert main(["list", *flags]) == 0
    docs = {r["doc"]: r for r in _json(capsys)}
    policy = docs["2023年广西优化营商环境工作要点.txt"]
    assert (policy["doc_number"], policy["date"]) == ("桂政办发〔2023〕42号", "2023-07-31")


def test_export_and_compare_files(seed_index, tmp_path, capsys) -> None:
    config, _ = seed_index
    index = ["--index", str(config.index_dir)]
    assert main(["units", "--kind", "case", "--json", *index]) == 0
    ids = [r["id"] for r in _json(capsys)][:3]
    out = tmp_path / "brief.docx"
    assert main(["export", "--units", ",".join(ids), "--out", str(out), *index]) == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "出处" in text and "[3] 《" in text
    assert main(["compare", *ids, "--out", str(tmp_path / "c.xlsx"), *index]) == 0
    wb = load_workbook(tmp_path / "c.xlsx")
    assert [wb["案例对比"].cell(r, 1).value for r in range(2, 8)] == [
        "地区",
        "做法",
        "成效",
        "牵头或报送单位",
        "时间",
        "来源",
    ]
    assert main(["compare", ids[0], *index]) == 2  # one unit cannot be compared
    assert "2–6" in capsys.readouterr().err
    # A saved basket exports the same way.
    basket = tmp_path / "basket.json"
    basket.write_text(
        json.dumps(
            {"title": "测试简报", "items": [{"kind": "note", "title": "笔记", "text": "正文"}]}
        ),
        "utf-8",
    )
    assert main(["export", "--items", str(basket), *index]) == 0
    assert capsys.readouterr().out.startswith("# 测试简报")


def test_similar_accepts_a_title(searcher, seed_index, capsys) -> None:
    config, _ = seed_index
    unit = next(u for u in searcher.index.current.units if u.kind == "case" and "北海" in u.title)
    assert (
        main(["similar", unit.title, "--json", "--k", "3", "--index", str(config.index_dir)]) == 0
    )
    captured = capsys.readouterr()
    assert unit.id in captured.err and "按标题找到" in captured.err
    assert all(item["unit_id"] != unit.id for item in json.loads(captured.out))


def test_meta_edit_reaches_the_year_filter_without_embedding(seed_index, tmp_path, capsys) -> None:
    config, _ = seed_index
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(config.corpus_dir / "广西市场化营商环境典型案例.txt", corpus / "upload.txt")
    flags = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert main(["build", *flags]) == 0
    capsys.readouterr()
    assert main(["units", "--year", "2022", "--json", *flags]) == 0
    assert _json(capsys) == []
    assert (
        main(
            [
                "meta",
                "upload",
                "--date",
                "2022年5月",
                "--issuer",
                "某某厅",
                "--type",
                "案例集",
                *flags,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "日期：2022-05" in out and "新计算向量 0 个" in out
    assert main(["units", "--year", "2022", "--json", *flags]) == 0
    assert len(_json(capsys)) >= 10
    assert main(["meta", "upload.txt", *flags]) == 0
    assert "发文机关：某某厅" in capsys.readouterr().out
    assert main(["meta", "upload", "--date", "去年", *flags]) == 2


def test_serve_with_another_index_needs_a_corpus(tmp_path, capsys) -> None:
    assert main(["serve", "--index", str(tmp_path / "index"), "--no-build"]) == 2
    assert "--corpus" in capsys.readouterr().err

"""Mining domain terms: frequent n-grams that jieba splits, not their fragments."""

from bench.terms import mine_terms


def test_mines_a_split_term_and_not_its_fragments():
    texts = [
        f"{city}推行证照联办改革，{verb}证照联办"
        for city, verb in zip("甲乙丙丁", ["扩大", "深化", "推广", "完善"], strict=True)
    ] + ["另一份文件也说证照联办，并且提到创新。"]
    terms = dict(mine_terms(texts, min_count=3, min_docs=2, min_entropy=0.5))
    assert "证照联办" in terms and terms["证照联办"] == 9
    assert "照联办" not in terms and "证照联" not in terms  # fragments of the longer term


def test_known_terms_and_rare_ngrams_are_left_out():
    texts = ["证照联办在甲地", "证照联办在乙地", "证照联办在丙地", "一次出现的新词汇"]
    assert "证照联办" not in dict(mine_terms(texts, 3, 2, min_entropy=0.5, known=["证照联办"]))
    assert "新词汇" not in dict(mine_terms(texts, 3, 2, min_entropy=0.0))

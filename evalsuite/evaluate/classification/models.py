"""Classifiers over an embedding layer: bag of embeddings and a Kim (2014) CNN."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class EmbeddingClassifier(nn.Module):
    """Base: owns the embedding layer (row 0 = padding) and whether it trains.

    With ``sparse_grad`` the embedding's gradient is a sparse tensor holding only the
    rows a batch looked up, which the optimizers update lazily.
    """

    def __init__(self, matrix: np.ndarray, *, trainable: bool, sparse_grad: bool = False):
        super().__init__()
        self.sparse_grad = bool(sparse_grad and trainable)
        self.embedding = nn.Embedding(matrix.shape[0], matrix.shape[1], padding_idx=0)
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(np.asarray(matrix, dtype=np.float32)))
        self.embedding.weight.requires_grad_(trainable)

    @property
    def trainable_embedding(self) -> bool:
        return self.embedding.weight.requires_grad


class BagOfEmbeddings(EmbeddingClassifier):
    """Mean of the word vectors, then a linear or one-hidden-layer MLP head.

    Input is a flat id tensor with per-document ``offsets`` (``F.embedding_bag``), so
    no padding is computed.
    """

    def __init__(self, matrix, n_classes: int, *, trainable: bool, head: str, hidden: int, dropout: float,
                 sparse_grad: bool = False):
        super().__init__(matrix, trainable=trainable, sparse_grad=sparse_grad)
        dim = matrix.shape[1]
        self.dropout = nn.Dropout(dropout)
        if head == "linear":
            self.hidden = None
            self.out = nn.Linear(dim, n_classes)
        elif head == "mlp":
            self.hidden = nn.Linear(dim, hidden)
            self.out = nn.Linear(hidden, n_classes)
        else:
            raise ValueError(f"unknown head {head!r} (linear, mlp)")

    def forward(self, ids: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        h = F.embedding_bag(ids, self.embedding.weight, offsets, mode="mean", sparse=self.sparse_grad)
        h = self.dropout(h)
        if self.hidden is not None:
            h = self.dropout(torch.relu(self.hidden(h)))
        return self.out(h)


class KimCNN(EmbeddingClassifier):
    """Kim (2014): convolutions of several widths over word windows, max-over-time pooling, dropout, linear.

    As published (the declared defaults of the fine-tuning settings): widths 3, 4, 5 with 100
    feature maps each, ReLU, dropout 0.5 on the pooled features (the training loop adds the
    max-norm of the output weights).
    Every sentence is padded with ``max(widths) - 1`` zero vectors on both sides, so that
    every word appears at every position of every filter. Windows lying wholly in the
    padding that only makes a batch rectangular are masked out of the max, so a
    document's prediction does not depend on the other documents of its batch.
    Input: a padded ``(batch, length)`` id tensor (:func:`make_batch`) and the lengths.
    """

    def __init__(self, matrix, n_classes: int, *, trainable: bool, widths: Sequence[int], filters: int,
                 dropout: float, sparse_grad: bool = False):
        super().__init__(matrix, trainable=trainable, sparse_grad=sparse_grad)
        dim = matrix.shape[1]
        self.widths = tuple(int(w) for w in widths)
        self.pad = max(self.widths) - 1
        self.convs = nn.ModuleList(nn.Conv1d(dim, filters, w) for w in self.widths)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(filters * len(self.widths), n_classes)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = F.embedding(ids, self.embedding.weight, padding_idx=0, sparse=self.sparse_grad)
        x = x.transpose(1, 2)  # (batch, dim, length)
        pooled = []
        for w, conv in zip(self.widths, self.convs):
            h = torch.relu(conv(x))
            start = torch.arange(h.shape[2])
            # a window starting at s overlaps the words (at pad .. pad + n - 1) when pad - w < s < pad + n
            valid = (start > self.pad - w) & (start < self.pad + lengths.unsqueeze(1))
            pooled.append((h * valid.unsqueeze(1)).amax(dim=2))  # ReLU >= 0, so masked windows never win
        return self.out(self.dropout(torch.cat(pooled, dim=1)))


def build_model(kind: str, matrix: np.ndarray, n_classes: int, *, trainable: bool, params) -> EmbeddingClassifier:
    """``bag`` or ``cnn`` with settings from ``params``, every training setting resolved (head,
    hidden, widths, filters, dropout, embedding_update: ``"lazy"`` for a sparse embedding
    gradient, ``"dense"``)."""
    sparse = params["embedding_update"] == "lazy"
    if kind == "bag":
        return BagOfEmbeddings(matrix, n_classes, trainable=trainable, head=params["head"], hidden=params["hidden"],
                               dropout=params["dropout"], sparse_grad=sparse)
    if kind == "cnn":
        return KimCNN(matrix, n_classes, trainable=trainable, widths=params["widths"], filters=params["filters"],
                      dropout=params["dropout"], sparse_grad=sparse)
    raise ValueError(f"unknown model {kind!r} (bag, cnn)")


def make_batch(kind: str, docs: Sequence[np.ndarray], *, pad: int = 0):
    """Model inputs for a list of id arrays: ``(ids, offsets)`` for bag; for cnn a
    ``(batch, pad + longest + pad)`` tensor with each document at ``pad``, and the lengths."""
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    if kind == "bag":
        offsets = np.zeros(len(docs), dtype=np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        flat = np.concatenate(docs) if len(docs) else np.zeros(0, dtype=np.int64)
        return torch.from_numpy(flat), torch.from_numpy(offsets)
    width = max(int(lengths.max(initial=0)) + 2 * pad, 2 * pad + 1, 5)
    out = np.zeros((len(docs), width), dtype=np.int64)
    for i, d in enumerate(docs):
        out[i, pad:pad + len(d)] = d
    return torch.from_numpy(out), torch.from_numpy(lengths)

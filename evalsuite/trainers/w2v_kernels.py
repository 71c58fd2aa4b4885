"""Hand-written Word2Vec updates (negative sampling) on batches of examples.

No autograd and no optimizer: scores, sigmoids and gradients are computed
explicitly and applied with ``index_add_``, under ``torch.no_grad``. For one
example with input vector ``h``, output vectors ``c`` (the positive target) and
``n_k`` (negatives) and learning rate ``lr``, the objective is

    L = -log σ(h·c) - Σ_k log σ(-h·n_k)

and the applied updates are the word2vec ones (``g = lr * (label - σ(score))``):

    c   += g_0 h            n_k += g_k h            Δh = g_0 c + Σ_k g_k n_k

which equal ``-lr * dL/d(vector)``: e.g. ``dL/dh = (σ(h·c) - 1) c + Σ_k σ(h·n_k) n_k``.
All examples of a batch are scored with the same (pre-update) weights, and
their updates are summed. Summing stale gradients is what sequential SGD does
only while a row is touched a few times; a very frequent word can occur hundreds
of times in one batch (on a small vocabulary, in almost every example), and the
plain sum then overshoots and diverges. So the summed update of a row touched
``m`` times is scaled by ``min(1, ROW_UPDATE_CAP / m)``: rows touched at most
``ROW_UPDATE_CAP`` times (all but the most frequent words of a real corpus) get
exactly the word2vec update.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

#: largest number of summed updates a row receives at full strength in one batch
ROW_UPDATE_CAP = 16


def add_rows(M: torch.Tensor, ids: torch.Tensor, delta: torch.Tensor) -> None:
    """``M[ids] += delta`` with repeated ids summed, each row's sum damped past the cap."""
    counts = torch.bincount(ids, minlength=M.shape[0])
    if int(counts.max()) > ROW_UPDATE_CAP:
        scale = (ROW_UPDATE_CAP / counts.clamp(min=ROW_UPDATE_CAP).to(delta.dtype)).index_select(0, ids)
        delta = delta * scale.unsqueeze(1)
    M.index_add_(0, ids, delta)


def _score_and_update_outputs(
    C: torch.Tensor, h: torch.Tensor, targets: torch.Tensor, negatives: torch.Tensor, lr: float
) -> tuple[torch.Tensor, float]:
    """Shared part of SGNS and CBOW: returns ``Δh`` per example and the summed loss."""
    n, d = h.shape
    out_ids = torch.cat([targets.unsqueeze(1), negatives], dim=1)  # (n, k+1)
    out = C.index_select(0, out_ids.reshape(-1)).view(n, -1, d)  # (n, k+1, d)
    scores = torch.bmm(out, h.unsqueeze(2)).squeeze(2)  # (n, k+1)
    loss = -(F.logsigmoid(scores[:, 0]).sum() + F.logsigmoid(-scores[:, 1:]).sum())
    g = torch.sigmoid(scores).neg_()
    g[:, 0] += 1.0
    g.mul_(lr)  # lr * (label - σ)
    dh = torch.bmm(g.unsqueeze(1), out).squeeze(1)  # (n, d)
    add_rows(C, out_ids.reshape(-1), (g.unsqueeze(2) * h.unsqueeze(1)).view(-1, d))
    return dh, float(loss)


@torch.no_grad()
def sgns_step(
    W: torch.Tensor,
    C: torch.Tensor,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    negatives: torch.Tensor,
    lr: float,
) -> float:
    """One skip-gram negative-sampling step on a batch of pairs, in place.

    Parameters
    ----------
    W, C : Tensor (V, d)
        Input and output embedding matrices, updated in place.
    inputs, targets : LongTensor (n,)
        Word whose input vector is trained, and the word it should predict.
    negatives : LongTensor (n, k)
        Noise words for each pair.
    lr : float
        Learning rate.

    Returns
    -------
    float
        Summed loss of the batch (before the update).
    """
    h = W.index_select(0, inputs)
    dh, loss = _score_and_update_outputs(C, h, targets, negatives, lr)
    add_rows(W, inputs, dh)
    return loss


@torch.no_grad()
def cbow_step(
    W: torch.Tensor,
    C: torch.Tensor,
    centres: torch.Tensor,
    context_ids: torch.Tensor,
    context_owner: torch.Tensor,
    negatives: torch.Tensor,
    lr: float,
    mean: bool = True,
) -> float:
    """One CBOW negative-sampling step, in place, following word2vec.c / gensim.

    ``h`` for centre ``i`` is the sum (``mean=False``) or mean (``mean=True``) of
    ``W`` over its contexts. As in word2vec.c and gensim, each context word then
    receives the whole ``Δh`` when ``mean=True`` and ``Δh / count`` when
    ``mean=False``.

    Parameters
    ----------
    centres : LongTensor (m,)
        Centre words (the targets), each with at least one context.
    context_ids, context_owner : LongTensor (p,)
        Context word ids and the index (into ``centres``) of the centre each belongs to.
    negatives : LongTensor (m, k)
        Noise words per centre.
    """
    m, d = len(centres), W.shape[1]
    h = torch.zeros(m, d, dtype=W.dtype)
    h.index_add_(0, context_owner, W.index_select(0, context_ids))
    count = torch.bincount(context_owner, minlength=m).clamp_(min=1).to(W.dtype).unsqueeze(1)
    if mean:
        h /= count
    dh, loss = _score_and_update_outputs(C, h, centres, negatives, lr)
    if not mean:
        dh /= count
    add_rows(W, context_ids, dh.index_select(0, context_owner))
    return loss

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

The large intermediates (gathered output rows, per-row updates) are written into
the reusable buffers of a :class:`Workspace`: allocating tens of megabytes afresh
every batch costs page faults that can take longer than the arithmetic.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

#: largest number of summed updates a row receives at full strength in one batch
ROW_UPDATE_CAP = 16


class Workspace:
    """Scratch tensors reused from batch to batch (one workspace per thread).

    ``get(name, shape)`` returns a contiguous view of a buffer that is only
    reallocated when a batch needs more room than any before it.
    """

    def __init__(self):
        self._buffers: dict[str, torch.Tensor] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> torch.Tensor:
        """An uninitialised ``shape`` tensor backed by the buffer ``name``."""
        numel = math.prod(shape)
        buf = self._buffers.get(name)
        if buf is None or buf.numel() < numel or buf.dtype != dtype:
            # headroom, so that the next slightly larger batch fits too
            buf = torch.empty(numel + numel // 4 + 64, dtype=dtype)
            self._buffers[name] = buf
        return buf[:numel].view(shape)


def row_scale(ids: torch.Tensor, n_rows: int, dtype: torch.dtype = torch.float32) -> torch.Tensor | None:
    """Per-element damping ``min(1, ROW_UPDATE_CAP / m)`` of ``ids`` (``m``: count of the id).

    ``None`` when no id occurs more than :data:`ROW_UPDATE_CAP` times.
    """
    counts = torch.bincount(ids, minlength=n_rows)
    if int(counts.max()) <= ROW_UPDATE_CAP:
        return None
    return (ROW_UPDATE_CAP / counts.clamp_(min=ROW_UPDATE_CAP).to(dtype)).index_select(0, ids)


def add_rows(M: torch.Tensor, ids: torch.Tensor, delta: torch.Tensor) -> None:
    """``M[ids] += delta`` with repeated ids summed, each row's sum damped past the cap.

    ``delta`` may be scaled in place.
    """
    scale = row_scale(ids, M.shape[0], delta.dtype)
    if scale is not None:
        delta.mul_(scale.unsqueeze(1))
    M.index_add_(0, ids, delta)


def _score_and_update_outputs(
    C: torch.Tensor, h: torch.Tensor, targets: torch.Tensor, negatives: torch.Tensor, lr: float, ws: Workspace
) -> tuple[torch.Tensor, float]:
    """Shared part of SGNS and CBOW: returns ``Δh`` per example and the summed loss."""
    n, d = h.shape
    k1 = negatives.shape[1] + 1
    out_ids = torch.cat([targets.unsqueeze(1), negatives], dim=1).view(-1)  # (n*(k+1),)
    out = torch.index_select(C, 0, out_ids, out=ws.get("out", (n * k1, d), C.dtype)).view(n, k1, d)
    scores = torch.bmm(out, h.unsqueeze(2), out=ws.get("scores", (n, k1, 1), C.dtype)).view(n, k1)
    loss = -(F.logsigmoid(scores[:, 0]).sum() + F.logsigmoid(-scores[:, 1:]).sum())
    g = torch.sigmoid(scores).neg_()
    g[:, 0] += 1.0
    g.mul_(lr)  # lr * (label - σ)
    dh = torch.bmm(g.unsqueeze(1), out, out=ws.get("dh", (n, 1, d), C.dtype)).view(n, d)
    # damping scales each row's g, so the (n, k+1, d) update is built once, in the gather buffer
    scale = row_scale(out_ids, C.shape[0], g.dtype)
    if scale is not None:
        g.mul_(scale.view(n, k1))
    torch.mul(g.unsqueeze(2), h.unsqueeze(1), out=out)
    C.index_add_(0, out_ids, out.view(-1, d))
    return dh, float(loss)


@torch.no_grad()
def sgns_step(
    W: torch.Tensor,
    C: torch.Tensor,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    negatives: torch.Tensor,
    lr: float,
    workspace: Workspace | None = None,
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
    workspace : Workspace, optional
        Scratch buffers to reuse (a fresh one when omitted).

    Returns
    -------
    float
        Summed loss of the batch (before the update).
    """
    ws = workspace if workspace is not None else Workspace()
    h = torch.index_select(W, 0, inputs, out=ws.get("h", (len(inputs), W.shape[1]), W.dtype))
    dh, loss = _score_and_update_outputs(C, h, targets, negatives, lr, ws)
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
    workspace: Workspace | None = None,
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
    workspace : Workspace, optional
        Scratch buffers to reuse (a fresh one when omitted).
    """
    ws = workspace if workspace is not None else Workspace()
    m, p, d = len(centres), len(context_ids), W.shape[1]
    ctx = torch.index_select(W, 0, context_ids, out=ws.get("ctx", (p, d), W.dtype))
    h = ws.get("h", (m, d), W.dtype).zero_()
    h.index_add_(0, context_owner, ctx)
    count = torch.bincount(context_owner, minlength=m).clamp_(min=1).to(W.dtype).unsqueeze(1)
    if mean:
        h /= count
    dh, loss = _score_and_update_outputs(C, h, centres, negatives, lr, ws)
    if not mean:
        dh /= count
    add_rows(W, context_ids, torch.index_select(dh, 0, context_owner, out=ctx))
    return loss

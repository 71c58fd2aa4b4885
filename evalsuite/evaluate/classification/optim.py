"""Adam, AdamW, Adadelta and plain SGD as a few tensor operations.

``torch.optim`` optimizers import ``torch._dynamo`` the first time one is built,
which costs more than a whole MR fine-tuning run on a small machine. These
implement the same update rules (as documented for ``torch.optim``, without
momentum for SGD and without AMSGrad) for the small models trained here.

A parameter whose gradient is sparse (an embedding looked up with ``sparse=True``)
gets a *lazy* update, as ``torch.optim.SparseAdam`` and TensorFlow's LazyAdam do:
only the rows in the gradient move, and only their moments are updated. A dense
update of a 20,000 x 100 embedding costs far more than the rest of a batch.
Weight decay then acts on those rows only, when they are touched.
"""

from __future__ import annotations

import math
from typing import Iterable

import torch


class Optimizer:
    """Minimal optimizer interface: ``zero_grad()`` and ``step()`` over a parameter list.

    Parameters
    ----------
    params : iterable of Tensor
        Parameters to update (those with ``requires_grad``).
    lr : float
        Learning rate (> 0; the fine-tuning settings check it).
    weight_decay : float
        L2 penalty coefficient (coupled for Adam and SGD, decoupled for AdamW; >= 0).
    """

    def __init__(self, params: Iterable[torch.Tensor], *, lr: float, weight_decay: float = 0.0):
        self.params = [p for p in params]
        self.lr, self.weight_decay = float(lr), float(weight_decay)

    def zero_grad(self) -> None:
        """Drop the gradients (as ``set_to_none=True`` does)."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        """Apply one update from the current gradients (lazy, row-wise, for sparse ones)."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            if p.grad.is_sparse:
                grad = p.grad.coalesce()
                rows = grad.indices()[0]
                if len(rows):
                    self._update_rows(i, p, rows, grad.values())
            else:
                self._update(i, p, p.grad)

    def _update(self, i: int, p: torch.Tensor, grad: torch.Tensor) -> None:
        raise NotImplementedError

    def _update_rows(self, i: int, p: torch.Tensor, rows: torch.Tensor, grad: torch.Tensor) -> None:
        """Update the distinct ``rows`` of ``p`` from their gradient rows ``grad``."""
        raise NotImplementedError


class SGD(Optimizer):
    """``p -= lr * (g + weight_decay * p)``."""

    def _update(self, i, p, grad):
        if self.weight_decay:
            grad = grad.add(p, alpha=self.weight_decay)
        p.add_(grad, alpha=-self.lr)

    def _update_rows(self, i, p, rows, grad):
        if self.weight_decay:
            grad = grad.add(p.index_select(0, rows), alpha=self.weight_decay)
        # negated here: index_add_ with alpha != 1 takes a much slower path
        p.index_add_(0, rows, grad.mul(-self.lr))


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with L2 weight decay added to the gradient, as ``torch.optim.Adam``.

    ``m = b1 m + (1-b1) g``, ``v = b2 v + (1-b2) g²``,
    ``p -= lr · (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)``.
    """

    decoupled = False

    def __init__(self, params, *, lr: float = 1e-3, weight_decay: float = 0.0,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr=lr, weight_decay=weight_decay)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = [0] * len(self.params)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def _update(self, i, p, grad):
        self._step(i, p, self.m[i], self.v[i], grad)

    def _update_rows(self, i, p, rows, grad):
        pr, m, v = p.index_select(0, rows), self.m[i].index_select(0, rows), self.v[i].index_select(0, rows)
        self._step(i, pr, m, v, grad)
        for full, part in ((p, pr), (self.m[i], m), (self.v[i], v)):
            full.index_copy_(0, rows, part)

    def _step(self, i, p, m, v, grad):
        """The Adam rule on ``p`` with its moments ``m`` and ``v``, all updated in place."""
        if self.weight_decay:
            if self.decoupled:
                p.mul_(1.0 - self.lr * self.weight_decay)
            else:
                grad = grad.add(p, alpha=self.weight_decay)
        self.t[i] += 1
        t = self.t[i]
        m.lerp_(grad, 1.0 - self.beta1)
        v.mul_(self.beta2).addcmul_(grad, grad, value=1.0 - self.beta2)
        denom = (v.sqrt() / math.sqrt(1.0 - self.beta2**t)).add_(self.eps)
        p.addcdiv_(m, denom, value=-self.lr / (1.0 - self.beta1**t))


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): ``p *= 1 - lr·wd`` before the step."""

    decoupled = True


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012) as Kim (2014) trained with it: ``rho = 0.95``, ``eps = 1e-6``.

    ``Eg = rho Eg + (1-rho) g²``, ``dx = sqrt(Edx + eps) / sqrt(Eg + eps) · g``,
    ``Edx = rho Edx + (1-rho) dx²``, ``p -= lr · dx`` (``lr = 1`` is the paper's rule;
    as ``torch.optim.Adadelta``). Weight decay is added to the gradient.
    """

    def __init__(self, params, *, lr: float = 1.0, weight_decay: float = 0.0, rho: float = 0.95, eps: float = 1e-6):
        super().__init__(params, lr=lr, weight_decay=weight_decay)
        self.rho, self.eps = rho, eps
        self.sq = [torch.zeros_like(p) for p in self.params]
        self.acc = [torch.zeros_like(p) for p in self.params]

    def _update(self, i, p, grad):
        self._step(p, self.sq[i], self.acc[i], grad)

    def _update_rows(self, i, p, rows, grad):
        pr, sq, acc = p.index_select(0, rows), self.sq[i].index_select(0, rows), self.acc[i].index_select(0, rows)
        self._step(pr, sq, acc, grad)
        for full, part in ((p, pr), (self.sq[i], sq), (self.acc[i], acc)):
            full.index_copy_(0, rows, part)

    def _step(self, p, sq, acc, grad):
        if self.weight_decay:
            grad = grad.add(p, alpha=self.weight_decay)
        sq.mul_(self.rho).addcmul_(grad, grad, value=1.0 - self.rho)
        delta = acc.add(self.eps).sqrt_().div_(sq.add(self.eps).sqrt_()).mul_(grad)
        acc.mul_(self.rho).addcmul_(delta, delta, value=1.0 - self.rho)
        p.add_(delta, alpha=-self.lr)


OPTIMIZERS = {"adam": Adam, "adamw": AdamW, "adadelta": Adadelta, "sgd": SGD}


def make_optimizer(name: str, params, *, lr: float, weight_decay: float) -> Optimizer:
    """Build the optimizer called ``name``: one of :data:`OPTIMIZERS`, as the ``optimizer`` setting
    accepts (:data:`~evalsuite.evaluate.classification.settings.SETTINGS`)."""
    return OPTIMIZERS[name](params, lr=lr, weight_decay=weight_decay)

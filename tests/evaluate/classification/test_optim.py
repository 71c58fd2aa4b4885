"""The hand-written optimizers against the published update rules, computed in numpy."""

import numpy as np
import pytest
import torch

from evalsuite.core.errors import ConfigError
from evalsuite.evaluate.classification.optim import OPTIMIZERS, make_optimizer

GRADS = [np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.3, -0.2]), np.array([-0.4, 0.0, 1.0])]
P0 = np.array([1.0, -2.0, 0.5])


def _run(name, lr, wd):
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(name, [p], lr=lr, weight_decay=wd)
    for g in GRADS:
        opt.zero_grad()
        assert p.grad is None
        p.grad = torch.tensor(g)
        opt.step()
    return p.detach().numpy()


def _adam_reference(lr, wd, decoupled, b1=0.9, b2=0.999, eps=1e-8):
    p, m, v = P0.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, start=1):
        if decoupled:
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return p


@pytest.mark.parametrize("wd", [0.0, 0.1])
def test_adam_and_adamw_follow_the_formula(wd):
    np.testing.assert_allclose(_run("adam", 0.01, wd), _adam_reference(0.01, wd, decoupled=False), rtol=1e-12)
    np.testing.assert_allclose(_run("adamw", 0.01, wd), _adam_reference(0.01, wd, decoupled=True), rtol=1e-12)


def test_sgd_with_weight_decay():
    p = P0.copy()
    for g in GRADS:
        p = p - 0.1 * (g + 0.5 * p)
    np.testing.assert_allclose(_run("sgd", 0.1, 0.5), p, rtol=1e-12)


@pytest.mark.parametrize("wd", [0.0, 0.1])
def test_adadelta_follows_the_formula(wd):
    rho, eps = 0.95, 1e-6
    p, sq, acc = P0.copy(), np.zeros(3), np.zeros(3)
    for g in GRADS:
        g = g + wd * p
        sq = rho * sq + (1 - rho) * g * g
        dx = np.sqrt(acc + eps) / np.sqrt(sq + eps) * g
        acc = rho * acc + (1 - rho) * dx * dx
        p = p - dx
    np.testing.assert_allclose(_run("adadelta", 1.0, wd), p, rtol=1e-12)


def test_lazy_adadelta_moves_only_the_rows_in_the_gradient():
    w = torch.ones(4, 2, requires_grad=True)
    opt = make_optimizer("adadelta", [w], lr=1.0, weight_decay=0.0)
    w.grad = torch.sparse_coo_tensor([[1, 3]], torch.tensor([[1.0, -1.0], [2.0, 0.0]]), (4, 2), check_invariants=True)
    opt.step()
    moved = (w.detach() != 1).any(dim=1).tolist()
    assert moved == [False, True, False, True]


def test_first_adam_step_moves_each_coordinate_by_lr():
    # with bias correction, step 1 is lr * g / (|g| + eps): sign(g) * lr
    q = torch.tensor(P0, requires_grad=True)
    opt = make_optimizer("adam", [q], lr=0.01, weight_decay=0.0)
    q.grad = torch.tensor(GRADS[0], dtype=q.dtype)
    opt.step()
    np.testing.assert_allclose(q.detach().numpy(), P0 - 0.01 * np.sign(GRADS[0]), rtol=1e-6)


def test_the_settings_check_optimizer_lr_and_weight_decay():
    from evalsuite.evaluate.classification.settings import SETTINGS, FinetuneSettings

    # the optimizer setting accepts exactly the optimizers there are
    assert set(SETTINGS["optimizer"].constraints[0].options) == set(OPTIMIZERS)
    with pytest.raises(ConfigError, match=r"finetune\.optimizer: must be one of .*got 'rmsprop'"):
        FinetuneSettings(optimizer="rmsprop")
    with pytest.raises(ConfigError, match=r"finetune\.lr: must be a number > 0 or None, got 0"):
        FinetuneSettings(lr=0)
    with pytest.raises(ConfigError, match=r"finetune\.weight_decay: must be a number >= 0, got -1"):
        FinetuneSettings(weight_decay=-1)


@pytest.mark.parametrize("name,wd", [("adam", 0.0), ("adam", 0.1), ("adamw", 0.1), ("sgd", 0.1)])
def test_sparse_gradient_updates_only_its_rows_by_the_formula(name, wd):
    # rows 0 and 2 of a 4-row matrix get GRADS[t] (row 2 with sign flipped) at every step;
    # each touched row must follow the dense rule exactly, the others must not move
    start = np.stack([P0, P0 + 1, -P0, P0 * 2])
    p = torch.tensor(start, requires_grad=True)
    opt = make_optimizer(name, [p], lr=0.01, weight_decay=wd)
    for g in GRADS:
        idx = torch.tensor([[2, 0, 2]])  # row 2 twice: a sparse gradient's duplicates are summed
        vals = torch.tensor(np.stack([-g / 2, g, -g / 2]))
        opt.zero_grad()
        p.grad = torch.sparse_coo_tensor(idx, vals, p.shape, check_invariants=True)
        opt.step()
    out = p.detach().numpy()
    np.testing.assert_array_equal(out[[1, 3]], start[[1, 3]])
    row0 = _run(name, 0.01, wd)
    np.testing.assert_allclose(out[0], row0, rtol=1e-12)
    q = torch.tensor(-P0, requires_grad=True)
    ref = make_optimizer(name, [q], lr=0.01, weight_decay=wd)
    for g in GRADS:
        q.grad = torch.tensor(-g)
        ref.step()
    np.testing.assert_allclose(out[2], q.detach().numpy(), rtol=1e-12)

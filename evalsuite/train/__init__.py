"""Trainers: corpus in, :class:`~evalsuite.core.embeddings.Embeddings` out.

Called, ``evalsuite.train(trainer, corpus, **params)`` is :func:`evalsuite.api.train`.
"""

from evalsuite.train.base import (
    EpochStats,
    ResolvedTrainer,
    Trainer,
    TrainerCallback,
    get_trainer,
    register_trainer,
    trainer_registry,
)

__all__ = ["EpochStats", "ResolvedTrainer", "Trainer", "TrainerCallback", "get_trainer", "register_trainer", "trainer_registry"]

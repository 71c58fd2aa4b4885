"""Trainers: corpus in, :class:`~evalsuite.embeddings.Embeddings` out."""

from evalsuite.trainers.base import (
    EpochStats,
    Trainer,
    TrainerCallback,
    get_trainer,
    register_trainer,
    trainer_registry,
)

__all__ = ["EpochStats", "Trainer", "TrainerCallback", "get_trainer", "register_trainer", "trainer_registry"]

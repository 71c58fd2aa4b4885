"""Evaluation data: bundled datasets, user files, registry."""

from evalsuite.datasets.base import AnalogyDataset, AnalogyQuestion, SimilarityDataset, SimilarityPair
from evalsuite.datasets.registry import list_datasets, load_dataset, register_dataset, unregister_dataset

__all__ = [
    "AnalogyDataset",
    "AnalogyQuestion",
    "SimilarityDataset",
    "SimilarityPair",
    "list_datasets",
    "load_dataset",
    "register_dataset",
    "unregister_dataset",
]

"""Evaluation data: bundled datasets (similarity, analogy, classification), user files, registry."""

from evalsuite.data.datasets.base import AnalogyDataset, AnalogyQuestion, SimilarityDataset, SimilarityPair
from evalsuite.data.datasets.registry import list_datasets, load_dataset, register_dataset, unregister_dataset

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

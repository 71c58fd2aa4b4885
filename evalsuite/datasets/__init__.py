"""Evaluation data: bundled datasets, user files, registry."""

from evalsuite.datasets.base import AnalogyDataset, AnalogyQuestion, SimilarityDataset, SimilarityPair

__all__ = ["AnalogyDataset", "AnalogyQuestion", "SimilarityDataset", "SimilarityPair"]

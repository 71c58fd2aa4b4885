"""Fine-tuning task: text classification over an embedding layer (random, frozen, fine-tuned)."""

from evalsuite.evaluate.classification.settings import FinetuneSettings
from evalsuite.evaluate.classification.sweep import expand, run_finetune
from evalsuite.evaluate.classification.task import ClassificationTask, leak_warning, prepare

__all__ = ["ClassificationTask", "FinetuneSettings", "expand", "leak_warning", "prepare", "run_finetune"]

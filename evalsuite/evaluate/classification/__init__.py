"""Fine-tuning task: text classification over an embedding layer (random, frozen, fine-tuned)."""

from evalsuite.evaluate.classification.runs import prepare_sweep, run_finetune
from evalsuite.evaluate.classification.settings import FinetuneSettings
from evalsuite.evaluate.classification.sweep import expand
from evalsuite.evaluate.classification.task import ClassificationTask, leak_warning, prepare

__all__ = ["ClassificationTask", "FinetuneSettings", "expand", "leak_warning", "prepare", "prepare_sweep",
           "run_finetune"]

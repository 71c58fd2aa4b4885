"""Evaluation tasks: similarity, analogy, classification fine-tuning."""

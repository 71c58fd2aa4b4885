"""Evaluation tasks: similarity, analogy, classification fine-tuning.

Called, ``evalsuite.evaluate(vectors, tasks, protocol)`` is :func:`evalsuite.api.evaluate`.
"""

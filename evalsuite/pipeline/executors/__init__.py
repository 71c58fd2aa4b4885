"""pipeline/executors"""

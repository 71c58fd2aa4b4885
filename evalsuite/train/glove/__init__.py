"""train/glove"""

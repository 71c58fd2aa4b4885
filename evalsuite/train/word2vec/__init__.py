"""train/word2vec"""

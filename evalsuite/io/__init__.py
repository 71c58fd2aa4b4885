"""Reading and writing word-vector files."""

"""Reading, cleaning, structure parsing, chunking, embedding and storage of the index."""

__version__ = "0.1.0"

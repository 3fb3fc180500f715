"""Sentence embeddings shipped as ONNX: the lede vector stage and the encoder it shares."""

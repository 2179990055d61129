"""Embeds and stores chunks in Chroma, and retrieves them: dense, lexical (BM25) and fused."""

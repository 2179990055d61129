"""The web chat desk (Gradio) and its feedback store: a leaf that only uses `assistant`."""

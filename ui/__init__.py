"""The Gradio page. Nothing imports this package."""

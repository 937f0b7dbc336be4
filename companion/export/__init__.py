"""Writing worksheets out: PDF (no Qt)."""

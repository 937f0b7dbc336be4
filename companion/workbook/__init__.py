"""The application layer: every operation the command line and the window use."""
from companion.workbook.book import Workbook

__all__ = ["Workbook"]

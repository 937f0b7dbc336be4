"""Migration & Local Development Companion: the course toolbox and workbook, offline."""

__version__ = "0.1.0"
APP_NAME = "Migration & Local Development Companion"

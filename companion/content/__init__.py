"""Content packs: the toolbox's modules, topics, glossary and worksheet templates (no Qt)."""

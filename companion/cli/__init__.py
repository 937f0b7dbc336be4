"""The command line: one module per feature, named as in companion.workbook."""

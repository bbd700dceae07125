"""Stage 3, check: pure functions from the loaded model and each chapter's index to findings.

One module per rule family; check/table.py pairs each check with its code.
"""

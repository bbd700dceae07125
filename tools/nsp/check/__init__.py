"""Stage 3, check: pure functions from the loaded model and each chapter's index to findings, one module per rule family."""

"""Stage 4, assemble: the chapters' ASTs into one document (numbering, links, citations, generated pages)."""

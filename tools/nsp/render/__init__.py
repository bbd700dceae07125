"""Stage 5, render: the assembled document as PDF (typst), Word and the web edition, one module per format."""

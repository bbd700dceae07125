"""The `nsp` commands, one module each; nsp.cli gathers them into one group."""

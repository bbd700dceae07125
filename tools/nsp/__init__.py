"""nsp: assemble, check and compile the National Strategy Paper."""

__version__ = "0.1.0"

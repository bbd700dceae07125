"""`python -m nsp`: the same command as `nsp`, for where the venv's scripts folder is not on PATH
(a Windows shell, an editor's task runner) or the interpreter must be named explicitly."""

from nsp.cli import main

main()

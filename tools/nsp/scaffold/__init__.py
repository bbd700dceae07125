"""Scaffolds (`nsp new`): a chapter, a theme or a paper, started so that `nsp check` accepts it at once.

`create.py` decides what to write and refuses what would break the manuscript; `listedit.py` adds the new
entry to the list that names it (a theme's `chapters:`, a paper's `themes:`) by editing the file's text, so
that every comment, key order and quote people wrote stays as it was.
"""

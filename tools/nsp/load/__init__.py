"""Stage 1, load: the manifest, themes, people, chapters and bibliography into the model.

Nothing here raises on a user's mistake: every problem is a finding with its file and line.
"""

"""Stage 1, load: read the manifest, themes, people, chapters and bibliography into the model, never raising on a user's mistake."""

"""Stage 2, plan: what a build makes, before anything is rendered.

The outline, bylines, generated pages, output names, and whether it is a draft.
"""

"""Stage 2, plan: what a build makes (outline, bylines, generated pages, targets, draft or not) before anything is rendered."""

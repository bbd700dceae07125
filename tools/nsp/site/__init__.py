"""`nsp site`: the initiative's static website, made from the data nsp holds (see docs/site.md).

data (releases, newsletters, drafts, the network) -> pages (what exists) -> render (jinja2, escaped)
-> feed and sitemap -> links checked -> the whole folder swapped into build/site.
"""

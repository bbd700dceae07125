"""The monthly newsletter: the secretariat's text and the month's data, as PDF, mail HTML and plain text.

edition.py is the entry point (issues, render, write); the stages are source (the month's text),
check, sections (the data), compose (one document), render_pdf, render_mail and render_text.
"""

// only a comment, no module directive


"""Term sheets: deal terms, the profit-sharing waterfall, compliance findings, Markdown/.docx rendering."""

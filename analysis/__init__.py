"""Analysis of dialog's dataset exports (pandas). Imports neither Flask nor `dialog`.

Its only contract with the web application is the export format.
"""

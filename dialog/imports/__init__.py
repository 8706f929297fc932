"""The answer import (`flask import-answers`): contributions from other channels as CSV or XLSX."""

"""Accessibility beyond WCAG: Leichte Sprache, Deutsche Gebärdensprache and the
Erklärung zur Barrierefreiheit with its feedback form (BITV 2.0 § 7).

The texts are ordinary pages (dialog.pages) that staff edit; this package adds what they
cannot hold: the guiding questions in Leichte Sprache, the sign-language video, and the
feedback that reaches staff by the outbox and is deleted once it is dealt with.
"""

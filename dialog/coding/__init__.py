"""Analysts' work on answers: the codebook, coding, ratings and double-coding samples."""

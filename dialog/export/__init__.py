"""The dataset export: answers, coding and event counts as tidy tables in one zip."""

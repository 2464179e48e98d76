"""Fairness: one person's flood or a bulk send never slows another person's reply."""

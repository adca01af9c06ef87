"""Figures: the one theme and the plots every notebook draws."""

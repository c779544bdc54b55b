"""Checking and scoring a validated unit (pure), and comparing two checked units."""

"""Quarterly progress of tambon projects: activity status, indicator actuals, money spent, evidence; reviewed four-eyes."""

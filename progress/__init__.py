"""Quarterly progress of tambon projects: activity status, indicator actuals, money spent, evidence.

Reviewed four-eyes by the province.
"""

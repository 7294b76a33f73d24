"""Capacity building: CRISP assessments, technical assistance, training and GROW."""

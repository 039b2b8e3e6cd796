"""Figures and the workshop report; reads tables and analysis results, never the model."""

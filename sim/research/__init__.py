"""Researchers' tools: global sensitivity analysis (SALib), scenario discovery (a shallow
decision tree) and calibration (pyabc's ABC-SMC). Each builds a design, runs it through
:mod:`sim.experiment` and reduces the tables with :mod:`sim.analysis`; SALib, pyabc and
scikit-learn come with the optional ``research`` extra and are imported only when used."""

from sim.research import calibration, discovery, posterior, sensitivity

__all__ = ["calibration", "discovery", "posterior", "sensitivity"]

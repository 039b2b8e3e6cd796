"""The state of a run: the graph and its ties (:mod:`.graphs`, :mod:`.world`), people and
their fatigue (:mod:`.world`), what everyone thinks of and owes each seeker (:mod:`.opinions`),
the openings (:mod:`.market`) and the seekers' leads (:mod:`.leads`); and the run's compiled
state bound to them (:mod:`.compiled_run`).

State is data with the operations that keep it consistent (lazy decay, growing columns). It
knows nothing of the mechanisms that change it.
"""

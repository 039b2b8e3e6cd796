"""The mechanisms: one module per ODD submodel of docs/model.md (§3.3).

- :mod:`.approach`: a call, from the contact's answer to what the conversation does (eqs. 2-4, 15).
- :mod:`.endorsement`: a referrer vouching for the seeker (eq. 2).
- :mod:`.names`: names offered, forced and followed up (eqs. 5, 16).
- :mod:`.mop_up`: mop-up calls (eq. 6).
- :mod:`.gossip`: reputation travelling along ties (eq. 7).
- :mod:`.hiring`: job talk, leads, interviews, offers and hires (eqs. 8-10).
- :mod:`.giving`: gifts, introductions, keeping in touch, receiving unasked (eqs. 13, 14).

Mechanisms are functions of a run's state (:class:`sim.model.run_state.RunState`); they call
the equations (:mod:`sim.model.equations`) and, where compiled code can give the same answer,
the kernels (:mod:`sim.model.kernels`).
"""

"""Risk-based targeting inside the system (issue 12): the engine (``xiaoneng.targeting``)
trained on the register's own inspection history, its stored versions, scores and
evaluations, and the Chicago adapter. See docs/targeting.md.

It reads inspections, findings, complaints and cases, so it sits above them; the planning side
reads its scores through the register (``registry.RiskScore``), never by importing this app.
"""

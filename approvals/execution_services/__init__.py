"""The services a plan in execution owes the workers who leave the enterprise (冀人社发〔2018〕38号 §四):
employment services with their minimum, employment-difficulty persons, zero-employment households and
self-employment support. Which workers leave: execution_services.rules.leaves_enterprise.

The closing gate asks `service_shortfalls(session, plan_id)` who is still short of the minimum services.
"""

from approvals.execution_services.services import Shortfall, service_shortfalls

__all__ = ["Shortfall", "service_shortfalls"]

"""The resource ledger (资源消耗登记台帐, 篇5): what each activity cost, what it yielded (computed
from the records the system already holds), the quotas (定额) and the efficiency ratios."""

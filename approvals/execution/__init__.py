"""The execution stage (实施, domain.md §6): each worker's record, the deadlines the law sets after the end
of a labour relation, the ledger the pages and the API read, and the checks that close a plan."""

"""Pure rules from the notice and the law: no database, no Flask."""

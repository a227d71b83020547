"""Use cases. Each takes (session, engine, *, actor, ...), flushes, and never commits."""

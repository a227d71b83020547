"""Reads that pages and the API share (lists, queues): each a query within what the reader may see,
beside the services that write; no Flask, no writes."""

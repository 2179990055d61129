"""`report-qa bench`: what report-qa costs on this machine (ingest, start-up, latency, load, scale, server mode)."""

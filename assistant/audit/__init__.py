"""The report audit, one package: the findings it records (`findings`), its figures' labels (`labels`), the checks
that find them (`checks`), the auditor that runs the checks over a report's chunks (`auditor`), and `report-qa audit`
(`cli`). Each module imports only those listed before it."""

from assistant.audit.auditor import audit_chunks, audit_document, audit_notes
from assistant.audit.findings import KIND_LABELS, STATUS_LABELS, Finding, Kind, Span, Status

__all__ = ["KIND_LABELS", "STATUS_LABELS", "Finding", "Kind", "Span", "Status", "audit_chunks", "audit_document",
           "audit_notes"]

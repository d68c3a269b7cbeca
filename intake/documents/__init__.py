"""Documents on their way from a resident's chat to the sealed store.

The package itself exports what is light: a pending document (the hand-over from a desk's step
to the pipeline, with its attempt's blob name) and the check-and-seal function the photo worker
processes run. The pipeline (`intake.documents.pipeline`) and the start-up sweep of unowned
files (`intake.documents.orphans`) are imported by name: the worker processes start from a fork
server that imports only this package, and kept small that way (55 MB against 96 MB each with
the pipeline's imports: SQLAlchemy, the desks).
"""

from intake.documents._pending import PendingDocument, blob_name
from intake.documents._sealing import SealedDocument, check_seal_and_store

__all__ = [
    "PendingDocument",
    "SealedDocument",
    "blob_name",
    "check_seal_and_store",
    "orphans",
    "pipeline",
]

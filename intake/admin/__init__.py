"""Administration, from the command line: the province's units and the commune's villages,
parcels and target households (CSV imports), keys (commune, escrow, field-key rotation), the
officer's pull of submissions to a folder, what `hoso status` shows, the audit chain's
verification and keying, backups and their restore, and the demo's data."""

from intake.admin._audit_chain import check_audit_chain, key_audit_chain, seal_audit_chain
from intake.admin._backup import BackupMade, make_backup
from intake.admin._backup_manifest import BackupError, Manifest, status_record
from intake.admin._demo import (
    DEMO_CHIEF_USER,
    DEMO_COMMUNE,
    DEMO_OFFICER_USER,
    DEMO_PROVINCE,
    DEMO_TARGETS,
    DEMO_VILLAGES,
    DemoSetup,
    prepare_demo,
)
from intake.admin._imports import (
    CsvProblem,
    ImportRefused,
    ImportResult,
    import_parcels,
    import_targets,
    import_villages,
    read_csv,
)
from intake.admin._keys import (
    EscrowExists,
    KeyCreated,
    MissingKey,
    RotationResult,
    UnknownCommune,
    create_commune_key,
    create_escrow_key,
    recipients_for_commune,
    record_field_keys,
    rotate_field_keys,
    unlock_commune_key,
)
from intake.admin._pull import (
    PullPlan,
    UnknownVillage,
    check_identity,
    plan_pull,
    record_pull,
)
from intake.admin._pull_writer import (
    CSV_FILE,
    SUBMISSION_FILE,
    PullFolder,
    PullResult,
    pull_into_folder,
)
from intake.admin._restore import Restored, restore_backup, verify_backup
from intake.admin._status import ProvinceStatus, Status, collect_status
from intake.admin._units import (
    UnitsImported,
    UnknownProvince,
    import_province,
    official_province,
    receipt_prefix,
)

__all__ = [
    "CSV_FILE",
    "DEMO_CHIEF_USER",
    "DEMO_COMMUNE",
    "DEMO_OFFICER_USER",
    "DEMO_PROVINCE",
    "DEMO_TARGETS",
    "DEMO_VILLAGES",
    "SUBMISSION_FILE",
    "BackupError",
    "BackupMade",
    "CsvProblem",
    "DemoSetup",
    "EscrowExists",
    "ImportRefused",
    "ImportResult",
    "KeyCreated",
    "Manifest",
    "MissingKey",
    "ProvinceStatus",
    "PullFolder",
    "PullPlan",
    "PullResult",
    "Restored",
    "RotationResult",
    "Status",
    "UnitsImported",
    "UnknownCommune",
    "UnknownProvince",
    "UnknownVillage",
    "check_audit_chain",
    "check_identity",
    "collect_status",
    "create_commune_key",
    "create_escrow_key",
    "import_parcels",
    "import_province",
    "import_targets",
    "import_villages",
    "key_audit_chain",
    "make_backup",
    "official_province",
    "plan_pull",
    "prepare_demo",
    "pull_into_folder",
    "read_csv",
    "receipt_prefix",
    "recipients_for_commune",
    "record_field_keys",
    "record_pull",
    "restore_backup",
    "rotate_field_keys",
    "seal_audit_chain",
    "status_record",
    "unlock_commune_key",
    "verify_backup",
]

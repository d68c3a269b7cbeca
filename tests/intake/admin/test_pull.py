"""The officer's pull through the services: what lands in the folder is what was sealed, the
fields are right, filters and resumption work, and a wrong key stops with nothing half-written."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from crypto import CommuneRecipients, create_identity, open_document
from intake.admin import (
    PullFolder,
    UnknownCommune,
    UnknownVillage,
    create_commune_key,
    create_escrow_key,
    import_province,
    plan_pull,
    pull_into_folder,
)
from intake.exports import IdentityMismatch, PulledSubmission, safe_name
from intake.exports import csv_cell as _excel_cell
from storage.deps import Deps
from storage.models import Blob, Document, Event, Submission
from storage.states import DocumentStatus
from tests.fixtures.pull_data import (
    COMMUNE,
    OTHER_COMMUNE,
    Doc,
    add_submission,
    add_villages,
    jpeg,
)

PASSPHRASE = "a long passphrase 123"
HOA = " – Nguyễn Thị Hoà"  # the folder name's end for the fixture's default holder
PDF = b"%PDF-1.7\n" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 100


async def setup_units(deps: Deps) -> None:
    await import_province(deps, "66")
    await add_villages(deps)


def fast_recipients() -> CommuneRecipients:
    """Recipients without a passphrase-locked commune key (that costs ~1.5 s to make)."""
    return CommuneRecipients(COMMUNE, (create_identity().recipient,), create_identity().recipient)


def prepared(path: Path) -> PullFolder:
    folder = PullFolder(path)
    folder.prepare()
    return folder


def saved(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "submission.json").read_text(encoding="utf-8"))
    return data


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".")]


async def pull_events(deps: Deps) -> list[dict[str, Any]]:
    async with deps.database.sessions() as session:
        events = await session.scalars(select(Event).where(Event.action == "pull"))
        return [event.data for event in events]


async def test_pull_opens_documents_and_writes_fields_json_and_csv(
    deps: Deps, tmp_path: Path
) -> None:
    await setup_units(deps)
    escrow = await create_escrow_key(deps, "66")
    key = await create_commune_key(deps, COMMUNE, PASSPHRASE)
    front, back, owner, odd = jpeg("front"), PNG, PDF, b"odd bytes"
    await add_submission(
        deps,
        "HP-7Q3K9",
        [
            Doc("cccd_front", front),
            Doc("cccd_back", back, "png"),
            Doc("cert_owner", owner, "pdf"),
            Doc("cert_owner", PDF + b"page 2", "pdf"),  # a second page in the same slot
            Doc("other", odd, None),
            Doc("cert_cover", None, status=DocumentStatus.REFUSED, issues={"blurry": True}),
            Doc("cert_changes", None, status=DocumentStatus.DELETED),
        ],
        holder="Nguyễn Thị Hoà",
        submitted_at=datetime(2025, 3, 1, 2, 30, tzinfo=UTC),
    )
    await add_submission(
        deps,
        "HP-2M8XA",
        [Doc("cccd_front", jpeg("gone")), Doc("cccd_back", jpeg("bad"))],
        village=None,
        holder='=HYPERLINK("http://evil")',
        cccd="001190000001",
        phone=None,
        serial=None,
        submitted_at=datetime(2025, 3, 2, tzinfo=UTC),
    )
    await add_submission(deps, "OT-1", [], commune=OTHER_COMMUNE, village="OT-01")
    async with deps.database.sessions() as session:
        names = list(
            await session.scalars(
                select(Blob.name)
                .join(Document, Document.blob_id == Blob.id)
                .join(Submission, Document.submission_id == Submission.id)
                .where(Submission.receipt_code == "HP-2M8XA")
                .order_by(Document.message_id)
            )
        )
    deps.blobs.delete(names[0])
    deps.blobs.path_of(names[1]).write_bytes(b"not what was sealed")

    out = tmp_path / "out"
    plan = await plan_pull(deps, COMMUNE)
    result = await pull_into_folder(deps, plan, prepared(out), key.identity)

    assert (result.pulled, result.skipped, result.problems, result.csv_rows) == (2, 0, 2, 2)
    first = out / "HP-7Q3K9 – Nguyễn Thị Hoà"
    # Only each slot's current document: the newer cert_owner page replaced the first.
    assert sorted(p.name for p in first.iterdir()) == [
        "cccd_back.png",
        "cccd_front.jpg",
        "cert_owner.pdf",
        "other.bin",
        "submission.json",
    ]
    assert (first / "cccd_front.jpg").read_bytes() == front
    assert (first / "cccd_back.png").read_bytes() == back
    assert (first / "cert_owner.pdf").read_bytes() == PDF + b"page 2"
    assert (first / "other.bin").read_bytes() == odd
    info = saved(first)
    assert {k: info[k] for k in ("receipt_code", "state", "village_code", "village_name")} == {
        "receipt_code": "HP-7Q3K9",
        "state": "submitted",
        "village_code": "HP-01",
        "village_name": "Thôn Hòa Bình",
    }
    assert info["holder_name"] == "Nguyễn Thị Hoà"
    assert info["folder"] == first.name
    assert (info["cccd"], info["phone"], info["certificate_serial"]) == (
        "066190012345",
        "0912345678",
        "CS 123456",
    )
    assert (info["route"], info["whose"], info["certificate_status"]) == ("chosen", "self", "held")
    assert (info["map_sheet"], info["parcel_no"]) == ("12", "345")
    # Every time in Vietnam time with its offset.
    assert info["submitted_at"] == "2025-03-01T09:30:00+07:00"
    assert info["updated_at"].endswith("+07:00")
    assert info["sealed"] is False
    documents = {d["slot"]: d for d in info["documents"]}
    assert list(documents) == ["cccd_front", "cccd_back", "cert_owner", "other"]
    assert all(d["received_at"].endswith("+07:00") for d in info["documents"])
    front_entry = documents["cccd_front"]
    assert front_entry["file"] == "cccd_front.jpg"
    assert front_entry["sha256"] == hashlib.sha256(front).hexdigest()
    assert front_entry["status"] == "stored"
    assert front_entry["metrics"] == {"blur": 123.4}
    assert front_entry["problem"] is None
    assert documents["cert_owner"]["sha256"] == hashlib.sha256(PDF + b"page 2").hexdigest()
    history = [(d["slot"], d["status"]) for d in info["history"]]
    assert history == [
        ("cert_owner", "stored"),  # the older page, kept on the server but not current
        ("cert_cover", "refused"),
        ("cert_changes", "deleted"),
    ]
    assert info["history"][1]["quality_issues"] == {"blurry": True}
    assert all(d["received_at"].endswith("+07:00") for d in info["history"])

    second_folder = out / "HP-2M8XA – =HYPERLINK( http evil )"
    second = saved(second_folder)
    assert [(d["slot"], d["file"], d["problem"]) for d in second["documents"]] == [
        ("cccd_front", None, "missing"),
        ("cccd_back", None, "damaged"),
    ]
    assert (second["village_code"], second["route"], second["phone"]) == (None, "triage", None)
    assert not any(p.name.startswith("OT-1") for p in out.iterdir())

    raw = (out / "submissions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã hồ sơ,Họ tên người sử dụng đất,Số CCCD,Số điện thoại,")
    rows = list(csv.DictReader(lines))
    assert [r["Mã hồ sơ"] for r in rows] == ["HP-7Q3K9", "HP-2M8XA"]
    assert rows[0]["Họ tên người sử dụng đất"] == "Nguyễn Thị Hoà"
    assert (rows[0]["Thôn"], rows[0]["Mã thôn"]) == ("Thôn Hòa Bình", "HP-01")
    assert (rows[0]["Trạng thái"], rows[0]["Mã trạng thái"]) == (
        "đã nộp, chờ xem xét",
        "submitted",
    )
    assert (rows[0]["Tình trạng sổ"], rows[0]["Mã tình trạng sổ"]) == (
        "người dân đang giữ",
        "held",
    )
    assert (rows[0]["Sổ đứng tên"], rows[0]["Phân thôn theo"]) == ("người nộp", "người nộp chọn")
    assert rows[0]["Số CCCD"] == '="066190012345"'  # Excel keeps the leading zero
    assert rows[0]["Thời gian nộp (giờ Việt Nam)"] == "2025-03-01T09:30:00+07:00"
    assert rows[0]["Số tài liệu"] == "4"
    assert rows[0]["Thư mục"] == first.name
    assert rows[1]["Họ tên người sử dụng đất"].startswith("'=")  # never a formula in Excel
    assert rows[1]["Sự cố tệp"] == (
        "Căn cước — mặt trước: mất tệp trong kho; Căn cước — mặt sau: tệp trong kho bị hỏng"
    )
    assert rows[1]["Phân thôn theo"] == "chưa rõ thôn"
    assert leftovers(out) == []

    [event] = await pull_events(deps)
    assert event["count"] == 2
    assert event["receipts"] == ["HP-7Q3K9", "HP-2M8XA"]
    assert (event["sealed"], event["village"], event["since"]) == (False, None, None)
    assert (event["complete"], event["recipient"]) == (True, key.recipient)
    assert escrow.recipient != key.recipient


async def test_village_and_since_filters_use_vietnam_days(deps: Deps, tmp_path: Path) -> None:
    await setup_units(deps)
    late_28 = datetime(2025, 2, 28, 16, 59, tzinfo=UTC)  # 23:59 on 28 February in Vietnam
    early_1 = datetime(2025, 2, 28, 17, 0, tzinfo=UTC)  # 00:00 on 1 March in Vietnam
    await add_submission(deps, "HP-A", [], village="HP-01", submitted_at=late_28)
    await add_submission(deps, "HP-B", [], village="HP-01", submitted_at=early_1)
    await add_submission(deps, "HP-C", [], village="HP-02", submitted_at=early_1)
    await add_submission(deps, "HP-D", [], village=None, submitted_at=early_1)

    def receipts(plan: Any) -> list[str]:
        return [record.receipt_code for record in plan.submissions]

    assert receipts(await plan_pull(deps, COMMUNE)) == ["HP-A", "HP-B", "HP-C", "HP-D"]
    assert receipts(await plan_pull(deps, COMMUNE, village_code="HP-01")) == ["HP-A", "HP-B"]
    since = date(2025, 3, 1)
    assert receipts(await plan_pull(deps, COMMUNE, since=since)) == ["HP-B", "HP-C", "HP-D"]
    both = await plan_pull(deps, COMMUNE, village_code="HP-01", since=since)
    assert receipts(both) == ["HP-B"]

    out = prepared(tmp_path / "out")
    await pull_into_folder(deps, both, out, None)
    assert sorted(p.name for p in out.root.iterdir()) == ["HP-B" + HOA, "submissions.csv"]
    # The CSV lists every submission in the folder, also those of earlier pulls.
    await pull_into_folder(deps, await plan_pull(deps, COMMUNE, village_code="HP-02"), out, None)
    assert out.write_csv() == 2
    events = await pull_events(deps)
    assert [(e["village"], e["since"]) for e in events] == [
        ("HP-01", "2025-03-01"),
        ("HP-02", None),
    ]

    with pytest.raises(UnknownVillage, match="no village 'OT-01' in commune 24175"):
        await plan_pull(deps, COMMUNE, village_code="OT-01")  # another commune's village
    with pytest.raises(UnknownCommune):
        await plan_pull(deps, "99999")


async def test_sealed_pull_writes_the_stored_age_files(deps: Deps, tmp_path: Path) -> None:
    await setup_units(deps)
    escrow = await create_escrow_key(deps, "66")
    key = await create_commune_key(deps, COMMUNE, PASSPHRASE)
    photo = jpeg("front")
    await add_submission(deps, "HP-S1", [Doc("cccd_front", photo), Doc("cert_owner", PDF, "pdf")])
    out = tmp_path / "out"
    await pull_into_folder(deps, await plan_pull(deps, COMMUNE), prepared(out), None)

    folder = out / f"HP-S1{HOA}"
    sealed = (folder / "cccd_front.jpg.age").read_bytes()
    async with deps.database.sessions() as session:
        blobs = {b.sha256: b.name for b in await session.scalars(select(Blob))}
    assert sealed == deps.blobs.read(blobs[hashlib.sha256(sealed).digest()])
    assert open_document(sealed, key.identity) == photo
    assert open_document(sealed, escrow.identity) == photo
    info = saved(folder)
    assert info["sealed"] is True
    assert [(d["file"], d["sha256"]) for d in info["documents"]] == [
        ("cccd_front.jpg.age", None),
        ("cert_owner.pdf.age", None),
    ]
    assert info["documents"][0]["sealed_sha256"] == hashlib.sha256(sealed).hexdigest()
    assert (await pull_events(deps))[0]["sealed"] is True

    if shutil.which("age") is None:
        pytest.skip("the `age` command is not installed (apt-get install age); pyrage checked")
    identity_file = tmp_path / "identity.txt"
    identity_file.write_text(key.identity.file_text())
    opened = await asyncio.to_thread(
        subprocess.run,
        ["age", "-d", "-i", str(identity_file), str(folder / "cert_owner.pdf.age")],
        capture_output=True,
        check=True,
    )
    assert opened.stdout == PDF


async def test_wrong_identity_stops_and_keeps_finished_folders(deps: Deps, tmp_path: Path) -> None:
    await setup_units(deps)
    pending = Doc("cccd_front", None, status=DocumentStatus.PENDING)
    await add_submission(deps, "HP-1", [pending], submitted_at=datetime(2025, 3, 1, tzinfo=UTC))
    await add_submission(
        deps,
        "HP-2",
        [Doc("cccd_front", jpeg("x"))],
        submitted_at=datetime(2025, 3, 2, tzinfo=UTC),
        recipients=fast_recipients(),
    )
    out = tmp_path / "out"
    plan = await plan_pull(deps, COMMUNE)
    with pytest.raises(IdentityMismatch, match="does not open commune 24175's documents"):
        await pull_into_folder(deps, plan, prepared(out), create_identity())
    # refused before anything is written: not even fields of a submission without documents
    assert [p for p in out.iterdir() if not p.name.startswith(".")] == []
    assert await pull_events(deps) == []


async def test_an_interrupted_pull_finishes_the_rest_and_skips_current_folders(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await setup_units(deps)
    recipients = fast_recipients()
    for number in range(1, 5):
        await add_submission(
            deps,
            f"HP-{number}",
            [Doc("cccd_front", jpeg(str(number)))],
            submitted_at=datetime(2025, 3, number, tzinfo=UTC),
            recipients=recipients,
        )
    out = prepared(tmp_path / "out")
    real_write = PullFolder.write
    calls = []

    def crash_after_first(self: PullFolder, pulled: PulledSubmission) -> Path:
        calls.append(pulled.record.receipt_code)
        if len(calls) == 2:  # die mid-write, as a killed process would
            (self.root / f".{pulled.record.receipt_code}.partial-dead").mkdir()
            raise KeyboardInterrupt
        return real_write(self, pulled)

    monkeypatch.setattr(PullFolder, "write", crash_after_first)
    plan = await plan_pull(deps, COMMUNE)
    with pytest.raises(KeyboardInterrupt):
        await pull_into_folder(deps, plan, out, None)
    monkeypatch.undo()
    assert sorted(p.name for p in out.root.iterdir()) == [".HP-2.partial-dead", "HP-1" + HOA]

    (out.root / ".submissions.csv.partial-dead").write_text("half a csv")
    assert out.prepare() == 2
    result = await pull_into_folder(deps, plan, out, None)
    assert (result.pulled, result.skipped, result.csv_rows) == (3, 1, 4)
    assert leftovers(out.root) == []
    for number in range(1, 5):
        assert (out.root / f"HP-{number}{HOA}" / "cccd_front.jpg.age").is_file()

    # Nothing changed: nothing is pulled again. A changed submission, a deleted file or the
    # other mode (opened instead of sealed) makes that folder be pulled again.
    plan = await plan_pull(deps, COMMUNE)
    assert (await pull_into_folder(deps, plan, out, None)).pulled == 0
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.receipt_code == "HP-3")
            .values(updated_at=datetime.now(UTC))
        )
    (out.root / f"HP-4{HOA}" / "cccd_front.jpg.age").unlink()
    result = await pull_into_folder(deps, await plan_pull(deps, COMMUNE), out, None)
    assert (result.pulled, result.skipped) == (2, 2)
    assert (out.root / f"HP-4{HOA}" / "cccd_front.jpg.age").is_file()

    # A corrected name renames the folder: the receipt keeps one folder.
    async with deps.database.sessions.begin() as session:
        row = await session.scalar(select(Submission).where(Submission.receipt_code == "HP-2"))
        assert row is not None
        row.holder_name_enc = deps.fields.encrypt(
            'Lê Văn "Tư"/Út', table="submission", column="holder_name_enc", row=row.id
        )
        row.updated_at = datetime.now(UTC)
    result = await pull_into_folder(deps, await plan_pull(deps, COMMUNE), out, None)
    assert (result.pulled, result.skipped) == (1, 3)
    assert sorted(p.name for p in out.root.iterdir() if p.name.startswith("HP-2")) == [
        "HP-2 – Lê Văn Tư Út"
    ]
    events = await pull_events(deps)
    assert [(e["count"], e["skipped"], e["complete"]) for e in events] == [
        (1, 0, False),
        (3, 1, True),
        (0, 4, True),
        (2, 2, True),
        (1, 3, True),
    ]


def test_names_are_safe_and_unique() -> None:
    assert safe_name("HP-7Q3K9") == "HP-7Q3K9"
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("..") == "_"
    assert safe_name("") == "_"
    assert safe_name("a b/c\\d") == "a_b_c_d"


def test_excel_cells_keep_identifiers_and_never_start_a_formula() -> None:
    assert _excel_cell("066190012345", identifier=True) == '="066190012345"'
    assert _excel_cell("+84912345678", identifier=True) == '="+84912345678"'
    assert _excel_cell("CS 123456", identifier=True) == "CS 123456"
    assert _excel_cell("Nguyễn Thị Hoà") == "Nguyễn Thị Hoà"
    assert _excel_cell("=1+2") == "'=1+2"
    assert _excel_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _excel_cell("-2") == "'-2"
    assert _excel_cell(None, identifier=True) == ""

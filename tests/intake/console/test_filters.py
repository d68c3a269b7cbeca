"""The queue's filter in the URL (pure): read back what links write, refuse what no link of
ours makes, and read a search text as a name, a receipt, a CCCD or a parcel."""

from __future__ import annotations

import pytest

from intake.console import FilterError, QueueFilter
from intake.submissions import read_search
from storage.states import SubmissionState


def test_default_filter_has_no_parameters() -> None:
    wanted = QueueFilter.read({})
    assert wanted == QueueFilter()
    assert wanted.query() == ""
    assert wanted.states is None
    assert not wanted.triage


def test_a_filter_survives_its_own_link() -> None:
    wanted = QueueFilter.read(
        {"village": "12", "state": "needs_info", "order": "newest", "q": "Hòa  Phú", "page": "3"}
    )
    assert wanted.village_id == 12
    assert wanted.states == (SubmissionState.NEEDS_INFO,)
    assert wanted.q == "Hòa Phú"  # NFC, spaces collapsed
    again = QueueFilter.read(wanted.params())
    assert again == wanted
    assert "page=0" not in wanted.query(page=0)
    assert QueueFilter.read({"village": "none"}).triage
    assert QueueFilter.read({"state": "all"}).states == tuple(SubmissionState)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"village": "abc"}, "console.bad_filter"),
        ({"village": "1" * 12}, "console.bad_filter"),
        ({"state": "deleted"}, "console.bad_filter"),
        ({"order": "random"}, "console.bad_filter"),
        ({"page": "-1"}, "console.bad_filter"),
        ({"page": "9" * 30}, "console.bad_filter"),
        ({"commune": "x"}, "console.bad_filter"),
        ({"q": "a" * 101}, "console.search_too_long"),
    ],
)
def test_what_no_link_makes_is_refused(query: dict[str, str], key: str) -> None:
    with pytest.raises(FilterError) as refused:
        QueueFilter.read(query)
    assert refused.value.key == key


def test_search_reads_names_receipts_cccd_and_parcels() -> None:
    assert read_search("  ") is None
    by_name = read_search("Nguyễn Văn")
    assert by_name is not None
    assert by_name.name == "nguyen van"
    assert by_name.receipt is None
    by_receipt = read_search("hp-7k2mq")
    assert by_receipt is not None
    assert by_receipt.receipt == "HP-7K2MQ"
    assert by_receipt.name is None
    by_cccd = read_search("066 090 012 345")
    assert by_cccd is not None
    assert by_cccd.cccd == "066090012345"
    assert by_cccd.name is None
    by_parcel = read_search("12 / 345")
    assert by_parcel is not None
    assert (by_parcel.map_sheet, by_parcel.parcel_no) == ("12", "345")
    one_number = read_search("345")
    assert one_number is not None
    assert (one_number.map_sheet, one_number.parcel_no) == (None, "345")

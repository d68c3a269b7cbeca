"""An object store that cannot be reached while an officer works: the submission's page and
the document say "unavailable, try again" (not an error page), and an export goes through with
each document's problem noted instead of its file."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import uuid
import zipfile
from typing import Any

from storage.deps import Deps
from storage.states import StaffRole
from tests.fixtures.commune import join as join_staff
from tests.fixtures.console import PASSPHRASE, signed_in, stored_documents
from tests.fixtures.s3 import S3Server
from tests.fixtures.world import open_world, resident_submits

UNAVAILABLE_VI = "Tạm thời không lấy được giấy tờ này từ kho lưu trữ. Hãy thử lại sau ít phút."


async def test_an_unreachable_store_says_try_again(
    deps: Deps, flaky_s3: tuple[S3Server, list[Any]]
) -> None:
    s3, servers = flaky_s3
    deps = dataclasses.replace(deps, blobs=s3.spec(f"test/{uuid.uuid4().hex}").open())
    async with open_world(deps) as world:
        officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
        _, code = await resident_submits(world, "Nguyễn Văn An")
        documents = await stored_documents(world, code)  # sealed into the bucket
        async with await signed_in(world, officer) as browser:
            _, page = await browser.get(f"/console/s/{code}")
            commune = re.search(r'name="commune" value="(\d+)"', page)
            assert commune is not None
            servers[0].stop()

            status, page = await browser.post(
                "/console/unlock",
                {
                    "commune": commune.group(1),
                    "passphrase": PASSPHRASE,
                    "back": f"/console/s/{code}",
                },
            )
            assert status == 200
            assert page.count(UNAVAILABLE_VI) == len(documents)
            document_id, _ = documents["cccd_front"]
            async with browser.http.get(f"{browser.base}/console/d/{document_id}") as response:
                assert response.status == 409
                assert await response.text() == UNAVAILABLE_VI

            async with browser.http.get(f"{browser.base}/console/export/zip") as response:
                assert response.status == 200
                archive = zipfile.ZipFile(io.BytesIO(await response.read()))
        [saved] = [n for n in archive.namelist() if n.endswith("/submission.json")]
        problems = {d["slot"]: d["problem"] for d in json.loads(archive.read(saved))["documents"]}
        assert problems == dict.fromkeys(documents, "unavailable")
        assert not [n for n in archive.namelist() if n.endswith(".jpg")]  # no file, none broken

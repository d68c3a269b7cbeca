"""Every SQL statement hoso runs, one module per aggregate. A repository function takes the
session of the service that called it and never commits: the service owns the transaction
(`async with deps.database.sessions.begin() as session`). Hot statements are built once, at
import, where a measurement showed that building them cost more than running them; each such
module says so with its figure.

- `audit` — the hash-chained event log
- `updates` — Telegram update ids already handled; the polling inbox
- `places` — provinces, communes, villages, parcels and targets; the residents' directory
- `keys` — commune keys, the escrow recipient, field-key records
- `residents` — citizens and their drafts (version-checked), owed replies, idle drafts
- `consents` — the privacy notices as shown and the consents given and withdrawn
- `documents` — pending documents, their leases and verdicts, blobs
- `submissions` — routing look-ups, submissions, their documents, queues and cards
- `outbox` — messages to send, their leases and settles
- `staff` — staff members, invitations, command menus, who is told what
- `reports` — progress figures and the households still missing
- `processes` — process heartbeats and the reaping of dead processes
- `locks` — PostgreSQL advisory locks: one chat's events, a poller's start, the migrations
- `pull` — what an export reads
- `status` — the counts `hoso status` shows
- `backup` — the sealed files a backup copies; PostgreSQL's catalog around pg_dump and pg_restore
- `retention` — what retention destroys (decided submissions' documents) and erases (fields)
"""

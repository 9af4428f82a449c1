"""Sync between phones and the office (protocol v1, under /api/v1). See docs/sync.md.

Office side:  server.py (FastAPI routes, create_app, serve), auth.py (enrolment codes,
              device tokens), policy.py (who may push/pull what), blobs.py (photo files),
              storage.py (office bookkeeping tables, server id, backup/restore).
Phone side:   client.py (SyncClient.run, enrol), channel.py (one HTTP exchange: retries,
              protocol marker), phonebook.py (acks, pending errors, pull cursor),
              result.py (SyncResult, Progress, SyncIssue).
Both:         protocol.py (limits, statuses, error codes; their zh-CN texts are in
              fieldapp/text/common.py, SYNC_MESSAGES).
"""

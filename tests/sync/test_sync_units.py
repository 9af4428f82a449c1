"""Small pieces without a server: protocol helpers, the blob layout, the server identity."""

from __future__ import annotations

import hashlib

import pytest

from fieldapp.photos import photo_path
from fieldapp.ui import strings
from sync import protocol as p
from sync import storage
from sync.blobs import BlobStore


def test_every_error_code_and_rejection_reason_has_a_chinese_message():
    codes = set(p.SERVER_ERRORS) | set(p.CLIENT_ERRORS)
    assert codes == set(strings.SYNC_MESSAGES)
    assert all(strings.SYNC_MESSAGES[c].strip() for c in codes)
    assert set(p.REJECTION_REASONS) == set(strings.SYNC_REJECTIONS)
    assert not hasattr(p, "MESSAGES_ZH")  # user-facing text lives in the word modules (fieldapp/text/common.py)


def test_the_phones_pre_enrolment_id_is_what_the_office_takes_as_an_alias():
    import uuid

    from fieldapp.ui.data import default_inspector_id

    for _ in range(20):
        assert p.is_local_actor(default_inspector_id(str(uuid.uuid4())))
    assert not any(p.is_local_actor(x) for x in ("张三", "inspector-a", "inspector-1234567", None, 3,
                                                 "inspector-ABCDEF12", "inspector-12345678 "))


def test_limits_from_the_wire_are_lenient():
    assert p.Limits.from_dict(None) == p.Limits()
    limits = p.Limits.from_dict({"max_events_per_push": 7, "max_body_bytes": -1, "new_limit": 3,
                                 "max_pull_limit": True})
    assert limits.max_events_per_push == 7
    assert limits.max_body_bytes == p.Limits().max_body_bytes and limits.max_pull_limit == p.Limits().max_pull_limit


def test_photo_hashes_of_wire_events():
    sha = "b" * 64
    assert p.photo_hashes({"type": "photo.added", "payload": {"sha256": sha}}) == [sha]
    assert p.photo_hashes({"type": "case.rechecked", "payload": {"photos": [sha, "../x"]}}) == [sha]
    assert p.photo_hashes({"type": "case.registered", "payload": {}}) == []
    assert p.photo_hashes("junk") == []


def test_blob_store_uses_the_photo_layout(tmp_path):
    blobs = BlobStore(tmp_path)
    data = b"photo"
    sha = hashlib.sha256(data).hexdigest()
    assert not blobs.has(sha)
    upload = blobs.upload()
    upload.write(data)
    assert upload.finish(sha)
    assert blobs.has(sha) and photo_path(tmp_path, sha).read_bytes() == data
    assert not blobs.has("../" + sha[3:]) and not blobs.has(sha.upper())
    wrong = blobs.upload()
    wrong.write(b"other")
    assert not wrong.finish("c" * 64) and not blobs.has("c" * 64)
    assert list(blobs.incoming.iterdir()) == []
    blobs.sync_dirs()


def test_a_photos_rename_is_durable_before_sync_dirs_for_it_returns(tmp_path, monkeypatch):
    """sync_dirs(photos) returns once a round of directory fsyncs that began after those photos'
    renames is done (the writer's wait before a commit); a failed round is taken up by the next."""
    import sync.blobs

    synced: list = []
    fail = []

    def fsync_dir(directory):
        if fail:
            fail.pop()
            raise OSError("disk")
        synced.append(directory)

    monkeypatch.setattr(sync.blobs, "fsync_dir", fsync_dir)
    blobs = BlobStore(tmp_path)

    def put(data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        upload = blobs.upload()
        upload.write(data)
        assert upload.finish(sha)
        return sha

    first, second = put(b"one"), put(b"two")
    folders = {photo_path(tmp_path, s).parent for s in (first, second)}
    blobs.sync_dirs([first])  # one round: every rename so far (and the new ab/ folders' parent)
    assert set(synced) == folders | {tmp_path}
    synced.clear()
    blobs.sync_dirs([first, second])
    blobs.sync_dirs(["f" * 64])  # not put in place here: nothing to wait for
    assert synced == []
    third = put(b"three")
    blobs.sync_dirs([second])  # made durable before the third came
    assert synced == []
    fail.append(1)
    with pytest.raises(OSError):
        blobs.sync_dirs([third])
    blobs.sync_dirs([third])  # the failed round's folders are tried again
    assert photo_path(tmp_path, third).parent in synced
    synced.clear()
    blobs.sync_dirs()
    assert synced == []


def test_server_identity_survives_restarts_and_rotates_on_rollback(tmp_path, rules):
    with storage.open_office(tmp_path, rules) as store:
        first, rotated = storage.ServerIdentity(tmp_path).start(store)
        assert not rotated
        again, rotated = storage.ServerIdentity(tmp_path).start(store)
        assert (again, rotated) == (first, False)
    # The sidecar saw seq 5 but the db has none: an older copy of the db.
    (tmp_path / storage.SIDECAR).write_text(f'{{"server_id": "{first}", "max_seq": 5}}')
    with storage.open_office(tmp_path, rules) as store:
        rotated_id, rotated = storage.ServerIdentity(tmp_path).start(store)
    assert rotated and rotated_id != first

"""The 同步 screen's "待上传 n 张照片" counts only photos the office does not have yet:
not those it took the upload of, said it had (/blobs/missing), or acknowledged an event naming."""

from __future__ import annotations

from fieldapp.domain import commands as cmd
from fieldapp.domain.geo import Position
from fieldapp.ui import queries, strings
from fieldapp.ui.context import AppContext, frozen_clock
from fieldapp.ui.screens import sync as sync_screen
from sync.phonebook import PhoneBook


def screen_counts(phone) -> tuple[str, str]:
    """What the 同步 screen shows for the phone's data folder (its own Store, as the app)."""
    ctx = AppContext(data_dir=phone.data_dir, clock=frozen_clock("2022-06-01T10:00:00+08:00"))
    try:
        screen = sync_screen.build(ctx).data
        return screen.pending_events.value, screen.pending_photos.value
    finally:
        ctx.extras["data"].close()


def case_with_photo(phone, data: bytes) -> str:
    """A case whose photo is these bytes (two phones, or two cases, with the same picture)."""
    now = phone.tick()
    reg = cmd.register_case(phone.rules, phone.who, now, community="C1", category="Z1",
                            position=Position(34.7466, 113.6253, 6.0))
    phone.store.append([reg, phone._photo_event(reg.case_id, data, "before", now)])
    return reg.case_id


def test_photos_uploaded_before_a_run_was_cut_are_no_longer_counted(office, phone, transport):
    for _ in range(3):
        phone.new_case(photos=2)
    assert screen_counts(phone) == (strings.PENDING_EVENTS.format(n=9), strings.PENDING_PHOTOS.format(n=6))
    # the Wi-Fi drops after two photos: their events have not gone yet
    transport.add("PUT", "/blobs/", "refuse", skip=2, times=-1)

    cut = phone.sync(transport=transport)

    assert cut.stopped == "network" and cut.photos_uploaded == 2
    assert (cut.pending_events, cut.pending_photos) == (9, 4)
    assert screen_counts(phone) == (strings.PENDING_EVENTS.format(n=9), strings.PENDING_PHOTOS.format(n=4))

    transport.faults.clear()
    done = phone.sync(transport=transport)
    assert done.ok and done.photos_uploaded == 4 and (done.pending_events, done.pending_photos) == (0, 0)
    assert screen_counts(phone) == (strings.PENDING_EVENTS.format(n=0), strings.PENDING_PHOTOS.format(n=0))


def test_a_photo_the_office_says_it_has_is_not_counted(office, make_phone, transport):
    a = make_phone("a").enrol(office, "inspector-a", ("C1",))
    b = make_phone("b").enrol(office, "inspector-b", ("C1",))
    same = a.photo_bytes()
    case_with_photo(a, same)
    assert a.sync().ok
    case_with_photo(b, same)  # the same picture, sent to b
    own = b.photo_bytes()
    case_with_photo(b, own)
    assert queries.pending(b.store).photos == 2
    transport.add("POST", "/events", "refuse", times=-1)  # photos go, events cannot

    cut = b.sync(transport=transport)

    assert cut.stopped == "network" and cut.photos_to_upload == 1 and cut.photos_uploaded == 1
    assert queries.pending(b.store).events == 4 and queries.pending(b.store).photos == 0
    assert screen_counts(b)[1] == strings.PENDING_PHOTOS.format(n=0)


def test_a_photo_named_by_an_acknowledged_event_is_not_counted(office, phone):
    """Acknowledgements from before photo acks were kept: the office took an event naming the photo."""
    data = phone.photo_bytes()
    first = case_with_photo(phone, data)
    assert phone.sync().ok
    phone.store.db.execute("DELETE FROM sync_photo_acks")  # as a phone synced by the previous version
    state = phone.store.case(first)
    now = phone.tick()
    again = phone._photo_event(first, data, "after", now)  # the same picture as the re-check's photo
    phone.store.append([again, cmd.recheck(state, phone.who, now, rectified=True, photos=(again.data.sha256,))])
    fresh = phone.add_photo(first, "after")

    book = PhoneBook(phone.store)
    assert book.pending_counts() == (3, 1)  # only `fresh` is still to upload
    result = phone.sync()
    assert result.ok and result.photos_uploaded == 1 and fresh

"""The photos of the demo's records: small JPEG files written under ``MEDIA_ROOT`` with their
SHA-256, a handful of them reused by the same officer in another record (what the trace checks
look for)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
from django.conf import settings
from PIL import Image, ImageDraw

from xiaoneng.core import bulk
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import Attachment

DUPLICATE_PHOTOS_PER = 300  # one reused photo per this many records with photos


class Photos:
    """Small JPEG scenes, made once; each photo is a scene with its own comment (own digest).

    The files are written by ``save``, in a thread of their own while the database work goes
    on (creating a thousand small files takes a second or more on some disks).
    """

    def __init__(self, rng: np.random.Generator, scenes: int = 6) -> None:
        self.scenes = [self._scene(rng) for _ in range(scenes)]
        self.root = Path(settings.MEDIA_ROOT)
        self.pending: dict[str, bytes] = {}

    @staticmethod
    def _scene(rng: np.random.Generator) -> bytes:
        """A shop front or shelves in 96 × 72 pixels."""
        wall = tuple(int(v) for v in rng.integers(120, 230, 3))
        image = Image.new("RGB", (96, 72), wall)
        draw = ImageDraw.Draw(image)
        sign = tuple(int(v) for v in rng.integers(0, 200, 3))
        draw.rectangle((0, 0, 95, 14), fill=sign)
        for shelf in range(int(rng.integers(2, 5))):
            y = 20 + shelf * 13
            draw.rectangle((6, y, 89, y + 3), fill=(90, 70, 50))
            for x in range(8, 88, int(rng.integers(6, 12))):
                colour = tuple(int(v) for v in rng.integers(30, 255, 3))
                draw.rectangle((x, y - 7, x + 4, y - 1), fill=colour)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=55)
        return out.getvalue()

    def make(self, scene: int, label: str) -> tuple[str, int, str]:
        """A photo to save: its path under MEDIA_ROOT, size and SHA-256."""
        base = self.scenes[scene % len(self.scenes)]
        payload = f"xiaoneng demo {label}".encode()
        comment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
        content = base[:2] + comment + base[2:]
        digest = hashlib.sha256(content).hexdigest()
        name = f"inspections/{digest[:2]}/{digest}.jpg"
        self.pending[name] = content
        return name, len(content), digest

    def save(self) -> int:
        """Write the photos not on disk yet (the same seed makes the same files); how many."""
        written = 0
        folders: set[Path] = set()
        for name, content in self.pending.items():
            path = self.root / name
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if not path.exists():
                path.write_bytes(content)
                written += 1
        return written

    def save_in_background(self) -> Future[int]:
        """``save`` in a thread; the caller waits for the result before it is done."""
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-photos")
        future = pool.submit(self.save)
        pool.shutdown(wait=False)  # the thread ends with its one task
        return future


def write_photos(
    ctx: Context, visits: Visits, ids: np.ndarray, times: dict[str, list[dt.datetime]]
) -> Photos:
    """The photos of each record, to be saved; a few records reuse an earlier photo of the
    same officer."""
    rng = ctx.rng
    photos = Photos(rng)
    rows = np.flatnonzero(visits.photos > 0)
    reused = _reused(rng, visits, rows)
    attachments = Rows(
        "inspection_id kind file original_name content_type size sha256 uploaded_by_id uploaded_at"
    )
    first: dict[int, tuple[str, int, str]] = {}
    scene = rng.integers(0, len(photos.scenes), rows.size).tolist()
    for position, row in enumerate(rows.tolist()):
        started = times["started"][row]
        for j in range(int(visits.photos[row])):
            if j == 0 and row in reused:
                file, size, digest = first[reused[row]]
            else:
                file, size, digest = photos.make(scene[position] + j, f"{ids[row]}-{j}")
            if j == 0:
                first[row] = (file, size, digest)
            taken = started + dt.timedelta(minutes=3 + 4 * j)
            local = taken.astimezone(dt.timezone(dt.timedelta(hours=8)))
            attachments.add(
                taken,
                inspection_id=int(ids[row]),
                kind=Attachment.Kind.PHOTO,
                file=file,
                original_name=f"IMG_{local:%Y%m%d_%H%M%S}.jpg",
                content_type="image/jpeg",
                size=size,
                sha256=digest,
                uploaded_by_id=int(visits.lead[row]),
                uploaded_at=taken,
            )
    bulk.insert(Attachment, attachments.columns, len(attachments))
    return photos


def _reused(rng: np.random.Generator, visits: Visits, rows: np.ndarray) -> dict[int, int]:
    """Records (row → earlier row of the same lead) whose first photo is the earlier one's."""
    wanted = max(2, rows.size // DUPLICATE_PHOTOS_PER) if rows.size > 1 else 0
    earlier: dict[int, int] = {}
    candidates: list[tuple[int, int]] = []
    for row in rows.tolist():  # rows are in visit order: by day
        lead = int(visits.lead[row])
        if lead in earlier and not visits.documentary[row]:
            candidates.append((row, earlier[lead]))
        earlier[lead] = row
    if not candidates:
        return {}
    chosen = rng.choice(len(candidates), min(wanted, len(candidates)), replace=False)
    return dict(candidates[i] for i in sorted(chosen.tolist()))

"""Helpers shared by the field tests (imported as a plain module: tests/ has no packages)."""
from __future__ import annotations

import io

PASSWORD = "correct-horse-battery"


def uscc_for(seed: int) -> str:
    from stdnum.cn import uscc

    body = f"91330402MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def make_user(username: str, role: str, org=None):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, role=role, org=org)
    return user


def jpeg_bytes(width: int = 2400, height: int = 1800, gps: bool = True) -> bytes:
    """A camera-sized JPEG, with a GPS position in its EXIF unless `gps` is False."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (40, 120, 170))
    for x in range(0, width, 200):
        image.paste((230, 200, 60), (x, 0, x + 80, height))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 45.0, 0.0), 3: "E", 4: (120.0, 45.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()

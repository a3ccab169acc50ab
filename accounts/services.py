"""Writes to accounts: the administrators' authenticator app (django-otp's TOTP device)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE_WRONG = "The code is not right: enter the code the app shows now"
ALREADY_SET_UP = "An authenticator app is already set up for this account"
DEVICE_NAME = "Authenticator app"


@transaction.atomic
def totp_device_add(*, user, key: str, code: str) -> TOTPDevice:
    """Keep the authenticator app whose secret is `key`, once it has shown a right code.

    Nothing is written if the code is wrong or the account already has an app.
    """
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    device.full_clean()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        raise ValidationError(CODE_WRONG)
    if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
        raise ValidationError(ALREADY_SET_UP)
    device.last_t = totp.t()
    device.save()
    return device

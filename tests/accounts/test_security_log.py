"""The security event log writes JSON lines of ids and codes, never personal text."""

import json
import logging

import pytest
from django.test import RequestFactory

from accounts import security_log

CANARY = "canary-evidence-7f3a"


def test_a_line_is_json_with_the_event_the_account_and_the_client(caplog):
    request = RequestFactory().post("/sign-in/", REMOTE_ADDR="203.0.113.9")
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        security_log.security_event(
            security_log.SIGN_IN_FAILED, request=request, user_id=12, reason="bad_password"
        )
    [record] = [r for r in caplog.records if r.name == "careerpath.security"]
    line = json.loads(record.getMessage())
    assert line["event"] == "sign_in_failed"
    assert line["user_id"] == 12
    assert line["client"] == "203.0.113.9"
    assert line["path"] == "/sign-in/"
    assert line["reason"] == "bad_password"


@pytest.mark.parametrize(
    "value", [f"{CANARY} " * 20, "someone@example.gov.uk", {"evidence": CANARY}, [CANARY]]
)
def test_free_text_and_email_addresses_are_refused_and_nothing_is_written(caplog, value):
    refused = pytest.raises(ValueError, match="not free text")
    with caplog.at_level(logging.INFO, logger="careerpath.security"), refused:
        security_log.security_event(security_log.EXPORT, detail=value)
    assert not [r for r in caplog.records if r.name == "careerpath.security"]


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown security event"):
        security_log.security_event("made_up")

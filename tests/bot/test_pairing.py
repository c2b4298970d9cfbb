"""The pairing store on its own: readable one-time codes that expire, and approvals that stay on disk."""

from __future__ import annotations

from bot.pairing import ALPHABET, CODE_LENGTH, PairingStore


def test_codes_are_readable_reissued_while_valid_and_spent_once(tmp_path):
    store = PairingStore(tmp_path / "pairing.sqlite3", minutes=10)
    code, new = store.code_for(7, "ru", now=1000.0)
    assert new and len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) and not set(code) & set("0O1IL")
    assert store.code_for(7, now=1500.0) == (code, False)
    assert store.code_for(8, now=1500.0)[0] != code
    assert store.approve("nope", admin_id=42, now=1600.0).status == "unknown"
    approval = store.approve(f" {code[:3].lower()}-{code[3:]} ", admin_id=42, now=1599.0)
    assert (approval.status, approval.user_id, approval.language) == ("approved", 7, "ru")
    assert store.approve(code, admin_id=42, now=1599.5).status == "unknown"  # one time only
    store.close()
    reopened = PairingStore(tmp_path / "pairing.sqlite3", minutes=10)
    assert reopened.is_approved(7) and not reopened.is_approved(8) and reopened.approved() == [7]
    assert reopened.revoke(7) and not reopened.is_approved(7)


def test_an_expired_code_is_refused_spent_and_replaced(tmp_path):
    store = PairingStore(tmp_path / "pairing.sqlite3", minutes=10)
    code, _ = store.code_for(7, now=0.0)
    fresh, new = store.code_for(7, now=601.0)
    assert new and fresh != code  # the old one expired: the next message gets a new one
    assert store.approve(fresh, admin_id=42, now=601.0 + 600).status == "expired"
    assert store.approve(fresh, admin_id=42, now=601.0 + 601).status == "unknown"
    assert not store.is_approved(7)

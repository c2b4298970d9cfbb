"""Measurements that print figures: chunk sizes now; `newsbot bench` later."""

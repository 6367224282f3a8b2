"""Enrollment: the deep-link payload that carries the procedure and its date, and its QR code."""

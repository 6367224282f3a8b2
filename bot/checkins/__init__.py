"""Check-ins after the procedure and the nurses' follow-through: reminders, /due, digest, report."""

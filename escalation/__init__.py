"""What is due per area and person, reminders before the due date and escalation after it."""

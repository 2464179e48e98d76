"""Appointments between a beneficiary and a volunteer of their centre: booking, confirmation
with a calendar file, reminders, answers, attendance."""

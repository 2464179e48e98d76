"""Messages Relais starts (notices, reminders, warnings): queued as a kind and its parameters,
rendered when delivered, in the recipient's language of the moment."""

"""The volunteer side (the desk): each capability registers its commands and buttons with the
role it needs."""

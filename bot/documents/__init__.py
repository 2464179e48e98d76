"""Documents made when they are sent, never stored: the CV (PDF and JSON Resume) and its fonts."""

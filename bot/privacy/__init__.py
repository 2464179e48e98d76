"""Privacy by design: erasure, the person's own data export, private files at rest."""

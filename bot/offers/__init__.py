"""Job offers: volunteers enter and vet them, matching finds whom they fit, a broadcast sends
them, people answer, and interest is relayed to the employer."""

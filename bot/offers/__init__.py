"""Job offers: volunteers vet and broadcast offers, matched beneficiaries answer, interest is
relayed."""

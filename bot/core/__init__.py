"""The core: the pure conversation engine (state, event) -> (state, reply), what it renders and
reviews, how answers are read, and the domain types shared by every other part."""

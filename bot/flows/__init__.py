"""Flows as data: the typed model of a conversation, its loader and checks, the conditions of
its branches, and the extractor that gives its texts to the translation catalogs."""

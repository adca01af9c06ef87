"""Words a reader sees, in English and Japanese: the catalogue, formatting of figures, sentences."""

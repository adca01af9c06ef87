"""Words a reader sees, in English and Japanese: the catalogue (data files in ``words/``), formatting, sentences."""

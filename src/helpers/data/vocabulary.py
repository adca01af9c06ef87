"""The fixed vocabularies of the study format, in a module light enough for any command to import."""

DEPARTMENTS = ("customer_service", "main", "marketing", "ecommerce", "store", "other")
TONES = ("neutral", "positive", "negative")

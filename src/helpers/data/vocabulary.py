"""The fixed vocabularies of the study format, in a module light enough for any command to import."""

DEPARTMENTS = ("customer_service", "main", "marketing", "ecommerce", "store", "other")
TONES = ("neutral", "positive", "negative")

# ISO 8601 date and time with a UTC offset (Z, +01:00 or +0100); seconds and fractions optional.
ISO_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"

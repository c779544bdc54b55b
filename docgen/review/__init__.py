"""Many units: batches, received forms, the review workbook and letters."""

"""Planning, rendering and writing a unit's files atomically, with the folder's record and the book."""

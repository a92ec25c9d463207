"""Online-trading monitoring (以网管网, 篇6): listing batches scanned against the keyword
feature library, sellers, their claimed registrations and their networks."""

"""Program batches: new members read, checked, given IDs, their papers made in worker processes, handed back."""

"""`jcredit diff`: two versions of a project compared (snapshot, compare) and shown (forms)."""

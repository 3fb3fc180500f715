"""Training code for the models newstrace ships: dataset readers and fits live here, apart from runtime."""
